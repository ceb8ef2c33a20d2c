"""The order of generation (each domain reads what the ones before it made) and the guard
that the database holds no data yet."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, inspect, select

from trainhub.bases.models import Base
from trainhub.cli.province import people, running
from trainhub.cli.province.accounts import Accounts, make_signins
from trainhub.cli.province.bases import Bases
from trainhub.cli.province.bulk import Bulk, Echo
from trainhub.cli.province.competitions import Competitions
from trainhub.cli.province.enrolments import Enrolments
from trainhub.cli.province.evidence import Evidence
from trainhub.cli.province.organisations import make_organisations
from trainhub.cli.province.subsidies import Subsidies
from trainhub.cli.province.training import Training
from trainhub.cli.province.world import Plan, World
from trainhub.competitions.models import Competition
from trainhub.core.accounts.models import User
from trainhub.core.organisations import Enterprise, Institution
from trainhub.core.parameters import service as parameters
from trainhub.core.parameters.defaults import load_defaults
from trainhub.core.people.models import Person
from trainhub.core.regions import Region, load_regions
from trainhub.extensions import db
from trainhub.training.models import Batch

# Rows of any of these mean someone's data is there; regions and parameters are reference
# data and may be present.
GUARDED = {"accounts": User, "people": Person, "institutions": Institution,
           "enterprises": Enterprise, "bases": Base, "batches": Batch,
           "competitions": Competition}


class Refused(Exception):
    """The database is not one to fill; nothing was written."""


class NotEmpty(Refused):
    """The database already holds data."""


def held_data() -> dict[str, int]:
    found = {}
    for label, model in GUARDED.items():
        count = db.session.scalar(select(func.count()).select_from(model)) or 0
        if count:
            found[label] = int(count)
    return found


def generate(scale: float, seed: int, today: date, echo: Echo) -> World:
    """Fill an empty database with a province; flushes, never commits. Raises Refused
    (NotEmpty when the database holds data)."""
    if not inspect(db.session.connection()).has_table(User.__tablename__):
        raise Refused("The database has no tables yet: run `flask --app trainhub db upgrade` "
                      "first.")
    found = held_data()
    if found:
        listed = ", ".join(f"{count:,} {label}" for label, count in found.items())
        raise NotEmpty(f"The database already holds data ({listed}). `demo province` fills "
                       "an empty database only: run it on a freshly migrated one "
                       "(flask db upgrade).")
    if not db.session.scalar(select(func.count()).select_from(Region)):
        load_regions()
    load_defaults()  # the missing ones only
    db.session.flush()
    world = World(Plan(scale, seed, today))
    bulk = Bulk(db.session, echo)
    bulk.relax_checks()
    people.load_counties(world)
    people.make_people(world)
    people.write_people(world, bulk)
    make_organisations(world, bulk)
    accounts = Accounts(world, bulk)
    accounts.officers()
    accounts.organisations()
    bulk.done("users", accounts.count)

    bases = Bases(world, bulk, accounts, Evidence(world, bulk))
    bases.generate()
    bases.write()

    training = Training(world, bulk, accounts)
    training.generate()
    enrolments = Enrolments(world, bulk)
    enrolments.generate()
    enrolments.attend()
    enrolments.complete()
    training.write()
    running.write_enrolments(world, bulk)
    running.write_attendance(world, bulk)
    running.write_completions(world, bulk)
    months = parameters.int_value("training.followup_months", today, "36")
    enterprises = {org.id: org for org in world.enterprises}
    by_demand = {d["id"]: enterprises[d["enterprise_id"]] for d in training.demands}
    running.write_followups(bulk, enrolments.followups(months, by_demand))

    subsidies = Subsidies(world, bulk, accounts)
    subsidies.generate()
    subsidies.write()
    world.facts["decision_statuses"] = dict(subsidies.statuses)

    competitions = Competitions(world, bulk, accounts)
    competitions.generate()
    competitions.write()

    make_signins(world, accounts, _signins(world, competitions, training),
                 subsidies.paid_person)
    bulk.verify_references()
    bulk.finish()
    db.session.flush()
    world.facts["timings"] = bulk.timings
    world.facts["seconds"] = bulk.total()
    return world


def _signins(world: World, competitions: Competitions,
             training: Training) -> dict[str, int]:
    """Accounts with something to look at: the province's, 南昌市's and its busiest
    county's officers, the staff of the institution with most trainees, the contact of the
    enterprise with most orders, a judge and the chief judge of the event being marked."""
    batches_per_county: dict[str, int] = {}
    for batch in world.batches:
        if batch.region.startswith("3601"):
            batches_per_county[batch.region] = batches_per_county.get(batch.region, 0) + 1
    county = max(sorted(batches_per_county), key=batches_per_county.__getitem__,
                 default=next(c.code for c in world.counties if c.city == "3601"))
    trainees: dict[int, int] = {}
    for enrolment in world.enrolments:
        trainees[enrolment.batch.institution_id] = trainees.get(
            enrolment.batch.institution_id, 0) + 1
    busiest = max(sorted(trainees), key=trainees.__getitem__,
                  default=world.institutions[0].id)
    orders: dict[int, int] = {}
    for demand in training.demands:
        orders[demand["enterprise_id"]] = orders.get(demand["enterprise_id"], 0) + 1
    enterprise = max(sorted(orders), key=orders.__getitem__, default=world.enterprises[0].id)
    team = competitions.teams[-1]
    return {"province.officer": world.officers["36"], "city.officer": world.officers["3601"],
            "county.officer": world.officers[county],
            "institution.staff": world.staff[busiest],
            "enterprise": world.contacts[enterprise],
            "judge": team[1][0], "chief.judge": team[0][0]}
