"""Judges marking through the API with their own tokens (/api/v1/competitions/…/sheets):
their events, their sheets by station and anonymous code only, a draft then a submission;
and the bad inputs of issue 6 on this path: a mark above the maximum or off the step, an
entry of the judge's own city, marking after the lock, a submitted mark changed, a sheet
submitted incomplete, the chief judge (who does not mark), a judge of another event. Each is
answered in JSON and leaves the marks as they were."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from tests.competitions import api_world
from tests.subsidies.api_builders import bearer_for
from trainhub.competitions import chief_review
from trainhub.competitions.models import Event, Mark
from trainhub.extensions import db

API = "/api/v1/competitions"


@pytest.fixture
def world(app, make) -> dict[str, Any]:
    return api_world.staged(app, make, "drawn",
                            organiser=make.user("federation_officer", region_code="36"))


def _sheet_url(world: dict[str, Any], index: int) -> str:
    return f"{API}/events/{world['event']}/sheets/{world['codes'][index]}"


def _marks(app) -> list[tuple[int, int, str, bool]]:
    with app.app_context():
        return sorted((m.entry_id, m.aspect_id, format(m.value.normalize(), "f"),
                       m.submitted_at is not None) for m in db.session.scalars(select(Mark)))


def _put(client, url: str, headers: dict[str, str], submit: bool = False,
         **marks: str | None) -> Any:
    return client.put(url, headers=headers, json={
        "marks": [{"aspect": k, "value": v} for k, v in marks.items()], "submit": submit})


def _refused(app, response: Any, status: int, before: list[Any], *words: str) -> None:
    assert response.status_code == status, (response.status_code, response.json)
    assert response.is_json and response.json["message"]
    for word in words:
        assert word in response.json["message"], response.json["message"]
    assert _marks(app) == before


def test_a_judge_lists_their_events_and_sheets_by_code_only(app, client, make, world):
    headers = bearer_for(app, make, world["judge_a"])
    events = client.get(f"{API}/marking", headers=headers).json["items"]
    assert [(e["event_id"], e["chief"], e["open"]) for e in events] == [
        (world["event"], False, True)]
    listing = client.get(f"{API}/events/{world['event']}/sheets", headers=headers)
    assert listing.status_code == 200
    assert {s["code"] for s in listing.json["sheets"]} == set(world["codes"])
    assert [a["code"] for a in listing.json["aspects"]] == ["A", "B", "C"]
    text = json.dumps(listing.json, ensure_ascii=False)
    for word in [*world["names"], *world["delegations"], "南昌", "赣州", "entry_id"]:
        assert word not in text
    # Judge B is of 南昌: the 南昌 entry is not on their list, and its sheet is "not found".
    b_headers = bearer_for(app, make, world["judge_b"])
    b_codes = {s["code"] for s in client.get(f"{API}/events/{world['event']}/sheets",
                                             headers=b_headers).json["sheets"]}
    assert b_codes == set(world["codes"][1:])
    assert client.get(_sheet_url(world, 0), headers=b_headers).status_code == 404


def test_a_draft_then_a_submission(app, client, make, world):
    headers = bearer_for(app, make, world["judge_a"])
    url = _sheet_url(world, 1)
    draft = _put(client, url, headers, A="17.5", B="2")
    assert draft.status_code == 200, draft.json
    assert draft.json["state"] == "draft" and draft.json["marked"] == 2
    assert {c["aspect"]: c["value"] for c in draft.json["cells"]} == {
        "A": "17.5", "B": "2", "C": None}
    incomplete = _marks(app)
    _refused(app, _put(client, url, headers, submit=True), 400, incomplete, "每个评分项")
    done = _put(client, url, headers, submit=True, C="40.5")
    assert done.status_code == 200 and done.json["state"] == "submitted"
    assert all(not c["editable"] for c in done.json["cells"])
    entry = world["entries"][1]
    assert _marks(app) == sorted([
        (entry, world["aspects"]["A"], "17.5", True), (entry, world["aspects"]["B"], "2", True),
        (entry, world["aspects"]["C"], "40.5", True)])
    submitted = _marks(app)
    _refused(app, _put(client, url, headers, B="3"), 409, submitted, "已经提交")


def test_marks_out_of_range_or_off_the_step_change_nothing(app, client, make, world):
    headers = bearer_for(app, make, world["judge_a"])
    url = _sheet_url(world, 1)
    _put(client, url, headers, A="10")
    before = _marks(app)
    _refused(app, _put(client, url, headers, A="12", C="50.5"), 400, before, "50")
    _refused(app, _put(client, url, headers, A="10.3"), 400, before, "0.5")
    _refused(app, _put(client, url, headers, B="4"), 400, before)
    _refused(app, _put(client, url, headers, Z="1"), 400, before, "Z")
    shape = client.put(url, headers=headers, json={"marks": [{"aspect": "A", "value": "-1"}]})
    _refused(app, shape, 422, before)


def test_no_judge_marks_their_own_city_s_entry_or_after_the_lock(app, client, make, world):
    b_headers = bearer_for(app, make, world["judge_b"])
    _refused(app, _put(client, _sheet_url(world, 0), b_headers, B="2"), 404, [])
    a_headers = bearer_for(app, make, world["judge_a"])
    with app.app_context():
        event = db.session.get(Event, world["event"])
        event.status = "locked"  # the stage the chief judge's lock leaves it in
        db.session.commit()
    _refused(app, _put(client, _sheet_url(world, 1), a_headers, A="10"), 409, [], "锁定")


def test_the_chief_judge_and_other_accounts_do_not_mark(app, client, make, world):
    chief = bearer_for(app, make, world["chief"])
    assert client.get(f"{API}/marking", headers=chief).json["items"][0]["chief"] is True
    _refused(app, _put(client, _sheet_url(world, 1), chief, A="10"), 403, [])
    outsider = bearer_for(app, make, "judge")  # a judge not assigned to this event
    assert client.get(f"{API}/marking", headers=outsider).json["items"] == []
    _refused(app, _put(client, _sheet_url(world, 1), outsider, A="10"), 403, [])
    officer = bearer_for(app, make, world["organiser"])
    _refused(app, _put(client, _sheet_url(world, 1), officer, A="10"), 403, [])
    assert client.put(_sheet_url(world, 1), json={"marks": []}).status_code == 401


def test_a_measurement_entered_by_one_judge_is_read_only_for_the_other(app, client, make,
                                                                       world):
    a_headers = bearer_for(app, make, world["judge_a"])
    _put(client, _sheet_url(world, 1), a_headers, A="18")
    b_headers = bearer_for(app, make, world["judge_b"])
    seen = client.get(_sheet_url(world, 1), headers=b_headers).json
    assert {c["aspect"]: (c["state"], c["editable"]) for c in seen["cells"]}["A"] == (
        "other", False)
    before = _marks(app)
    _refused(app, _put(client, _sheet_url(world, 1), b_headers, A="10"), 409, before)


def test_sheets_submitted_through_the_api_are_those_the_chief_judge_checks(app, client, make,
                                                                          world):
    headers = bearer_for(app, make, world["judge_a"])
    for index in range(len(world["codes"])):
        response = _put(client, _sheet_url(world, index), headers, submit=True,
                        A="18", B="2", C="40")
        assert response.status_code == 200, response.json
    with app.app_context():
        review = chief_review.review(db.session.get(Event, world["event"]))
        # Judge A's sheets are complete: what is missing is judge B's, on the three entries
        # B may mark, on the two judgement aspects (the measurement is entered once).
        missing = [(row.entry.id, m.aspect.code, m.judge) for row in review.missing
                   for m in row.missing]
    assert sorted(missing) == sorted((entry, aspect, "裁判B") for entry in world["entries"][1:]
                                     for aspect in ("B", "C"))
