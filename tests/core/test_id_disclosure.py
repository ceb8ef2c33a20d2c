"""A masked ID number (3601**********1421) hides the county and the birth date; a view that
shows it without an audited purpose must not show what rebuilds them. For each page,
export and API answer that shows a masked number, every number consistent with what it
shows is counted (tests/id_candidates.py): at least 1,000 must remain."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import post_form, sign_in
from tests.id_candidates import (
    Seen,
    count_candidates,
    is_candidate,
    seen_in_json,
    seen_in_text,
    seen_in_workbook,
    visible_id_positions,
)
from tests.training.excel_files import cells, excel_site, package_text
from trainhub.cli.demo import make_resident_id
from trainhub.core.accounts import services as accounts
from trainhub.core.accounts.models import User
from trainhub.core.idnumbers import mask_id
from trainhub.core.people.models import Person
from trainhub.core.timeutil import local_today
from trainhub.extensions import db

ENOUGH = 1000
TODAY = date(2026, 11, 29)


def _number(app, person_id: int) -> str:
    with app.app_context():
        return db.session.get(Person, person_id).id_number


def _enough(seen: Seen, number: str) -> int:
    today = local_today()
    assert seen.masks, "the view shows no masked number"
    assert is_candidate(number, seen, today), "the view was misread: its own number is excluded"
    return count_candidates(seen, today)


# --- the counting itself ---------------------------------------------------------------

def test_the_county_and_full_birth_date_beside_the_mask_leave_one_number():
    number = make_resident_id("360102", date(1990, 5, 17), 142)
    seen = Seen(masks=[mask_id(number)], regions={"360102"})
    seen.birth_on(date(1990, 5, 17))
    assert count_candidates(seen, TODAY) == 1 and is_candidate(number, seen, TODAY)


def test_the_county_with_an_age_or_a_birth_year_leaves_a_few_dozen():
    number = make_resident_id("360102", date(1990, 5, 17), 142)
    by_age = Seen(masks=[mask_id(number)], regions={"360102"})
    by_age.age_on(36, TODAY)
    by_year = Seen(masks=[mask_id(number)], regions={"360102"})
    by_year.birth_year(1990)
    for seen in (by_age, by_year):
        assert is_candidate(number, seen, TODAY)
        assert 20 < count_candidates(seen, TODAY) < 60


def test_an_age_without_the_county_still_leaves_fewer_than_a_thousand():
    # 南昌市 has 9 counties, 新余市 two: the city in the mask and an age are too much.
    for region in ("360102", "360502"):
        number = make_resident_id(region, date(1990, 5, 17), 142)
        seen = Seen(masks=[mask_id(number)])
        seen.age_on(36, TODAY)
        assert is_candidate(number, seen, TODAY)
        assert count_candidates(seen, TODAY) < ENOUGH


def test_the_county_without_birth_information_leaves_thousands():
    number = make_resident_id("360502", date(1990, 5, 17), 142)
    seen = Seen(masks=[mask_id(number)], regions={"360502"}, sex="F")
    assert count_candidates(seen, TODAY) >= 4000


def test_the_certificate_mask_shows_no_digit_of_the_id_that_its_mask_hides():
    number = make_resident_id("360102", date(1990, 5, 17), 142)
    certificate = f"{number}42"
    assert visible_id_positions(mask_id(certificate)) <= visible_id_positions(mask_id(number))
    seen = Seen(masks=[mask_id(number), mask_id(certificate)], regions={"360102"})
    assert count_candidates(seen, TODAY) == count_candidates(
        Seen(masks=[mask_id(number)], regions={"360102"}), TODAY)


# --- person pages ----------------------------------------------------------------------

@pytest.fixture
def person(app, make):
    """A woman in 新余市分宜县 (2 counties in the city), the only person of her county."""
    person_id = make.person("360521", born=date(1992, 2, 29), male=False, name="严晓梅")
    return person_id, _number(app, person_id)


def test_the_person_page(app, client, make, person):
    person_id, number = person
    sign_in(client, make.user("federation_officer", region_code="360521"))
    html = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert _enough(seen_in_text(html, local_today(), number), number) >= ENOUGH


def test_the_trainees_own_page(app, client, make, person):
    person_id, number = person
    sign_in(client, make.user("trainee", person_id=person_id))
    html = client.get("/people/me").get_data(as_text=True)
    assert _enough(seen_in_text(html, local_today(), number), number) >= ENOUGH


def test_the_list_of_people(app, client, make, person):
    _person_id, number = person
    sign_in(client, make.user("federation_officer", region_code="360521"))
    html = client.get("/people/").get_data(as_text=True)
    assert _enough(seen_in_text(html, local_today(), number), number) >= ENOUGH


def test_the_unmasked_view_still_shows_the_birth_date_after_a_stated_purpose(
        app, client, make, person):
    person_id, number = person
    sign_in(client, make.user("federation_officer", region_code="360521"))
    html = post_form(client, f"/people/{person_id}/unmask",
                     {"purpose": "核对补贴申请"}).get_data(as_text=True)
    assert number in html and "1992年2月29日" in html


# --- the API ---------------------------------------------------------------------------

def _bearer(app, username: str) -> dict[str, str]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        _row, secret = accounts.issue_token(user, "disclosure")
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_person_and_people(app, client, make, person):
    person_id, number = person
    headers = _bearer(app, make.user("federation_officer", region_code="360521"))
    for path in (f"/api/v1/people/{person_id}", "/api/v1/people"):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 200, path
        assert _enough(seen_in_json(answer.json, local_today()), number) >= ENOUGH, path


# --- a batch's roster and attendance ---------------------------------------------------

@pytest.fixture
def site(app, make):
    return excel_site(app, make)


@pytest.mark.parametrize("kind", ["roster", "attendance"])
def test_the_masked_exports(app, client, site, kind):
    sign_in(client, site["officer"])
    data = client.get(f"/training/batches/{site['batch']}/{kind}.xlsx").data
    for number in site["ids"]:
        assert _enough(seen_in_workbook(data, local_today(), number), number) >= ENOUGH


def test_the_roster_page(app, client, site):
    sign_in(client, site["staff"])
    html = client.get(f"/training/batches/{site['batch']}/roster").get_data(as_text=True)
    for number in site["ids"]:
        assert _enough(seen_in_text(html, local_today(), number), number) >= ENOUGH


def test_the_exports_birth_dates_need_the_stated_purpose(app, client, site):
    sign_in(client, site["staff"])
    response = post_form(client, f"/training/batches/{site['batch']}/roster.xlsx",
                         {"purpose": "报送县残联核对补贴名单"})
    assert response.status_code == 200
    header = cells(response.data)[1]
    assert "出生日期" in header and site["ids"][0] in package_text(response.data)


# --- subsidy decisions -----------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/subsidies/decisions/{id}",
                                  "/api/v1/subsidies/decisions?batch_id={batch}"])
def test_the_api_subsidy_decisions(app, client, make, path):
    from tests.subsidies.api_builders import bearer_for, build
    from trainhub.subsidies.models import Decision

    ids = build(app, "computed")
    with app.app_context():
        number = db.session.get(Decision, ids["computed"]).person.id_number
    headers = bearer_for(app, make, ids["subsidy_staff"])
    answer = client.get(path.format(id=ids["computed"], batch=ids["batch"]), headers=headers)
    assert answer.status_code == 200, answer.json
    seen = seen_in_json(answer.json, local_today())
    if "{id}" in path:  # the detail gives the birth date in its inputs and trace: no mask
        assert not seen.masks and seen.born_from == seen.born_to
        return
    assert _enough(seen, number) >= ENOUGH


# --- the public verification page of a subsidy decision notice -------------------------

def test_the_verification_page_of_a_subsidy_notice(app, client, make):
    """Public: the name, the masked number and the explanation (no age when granted; an
    age outside working age cannot take a seat, so no notice explains it)."""
    from tests.subsidies import mine_world
    from trainhub.subsidies.models import Decision

    person_id = make.person("360102", born=date(1990, 6, 15), name="高晓东")
    username = make.user("trainee", person_id=person_id)
    ids = mine_world.decided(app, make, person_id)
    sign_in(client, username)
    assert client.get(f"/subsidies/mine/{ids['fee']}/notice.pdf").status_code == 200
    with app.app_context():
        code = db.session.get(Decision, ids["fee"]).verification_code
    html = app.test_client().get(f"/verify/{code}").get_data(as_text=True)
    number = _number(app, person_id)
    assert _enough(seen_in_text(html, local_today(), number), number) >= ENOUGH


def test_the_vouchers_page_and_the_api_voucher(app, client, make):
    from tests.subsidies.api_builders import bearer_for, voucher
    from trainhub.subsidies.models import Voucher

    made = voucher(app)["voucher"]
    with app.app_context():
        number = db.session.get(Voucher, made).person.id_number
    officer = make.user("federation_officer", region_code="360102")
    sign_in(client, officer)
    html = client.get("/subsidies/vouchers").get_data(as_text=True)
    assert _enough(seen_in_text(html, local_today(), number), number) >= ENOUGH
    answer = client.get(f"/api/v1/subsidies/vouchers/{made}",
                        headers=bearer_for(app, make, officer))
    assert answer.status_code == 200, answer.json
    assert _enough(seen_in_json(answer.json, local_today()), number) >= ENOUGH


def test_the_api_competition_entries(app, client, make):
    from tests.competitions import api_world
    from tests.subsidies.api_builders import bearer_for

    organiser = make.user("federation_officer", region_code="36")
    made = api_world.competition(app, organiser)
    _person_id, number = api_world.person(app)
    city = bearer_for(app, make, "federation_officer", region_code="3601")
    registered = client.post(f"/api/v1/competitions/events/{made['event']}/delegations/3601/"
                             "entries", json={"id_numbers": [number]}, headers=city)
    assert registered.status_code == 201, registered.json
    listed = client.get(f"/api/v1/competitions/events/{made['event']}/entries",
                        headers=bearer_for(app, make, organiser))
    for answer in (registered.json, listed.json):
        assert _enough(seen_in_json(answer, local_today()), number) >= ENOUGH
