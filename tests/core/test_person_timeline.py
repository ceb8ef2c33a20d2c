"""A person's page shows their training, attendance, certificates, subsidies and
competitions in one timeline, newest first, each line linking to the object's page where
the reader may open it (issue 16); a bounded number of statements however many events."""

from __future__ import annotations

import re

from sqlalchemy import insert, select

from tests.competitions import judging_world
from tests.conftest import sign_in
from tests.subsidies import builders as subsidies
from tests.training.builders import build
from trainhub.core.people.models import Person
from trainhub.extensions import db
from trainhub.training.models import Attendance, Batch, Completion, Enrolment


def _timeline(html: str) -> str:
    return html.split('id="history"', 1)[1].split("</section>", 1)[0]


def _times(part: str) -> list[str]:
    return re.findall(r'<time[^>]* datetime="([^"]+)"', part)


def test_the_timeline_holds_training_subsidies_and_competitions_newest_first(app, client,
                                                                            make):
    person_id = make.person("360102", name="刘晓燕")
    ids = subsidies.decided(app, make, "paid", person_id=person_id)
    world = judging_world.build(app, make, "published", person_id=person_id)
    sign_in(client, make.user("federation_officer", region_code="3601"))
    html = client.get(f"/people/{person_id}").get_data(as_text=True)
    part = _timeline(html)
    # training: the application with its attendance rate, the result with its certificate
    assert "培训班" in part or "Applied for" in part or "报名" in part
    assert f'href="/training/batches/{ids["completed"]}"' in part
    assert "100" in part  # attended every planned hour
    assert "PX20****0123" in part and "PX2026000123" not in part  # masked
    # subsidies: each decision linking to its page, and its payment
    assert f'href="/subsidies/decisions/{ids["decision"]}"' in part
    assert f'href="/subsidies/decisions/{ids["living"]}"' in part
    # competitions: the entry (the event's page for an officer) and the published result
    assert f'href="/competitions/events/{world["event"]}"' in part
    assert f'href="/competitions/events/{world["event"]}/results"' in part
    moments = _times(part)
    assert len(moments) >= 7 and moments == sorted(moments, reverse=True)


def test_lines_link_only_where_the_reader_may_open_the_object(app, client, make):
    person_id = make.person("360102", name="刘晓燕")
    ids = subsidies.decided(app, make, "submitted", person_id=person_id)
    with app.app_context():  # the person moved to 赣州: the training stays in 南昌
        db.session.get(Person, person_id).household_region_code = "360702"
        db.session.commit()
    sign_in(client, make.user("federation_officer", region_code="360702"))
    part = _timeline(client.get(f"/people/{person_id}").get_data(as_text=True))
    assert f"/training/batches/{ids['completed']}" not in part
    assert f"/subsidies/decisions/{ids['decision']}" not in part
    assert "<time" in part  # the lines are there, without links


def test_a_trainee_reads_their_own_timeline_with_links_to_their_pages(app, client, make):
    person_id = make.person("360102", name="刘晓燕")
    subsidies.decided(app, make, "approved", person_id=person_id)
    sign_in(client, make.user("trainee", person_id=person_id))
    part = _timeline(client.get("/people/me").get_data(as_text=True))
    assert 'href="/training/mine"' in part and 'href="/subsidies/mine"' in part
    assert "/training/batches/" not in part and "/subsidies/decisions/" not in part


def test_an_empty_timeline_says_so(app, client, make):
    person_id = make.person("360102")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    part = _timeline(client.get(f"/people/{person_id}").get_data(as_text=True))
    assert "<time" not in part and "<p>" in part


def _more_events(app, person_id, batch_id, count):
    """`count` more applications of the person (to copies of the batch), each with its
    attendance and result."""
    with app.app_context():
        template = db.session.get(Batch, batch_id)
        values = {c.name: getattr(template, c.name) for c in Batch.__table__.columns
                  if c.name != "id"}
        batch_ids = db.session.scalars(insert(Batch).returning(
            Batch.id, sort_by_parameter_order=True),
            [dict(values, title=f"批量班{n}") for n in range(count)]).all()
        enrolments = db.session.scalars(insert(Enrolment).returning(
            Enrolment.id, sort_by_parameter_order=True),
            [{"batch_id": b, "person_id": person_id, "status": "admitted"}
             for b in batch_ids]).all()
        session_id = template.sessions[0].id
        marker = db.session.scalar(select(Completion.recorded_by_id))
        db.session.execute(insert(Attendance), [
            {"enrolment_id": e, "session_id": session_id, "status": "present",
             "marked_by_id": marker} for e in enrolments])
        db.session.execute(insert(Completion), [
            {"enrolment_id": e, "passed": True, "assessed_on": template.end_date,
             "recorded_by_id": marker} for e in enrolments])
        db.session.commit()


def test_the_page_reads_the_same_statements_at_1_and_at_50_events(app, client, make,
                                                                   count_queries):
    person_id = make.person("360102", name="刘晓燕")
    ids = build(app, make, "completed", person_id=person_id)
    sign_in(client, make.user("federation_officer", region_code="3601"))
    client.get(f"/people/{person_id}")
    with count_queries() as one:
        html = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert len(_times(_timeline(html))) == 2  # applied, passed
    _more_events(app, person_id, ids["completed"], 49)
    with count_queries() as fifty:
        html = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert len(_times(_timeline(html))) == 100
    print(f"person page: {len(one)} statements at 1 application, {len(fifty)} at 50")
    assert len(one) == len(fifty), (len(one), len(fifty))
