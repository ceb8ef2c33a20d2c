"""Each role's home page runs as many statements with 1,000 rows behind its counts as with
10: what waits is counted by aggregates, never row by row (issue 16)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from tests.competitions import builders as competition_builders
from tests.conftest import sign_in
from tests.training import builders
from trainhub.bases.models import BaseApplication
from trainhub.competitions.models import Assignment, Event
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db
from trainhub.subsidies import budgets
from trainhub.training.models import Batch, Demand, Enrolment, Session

STATUSES = ("submitted", "enrolling", "in_progress", "completed")


@pytest.fixture
def home(app, make):
    """A site of every role, each with something waiting: a base in 东湖区 and its staff,
    an officer of 南昌市, a trainee, an enterprise with a demand, a judge and a chief judge
    assigned to an event, an administrator."""
    site = builders.certified_site(app, make, officer=True, trainee=True)
    ids = builders.build(app, make, "demand", "submitted")
    with app.app_context():
        enterprise_id = db.session.get(Demand, ids["demand"]).enterprise_id
        made = competition_builders.competition()
        event = competition_builders.event(made)
        judge = competition_builders.judge("3601")
        chief = competition_builders.judge("3602", chief=True)
        db.session.commit()
        site.update(demand=ids["demand"], template=ids["submitted"], event=event.id,
                    judge=judge.user.username, chief_judge=chief.user.username,
                    judge_id=judge.id, chief_id=chief.id)
    site["enterprise_contact"] = make.user("enterprise_contact", enterprise_id=enterprise_id)
    with app.app_context():  # the officer's key figures read the budgets and their use
        officer = make.get_user(site["officer"])
        budgets.set_budget("3601", local_today().year, "fee", 1_000_000, officer)
        db.session.commit()
    site["admin"] = make.user("admin")
    site["audit_admin"] = make.user("audit_admin")
    site["person"] = make.get_user(site["trainee"]).person_id
    return site


def _grow(app, site, count: int) -> None:
    """`count` more rows behind every role's counts: batches of the site's institution in
    each waiting state answering the demand, a begun session each, the trainee applying to
    each, base applications in review at the city's step, events the judges mark."""
    with app.app_context():
        template = db.session.get(Batch, site["template"])
        values = {c.name: getattr(template, c.name) for c in Batch.__table__.columns
                  if c.name != "id"}
        values.update(institution_id=site["institution"], base_id=site["base"],
                      demand_id=site["demand"], admission="manual")
        made = db.session.scalars(insert(Batch).returning(Batch.id), [
            dict(values, title=f"批量班{n}", status=STATUSES[n % len(STATUSES)])
            for n in range(count)]).all()
        begun = utcnow() - timedelta(days=1)
        db.session.execute(insert(Session), [
            {"batch_id": b, "starts_at": begun, "ends_at": begun + timedelta(hours=8),
             "hours": 8, "mode": "in_person"} for b in made])
        db.session.execute(insert(Enrolment), [
            {"batch_id": b, "person_id": site["person"], "status": "applied"} for b in made])
        staff = db.session.scalar(select(BaseApplication.created_by_id))
        db.session.execute(insert(BaseApplication), [
            {"institution_id": site["institution"], "kind": "training", "level_sought": "city",
             "specialties": ["massage"], "region_code": "360102", "status": "in_review",
             "current_level": "city", "answers": {}, "created_by_id": staff}
            for _ in range(count)])
        event = db.session.get(Event, site["event"])
        columns = {c.name: getattr(event, c.name) for c in Event.__table__.columns
                   if c.name != "id"}
        events = db.session.scalars(insert(Event).returning(Event.id), [
            dict(columns, name=f"项目{n}", status="drawn") for n in range(count)]).all()
        db.session.execute(insert(Assignment), [
            {"event_id": e, "judge_id": j, "chief": j == site["chief_id"]}
            for e in events for j in (site["judge_id"], site["chief_id"])])
        db.session.commit()


ROLES = ("officer", "staff", "trainee", "enterprise_contact", "judge", "chief_judge", "admin",
         "audit_admin")


def _count(app, client, count_queries, username: str) -> tuple[int, str]:
    sign_in(client, username)
    client.get("/")  # caches (region names, parameters) warm
    with count_queries() as statements:
        response = client.get("/")
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_home_page_statements_do_not_grow_with_rows(app, make, home, count_queries):
    _grow(app, home, 10)
    few = {role: _count(app, app.test_client(), count_queries, home[role]) for role in ROLES}
    _grow(app, home, 990)
    many = {role: _count(app, app.test_client(), count_queries, home[role]) for role in ROLES}
    for role in ROLES:
        print(f"home page of {role}: {few[role][0]} statements at 10 rows, "
              f"{many[role][0]} at 1,000")
    # the counts did grow: the pages read the new rows, in the same statements
    thousand = '<span class="waiting-count">1000</span>'
    for role in ("officer", "trainee", "judge"):  # applications at 3601's step, own, events
        assert thousand in many[role][1] and thousand not in few[role][1], role
    # each count links to its list, filtered; the officer's key figures have their tables
    officer_html, staff_html = many["officer"][1], many["staff"][1]
    for link in ('href="/training/batches?status=submitted"',
                 'href="/subsidies/vouchers?status=claimed"', 'id="home-coverage"',
                 'id="home-budgets"', 'data-chart-table="home-budgets"'):
        assert link in officer_html, link
    # the regions under a city's office: its counties, read with the coverage figures
    assert "<li>东湖区</li>" in officer_html.split('class="region-list"')[1]
    for link in ('href="/training/batches?status=enrolling"',
                 'href="/bases/applications?status=returned"'):
        assert link in staff_html, link
    assert {role: n for role, (n, _) in few.items()} == {
        role: n for role, (n, _) in many.items()}
