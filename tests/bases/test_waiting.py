"""What waits in base certification for the home pages: an officer counts the applications
at their own step in their region, an institution its own returned ones."""

from __future__ import annotations

from tests.conftest import sign_in
from tests.training import builders
from trainhub.bases import waiting
from trainhub.bases.models import BaseApplication
from trainhub.extensions import db


def _application(owner, by, status: str, *, level_sought: str = "county",
                 current_level: str | None = None) -> BaseApplication:
    made = BaseApplication(institution_id=owner.id, kind="training", level_sought=level_sought,
                           specialties=["massage"], region_code=owner.region_code,
                           status=status, current_level=current_level, answers={},
                           created_by_id=by.id)
    db.session.add(made)
    db.session.flush()
    return made


def test_officers_count_what_waits_at_their_own_step_and_region(ctx):
    owner = builders.institution("360102")
    staff = builders.user("institution_staff", institution_id=owner.id)
    county = builders.user("federation_officer", region_code="360102")
    city = builders.user("federation_officer", region_code="3601")
    other_county = builders.user("federation_officer", region_code="360103")
    other_city = builders.user("federation_officer", region_code="3602")
    _application(owner, staff, "in_review", current_level="county")
    _application(owner, staff, "in_review", current_level="county")
    _application(owner, staff, "in_review", level_sought="city", current_level="city")
    _application(owner, staff, "notice", level_sought="city")
    _application(owner, staff, "draft")
    assert waiting.for_officer(county) == waiting.Applications(to_review=2, in_notice=0)
    assert waiting.for_officer(city) == waiting.Applications(to_review=1, in_notice=1)
    assert waiting.for_officer(other_county) == waiting.Applications()
    assert waiting.for_officer(other_city) == waiting.Applications()


def test_staff_count_their_own_applications_only(ctx):
    owner = builders.institution("360102")
    staff = builders.user("institution_staff", institution_id=owner.id)
    _application(owner, staff, "returned")
    _application(owner, staff, "draft")
    _application(owner, staff, "in_review", current_level="county")
    other = builders.institution("360102")
    _application(other, staff, "returned")
    assert waiting.for_staff(staff) == waiting.Applications(returned=1, drafts=1, in_review=1)


def test_the_applications_list_keeps_a_status_filter_in_the_url(app, client, make):
    with app.app_context():
        owner = builders.institution("360102")
        staff = builders.user("institution_staff", institution_id=owner.id)
        returned = _application(owner, staff, "returned").id
        draft = _application(owner, staff, "draft").id
        db.session.commit()
        institution_id = owner.id
    sign_in(client, make.user("institution_staff", institution_id=institution_id))
    every = client.get("/bases/applications").get_data(as_text=True)
    assert f"/bases/applications/{returned}" in every and f"/bases/applications/{draft}" in every
    only = client.get("/bases/applications?status=returned").get_data(as_text=True)
    assert f"/bases/applications/{returned}" in only
    assert f"/bases/applications/{draft}" not in only
    assert '<option value="returned" selected>' in only
    unknown = client.get("/bases/applications?status=nonsense").get_data(as_text=True)
    assert f"/bases/applications/{draft}" in unknown  # an unknown status narrows nothing
