"""我的培训 warns a trainee about attendance by the attendance sheet's rule (issue 12, item
10): only once the sessions still ahead can no longer bring the rate to the threshold, and
then says so plainly; a rate below it that the remaining sessions can still lift is no
warning (it was "低于 80%" either way)."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import sign_in
from tests.training import builders
from trainhub.core.people.models import Person
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.training import attendance, batches, enrolment
from trainhub.training.models import Enrolment

OUT_OF_REACH = "剩余课次已无法达到 80% 出勤要求"


def test_only_an_attendance_out_of_reach_is_a_warning_and_it_says_so(app, make):
    """Ten 8-hour days from three days ago (80 planned hours, 64 needed): absent from the
    three held, at most 56 hours remain; absent from one, 16 held and at least 48 ahead."""
    trainees = {name: make.user("trainee") for name in ("absent", "behind")}
    people = {name: make.get_user(username).person_id for name, username in trainees.items()}
    today = local_today()
    start = today - timedelta(days=3)
    with app.app_context():
        owner = builders.institution("360102")
        staff = builders.user("institution_staff", institution_id=owner.id)
        base = builders.base(owner, valid_from=today - timedelta(days=400),
                             valid_until=today + timedelta(days=700))
        ran = builders.batch(base, staff, start - timedelta(days=20), start=start, days=10,
                             status="enrolling")
        seats = {name: enrolment.apply(ran, db.session.get(Person, person_id), staff)
                 for name, person_id in people.items()}
        batches.start(ran, start)
        for day, session in enumerate(ran.sessions[:3]):
            marks = {seats["absent"].id: "absent",
                     seats["behind"].id: "absent" if day == 0 else "present"}
            attendance.mark_session(session, marks, staff,
                                    builders.local(start + timedelta(days=day), 18))
        db.session.commit()
        assert {e.status for e in db.session.query(Enrolment)} == {"admitted"}
    pages = {}
    for name, username in trainees.items():
        with app.test_client() as client:
            sign_in(client, username)
            pages[name] = client.get("/training/mine").get_data(as_text=True)
    assert OUT_OF_REACH in pages["absent"]
    assert OUT_OF_REACH not in pages["behind"] and "低于" not in pages["behind"]
