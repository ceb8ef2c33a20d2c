"""The lists of applications and bases read the object check's own definition
(bases.rules): on a small world, everything listed is opened, everything opened is listed;
an officer sees an institution's application once it is submitted, not its draft."""

from __future__ import annotations

from sqlalchemy import select

from tests.training import builders
from trainhub.bases import loaders
from trainhub.bases.models import ApplicationStatus, Base, BaseApplication
from trainhub.core import policy
from trainhub.extensions import db


def test_the_lists_are_what_the_pages_open(ctx):
    schools = [builders.institution("360102"), builders.institution("360702")]
    for school in schools:
        builders.base(school)
        for status in (ApplicationStatus.DRAFT, ApplicationStatus.IN_REVIEW):
            db.session.add(BaseApplication(
                institution_id=school.id, kind="training", level_sought="county",
                specialties=["massage"], region_code=school.region_code, status=status.value,
                answers={}, created_by_id=builders.user("admin").id))
    db.session.flush()
    users = [builders.user("institution_staff", institution_id=schools[0].id),
             builders.user("admin"), builders.user("enterprise_contact",
                                                   enterprise_id=builders.enterprise().id),
             *(builders.user("federation_officer", region_code=code)
               for code in ("36", "3601", "360102", "360103", "3607"))]
    applications = db.session.scalars(select(BaseApplication)).all()
    bases = db.session.scalars(select(Base)).all()
    for user in users:
        listed = set(db.session.scalars(loaders.visible_applications(user)).all())
        assert listed == {a for a in applications if policy.may(user, "bases.view", a)}, user
        listed_bases = set(db.session.scalars(loaders.visible_bases(user)).all())
        assert listed_bases == {b for b in bases if policy.may(user, "bases.view", b)}, user
    draft = next(a for a in applications if a.status == "draft" and a.region_code == "360102")
    assert not policy.may(users[-3], "bases.view", draft)  # the county officer
    assert policy.may(users[0], "bases.view", draft)  # its institution
