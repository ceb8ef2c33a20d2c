"""Each figure of the plan report computed from built records, beside the previous year, and
the number of statements at small and larger data."""

from __future__ import annotations

from datetime import date

from tests.reports.builders import at, certified_base
from tests.reports.conftest import TODAY, YEAR
from trainhub.reports.figures import PlanFigures, plan_figures, rate


def test_trainees_completion_and_certificates_by_family_and_category(records):
    massage = records.batch(date(YEAR, 5, 1), category="massage")
    records.trainees(massage, 4, category=1, passed=3, certified=2)
    embroidery = records.batch(date(YEAR, 9, 1), category="heritage_gan_embroidery")
    records.trainees(embroidery, 2, category=None, passed=2, certified=2)
    records.trainees(records.batch(date(YEAR - 1, 6, 1), category="livestreaming"), 5,
                     category=2, passed=1)
    records.trainees(records.batch(date(YEAR, 6, 1), category="computer"), 1, category=4)
    # not counted: an enrolment withdrawn, a batch not run, a batch of another city, of
    # two years before
    records.trainees(massage, 1, status="withdrawn")
    records.trainees(records.batch(date(YEAR, 5, 1), status="approved"), 3)
    records.trainees(records.batch(date(YEAR, 5, 1), region_code="360702"), 3)
    records.trainees(records.batch(date(YEAR - 2, 5, 1)), 3)

    figures = plan_figures(YEAR, "3601", TODAY)

    assert figures.training["current"] == {"trained": 7, "completed": 5, "certified": 4}
    assert figures.training["previous"] == {"trained": 5, "completed": 1, "certified": 0}
    assert figures.families["massage"]["current"]["trained"] == 4
    assert figures.families["intangible_heritage"]["current"] == {
        "trained": 2, "completed": 2, "certified": 2}
    assert figures.families["livestreaming"]["previous"]["trained"] == 5
    assert figures.families["other"]["current"]["trained"] == 1
    assert figures.families["ecommerce"]["current"]["trained"] == 0
    assert figures.categories["1"]["current"] == {"trained": 4, "completed": 3, "certified": 2}
    assert figures.categories["none"]["current"]["trained"] == 2
    assert figures.categories["2"]["previous"]["completed"] == 1
    assert rate(5, 7) == 71.4 and rate(0, 0) is None
    # the county of the batches sees them; the other county of the city does not
    assert plan_figures(YEAR, "360102", TODAY).training["current"]["trained"] == 7
    assert plan_figures(YEAR, "360103", TODAY).training["current"]["trained"] == 0


def test_employment_hired_against_committed(records):
    ordered = records.demand(5)
    batch = records.batch(date(YEAR, 3, 1), demand=ordered)
    records.trainees(batch, 6, passed=6, followed=5, employed=4, hired=3)
    # a second batch answering the same demand: its commitment counts once
    records.trainees(records.batch(date(YEAR, 8, 1), demand=ordered), 1, passed=1,
                     followed=1, employed=1, hired=1)
    records.trainees(records.batch(date(YEAR - 1, 3, 1), demand=records.demand(2)), 2,
                     passed=2, followed=2, employed=1)

    figures = plan_figures(YEAR, "36", TODAY)

    assert figures.employment["current"] == {"followed": 6, "employed": 5, "hired": 4,
                                             "committed": 5}
    assert figures.employment["previous"] == {"followed": 2, "employed": 1, "hired": 0,
                                              "committed": 2}


def test_subsidies_and_rewards_computed_approved_paid_against_budget(records):
    ids = records.trainees(records.batch(date(YEAR, 5, 1)), 6)
    records.decision(ids[0], amount=100_00, claim=date(YEAR, 5, 2))
    records.decision(ids[1], amount=200_00, claim=date(YEAR, 5, 2), status="approved",
                     budget_year=YEAR)
    records.decision(ids[2], amount=300_00, claim=date(YEAR, 5, 2), status="paid",
                     budget_year=YEAR)
    records.decision(ids[3], amount=50_00, claim=date(YEAR, 5, 2), eligible=False)
    records.decision(ids[4], kind="living", amount=40_00, claim=date(YEAR - 1, 11, 2),
                     status="paid", budget_year=YEAR - 1)
    records.decision(ids[5], amount=999_00, claim=date(YEAR, 5, 2), region_code="360702")
    records.budget("3601", YEAR, "fee", 10_000_00)
    records.budget("360102", YEAR, "fee", 1_000_00)  # a county's: not the city's figure
    records.budget("3601", YEAR, "reward", 50_000_00)
    records.reward(status="paid", amount=30_000_00, submitted=at(date(YEAR, 3, 1)),
                   budget_year=YEAR)
    records.reward(status="in_notice", amount=12_000_00, submitted=at(date(YEAR, 10, 1)))
    records.reward(status="approved", amount=8_000_00, submitted=at(date(YEAR - 1, 12, 1)),
                   budget_year=YEAR)

    money = plan_figures(YEAR, "3601", TODAY).money

    assert money["fee"]["current"] == {"computed": 600_00, "approved": 500_00,
                                       "paid": 300_00, "budget": 10_000_00}
    assert money["living"]["previous"] == {"computed": 40_00, "approved": 40_00,
                                           "paid": 40_00, "budget": 0}
    assert money["reward"]["current"] == {"computed": 42_000_00, "approved": 38_000_00,
                                          "paid": 30_000_00, "budget": 50_000_00}
    assert money["reward"]["previous"]["computed"] == 8_000_00


def test_competitions_held_contestants_awards_and_selections(records):
    this_year = records.competition(date(YEAR, 10, 1), events=2, region_code="3601")
    records.contestants(this_year[0], 4, awarded=2, selected=1)
    records.contestants(this_year[1], 2, status="withdrawn")
    records.contestants(this_year[1], 3, region_code="360702")  # living in another city
    last_year = records.competition(date(YEAR - 1, 10, 1), region_code="36")
    records.contestants(last_year[0], 1, awarded=1)

    city = plan_figures(YEAR, "3601", TODAY).competitions
    province = plan_figures(YEAR, "36", TODAY).competitions

    assert city["current"] == {"held": 1, "events": 2, "contestants": 4, "awarded": 2,
                               "selected": 1}
    assert city["previous"] == {"held": 0, "events": 0, "contestants": 1, "awarded": 1,
                                "selected": 0}
    assert province["current"]["contestants"] == 7 and province["previous"]["held"] == 1


def test_bases_against_the_targets_each_year(records):
    # records' own base: a county-level training base in 东湖区 since 2020
    certified_base("360103", valid_from=date(YEAR, 4, 1))
    certified_base("360102", level="city")
    certified_base("360102", kind="incubator", level="city", valid_from=date(YEAR, 6, 1))

    bases = plan_figures(YEAR, "3601", TODAY).bases
    county = plan_figures(YEAR, "360103", TODAY).bases

    assert bases["current"]["cities"] == 1
    assert bases["current"]["cities_with_training"] == 1
    assert bases["current"]["cities_with_incubator"] == 1
    assert bases["previous"]["cities_with_incubator"] == 0
    assert bases["current"]["counties_with_training"] == 2
    assert bases["previous"]["counties_with_training"] == 1
    assert bases["current"]["training"] == 3 and bases["current"]["incubator"] == 1
    assert county["current"]["counties"] == 1 and county["current"]["counties_with_training"] == 1
    assert county["previous"]["counties_with_training"] == 0


def test_figures_survive_json(records):
    records.trainees(records.batch(date(YEAR, 5, 1)), 2, passed=1)
    figures = plan_figures(YEAR, "3601", TODAY)
    again = PlanFigures.from_json(figures.as_json())
    assert again == figures and again.target_met()["city_incubator"] is False


def _world(records, size: int) -> None:
    for n in range(size):
        ordered = records.demand(2)
        batch = records.batch(date(YEAR - n % 2, 5, 1), demand=ordered,
                              category=("massage", "ecommerce_service", "other")[n % 3])
        ids = records.trainees(batch, 3, passed=2, certified=1, followed=2, employed=1,
                               hired=1, category=n % 7 + 1)
        records.decision(ids[0], claim=date(YEAR, 5, 2), status="paid", budget_year=YEAR)
        records.reward(status="paid", amount=100, submitted=at(date(YEAR, 3, 1)),
                       budget_year=YEAR)
        events = records.competition(date(YEAR, 10, n % 28 + 1))
        records.contestants(events[0], 2, awarded=1)


def test_statements_do_not_grow_with_the_records(records, count_queries):
    _world(records, 2)
    with count_queries() as small:
        plan_figures(YEAR, "36", TODAY)
    _world(records, 20)
    with count_queries() as larger:
        figures = plan_figures(YEAR, "36", TODAY)
    assert figures.training["current"]["trained"] == 33
    assert len(small) == len(larger) == 11
