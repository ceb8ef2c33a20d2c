"""Batches open to family members of people with disabilities (残疾人家庭成员, DESIGN §4,
policy 二(六)1 and 3; issue 12, item 4): a person without a disability certificate who
declares how they are related to a certificate holder (the relation and the relative's
certificate number, which an officer can check) takes a seat where the batch says so, with
working age and household still applying, and is told that no subsidy follows; elsewhere
they are refused as before. On every path: the trainee's application page, staff
admission, the Excel import and the API; the roster shows who is a family member."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from tests.conftest import post_form, sign_in
from tests.core.privacy_world import consented
from tests.training import builders
from tests.training.api_world import API, Actors, batch_body, bearer, make_actors
from tests.training.conftest import TODAY
from tests.training.excel_files import trainee_rows, workbook
from trainhub.cli.demo import make_resident_id
from trainhub.core.accounts import activation
from trainhub.core.accounts.claims import claim_settings_from
from trainhub.core.accounts.models import User
from trainhub.core.errors import DomainError
from trainhub.core.people.models import Person
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db
from trainhub.training import eligibility, enrolment, import_jobs, invitations
from trainhub.training.eligibility import Applicant, FamilyTie, Terms
from trainhub.training.models import Batch, Enrolment, Invitation

START = TODAY + timedelta(days=10)
FIRST_DAY = date(2026, 3, 12)
CLOSED = Terms(FIRST_DAY, 16, 60, 55)
OPEN = Terms(FIRST_DAY, 16, 60, 55, open_to_family_members=True)
RELATIVE_ID = make_resident_id("360102", date(1958, 4, 2), 77)
RELATIVE_CERT = f"{RELATIVE_ID}12"  # the disabled relative's 残疾人证号
TIE = FamilyTie("spouse", RELATIVE_CERT)
NOTICE = "作为残疾人家庭成员参加培训，不享受培训补贴和生活补贴"


def _family(**changes) -> Applicant:
    values = dict(sex="F", birth_date=date(1990, 1, 1), has_certificate=False,
                  household_region_code="360102", family_relation="spouse")
    return Applicant(**{**values, **changes})


def _fields(person: Applicant, terms: Terms) -> list[str]:
    return [r.field for r in eligibility.refusals(person, terms)]


# --- the pure rule ---------------------------------------------------------------------

def test_a_declared_family_member_takes_a_seat_where_the_batch_is_open(app):
    assert _fields(_family(), OPEN) == []
    assert eligibility.family_seat(_family(), OPEN)
    with app.app_context():
        told = [_chinese(n) for n in eligibility.notices(_family(), OPEN)]
    assert len(told) == 1 and NOTICE in told[0]


def test_a_batch_not_open_to_family_members_refuses_them_as_before():
    refused = eligibility.refusals(_family(), CLOSED)
    assert [r.field for r in refused] == ["certificate"]
    assert "not open to family members" in refused[0].msgid
    assert not eligibility.family_seat(_family(), CLOSED)
    assert eligibility.notices(_family(), CLOSED) == []


def test_without_a_declaration_an_open_batch_still_asks_for_a_certificate():
    refused = eligibility.refusals(_family(family_relation=None), OPEN)
    assert [r.field for r in refused] == ["certificate"]
    assert "family member" in refused[0].msgid  # says how a family member takes a seat


def test_working_age_and_household_still_apply_to_family_members():
    assert _fields(_family(birth_date=date(1960, 1, 1)), OPEN) == ["age"]
    only = Terms(FIRST_DAY, 16, 60, 55, jiangxi_household_only=True,
                 open_to_family_members=True)
    assert _fields(_family(household_region_code="440305"), only) == ["household"]


def test_a_certificate_holder_takes_the_seat_in_their_own_right():
    holder = _family(has_certificate=True)
    assert _fields(holder, OPEN) == [] and _fields(holder, CLOSED) == []
    assert not eligibility.family_seat(holder, OPEN)
    assert eligibility.notices(holder, OPEN) == []


def test_a_declaration_names_the_relation_and_the_relatives_certificate():
    own = make_resident_id("360102", date(1990, 1, 1), 12)
    assert eligibility.read_tie("spouse", RELATIVE_CERT, own, TODAY) == (TIE, [])
    assert eligibility.read_tie("子女", RELATIVE_CERT.lower(), own, TODAY)[0] == \
        FamilyTie("child", RELATIVE_CERT)
    assert eligibility.read_tie("", "", own, TODAY) == (None, [])

    def problems(relation: str, certificate: str) -> list[str]:
        tie, found = eligibility.read_tie(relation, certificate, own, TODAY)
        assert tie is None
        return [r.field for r in found]

    assert problems("spouse", "") == ["relative_certificate"]
    assert problems("", RELATIVE_CERT) == ["relation"]
    assert problems("邻居", RELATIVE_CERT) == ["relation"]
    assert problems("parent", RELATIVE_ID + "92") == ["relative_certificate"]  # category 9
    assert problems("parent", f"{own}12") == ["relative_certificate"]  # the trainee's own


# --- the service every path goes through ------------------------------------------------

def _open(world, **changes) -> Batch:
    return builders.batch(world.base, world.staff, TODAY, start=START, status="enrolling",
                          open_to_family_members=True, **changes)


def test_an_application_as_a_family_member_is_recorded_with_the_relation(world):
    made = enrolment.apply(_open(world), builders.person(category=None), world.staff,
                           family=TIE)
    assert made.status == "admitted"
    assert (made.family_relation, made.family_cert_number) == ("spouse", RELATIVE_CERT)
    assert enrolment.notices(made) and NOTICE in _chinese(enrolment.notices(made)[0])


def test_a_batch_not_open_to_family_members_refuses_the_application(world):
    batch = builders.batch(world.base, world.staff, TODAY, start=START, status="enrolling")
    with pytest.raises(DomainError, match="not open to family members"):
        enrolment.apply(batch, builders.person(category=None), world.staff, family=TIE)
    assert db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.batch_id == batch.id)) == 0


def test_a_certificate_holders_declaration_is_not_recorded(world):
    made = enrolment.apply(_open(world), builders.person(), world.staff, family=TIE)
    assert (made.status, made.family_relation, made.family_cert_number) == \
        ("admitted", None, None)
    assert enrolment.notices(made) == []


def test_staff_admission_admits_a_family_member_on_the_declaration(world):
    batch = _open(world, admission="manual")
    applied = enrolment.apply(batch, builders.person(category=None), world.staff, family=TIE)
    assert applied.status == "applied"
    enrolment.admit(applied, world.staff)
    db.session.refresh(applied)
    assert (applied.status, applied.family_relation) == ("admitted", "spouse")


def _chinese(reason: eligibility.Reason) -> str:
    with force_locale("zh_Hans_CN"):
        return gettext(reason.msgid, **reason.params)


# --- the pages ---------------------------------------------------------------------------

@pytest.fixture
def site(app, make):
    return builders.certified_site(app, make)


def _batch(app, site, **changes) -> int:
    return builders.site_batch(app, site, **{"status": "enrolling", **changes})


def _trainee(app, make) -> tuple[str, int]:
    with app.app_context():
        made = builders.person(category=None)
        consented(made.id)  # agreed earlier (the consent form has tests of its own)
        db.session.commit()
        person_id = made.id
    return make.user("trainee", person_id=person_id), person_id


def _enrolment(app, batch_id: int) -> Enrolment | None:
    with app.app_context():
        found = db.session.scalar(select(Enrolment).where(Enrolment.batch_id == batch_id))
        if found is not None:
            db.session.expunge(found)
        return found


def test_the_batch_page_and_the_catalogue_say_family_members_may_apply(app, client, site):
    batch_id = _batch(app, site, open_to_family_members=True)
    other = _batch(app, site, title="只招持证残疾人的班")
    catalogue = client.get("/training/courses").get_data(as_text=True)
    shown = "残疾人家庭成员可报名（不享受补贴）"
    assert catalogue.count(shown) == 1
    assert shown in catalogue.split(f"/training/courses/{batch_id}\"")[1].split("</li>")[0]
    assert shown in client.get(f"/training/courses/{batch_id}").get_data(as_text=True)
    assert shown not in client.get(f"/training/courses/{other}").get_data(as_text=True)
    staff = app.test_client()
    sign_in(staff, site["staff"])
    assert shown in staff.get(f"/training/batches/{batch_id}").get_data(as_text=True)


def test_the_batch_form_has_the_flag_with_its_help(app, client, site):
    sign_in(client, site["staff"])
    page = client.get("/training/batches/new").get_data(as_text=True)
    assert 'name="open_to_family_members"' in page
    assert "不享受培训补贴和生活补贴" in page


def test_the_trainee_declares_the_relation_on_the_application_page(app, client, make, site):
    batch_id = _batch(app, site, open_to_family_members=True)
    username, person_id = _trainee(app, make)
    sign_in(client, username)
    page = client.get(f"/training/courses/{batch_id}").get_data(as_text=True)
    form = page.split('id="apply"')[1]
    assert 'name="family_relation"' in form and 'name="relative_cert_number"' in form
    assert NOTICE in form  # told before applying
    response = post_form(client, f"/training/courses/{batch_id}/apply",
                         {"family_relation": "spouse", "relative_cert_number": RELATIVE_CERT})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert NOTICE in client.get(response.headers["Location"]).get_data(as_text=True)
    made = _enrolment(app, batch_id)
    assert made is not None and made.person_id == person_id
    assert (made.status, made.source, made.family_relation, made.family_cert_number) == \
        ("admitted", "self", "spouse", RELATIVE_CERT)


def test_an_invited_family_member_applies_on_the_course_page(app, client, make, site):
    """Staff asked them by number (an invitation): confirming could not carry the relation,
    so their page sends them to the course page, and applying there answers the
    invitation."""
    batch_id = _batch(app, site, open_to_family_members=True)
    username, person_id = _trainee(app, make)
    with app.app_context():
        staff = db.session.query(User).filter_by(username=site["staff"]).one()
        number = db.session.get(Person, person_id).id_number
        invitations.enrol_by_number(db.session.get(Batch, batch_id), number, staff, utcnow())
        db.session.commit()
    sign_in(client, username)
    mine = client.get("/training/mine").get_data(as_text=True)
    assert "以残疾人家庭成员身份在课程页面报名" in mine and "/accept" not in mine
    post_form(client, f"/training/courses/{batch_id}/apply",
              {"family_relation": "child", "relative_cert_number": RELATIVE_CERT})
    with app.app_context():
        answered = db.session.scalar(select(Invitation).where(Invitation.batch_id == batch_id))
        assert answered is not None and answered.status == "accepted"
    assert "以残疾人家庭成员身份在课程页面报名" not in client.get(
        "/training/mine").get_data(as_text=True)


def test_a_missing_relative_certificate_comes_back_on_the_field(app, client, make, site):
    batch_id = _batch(app, site, open_to_family_members=True)
    username, _ = _trainee(app, make)
    sign_in(client, username)
    response = post_form(client, f"/training/courses/{batch_id}/apply",
                         {"family_relation": "parent", "relative_cert_number": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="relative_cert_number-error"' in page and 'href="#relative_cert_number"' in page
    assert '<option selected value="parent">' in page  # what was chosen stays
    assert _enrolment(app, batch_id) is None


def test_a_batch_not_open_asks_no_relation_and_refuses_as_before(app, client, make, site):
    batch_id = _batch(app, site)
    username, _ = _trainee(app, make)
    sign_in(client, username)
    page = client.get(f"/training/courses/{batch_id}").get_data(as_text=True)
    assert 'name="family_relation"' not in page
    response = post_form(client, f"/training/courses/{batch_id}/apply",
                         {"family_relation": "spouse", "relative_cert_number": RELATIVE_CERT})
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "不符合本班的报名条件" in shown and "不接受残疾人家庭成员报名" in shown
    assert _enrolment(app, batch_id) is None


def test_the_roster_shows_the_family_member_and_staff_admit_them(app, client, site):
    batch_id = _batch(app, site, open_to_family_members=True, admission="manual")
    with app.app_context():
        staff = db.session.query(User).filter_by(username=site["staff"]).one()
        applied = enrolment.apply(db.session.get(Batch, batch_id),
                                  builders.person(category=None, name="李家属"), staff,
                                  family=TIE)
        db.session.commit()
        enrolment_id = applied.id
    sign_in(client, site["staff"])
    roster = client.get(f"/training/batches/{batch_id}/roster").get_data(as_text=True)
    row = roster.split("李家属")[1].split("</tr>")[0]
    assert "残疾人家庭成员" in row and "配偶" in row and NOTICE in row
    assert RELATIVE_CERT[:4] + "*" in row and RELATIVE_CERT not in roster  # masked
    post_form(client, f"/training/enrolments/{enrolment_id}/admit", {})
    made = _enrolment(app, batch_id)
    assert made is not None and (made.status, made.family_relation) == ("admitted", "spouse")


# --- the Excel import ---------------------------------------------------------------------

def _import(batch: Batch, staff: User, rows) -> import_jobs.ImportJob:
    job = import_jobs.start_import(batch, io.BytesIO(workbook(rows)), "名单.xlsx", staff,
                                   consented=True)
    db.session.commit()
    import_jobs.run_import(job.id)
    db.session.refresh(job)
    return job


def _family_row(n: int, relation: str = "配偶", certificate: str = RELATIVE_CERT) -> list:
    id_number = make_resident_id("360102", date(1992, 6, 1), 300 + n * 2)
    return [f"家属{n}", id_number, None, "", "东湖区", "未就业", relation, certificate]


def test_the_import_enrols_family_members_from_the_relation_column(world):
    batch = _open(world)
    rows = [*trainee_rows(2), _family_row(1)]
    job = _import(batch, world.staff, rows)
    assert (job.status, job.imported) == ("done", 3), job.errors
    made = db.session.scalars(select(Enrolment).where(Enrolment.batch_id == batch.id)
                              .order_by(Enrolment.id)).all()
    assert [(e.source, e.family_relation) for e in made] == \
        [("import", None), ("import", None), ("import", "spouse")]
    assert made[2].family_cert_number == RELATIVE_CERT


def test_the_import_refuses_every_wrong_declaration_and_imports_nothing(world):
    closed = builders.batch(world.base, world.staff, TODAY, start=START, status="enrolling")
    job = _import(closed, world.staff, [*trainee_rows(1), _family_row(1)])
    assert job.status == "failed" and job.imported == 0
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "残疾人证号")]
    with force_locale("zh_Hans_CN"):
        assert "不接受残疾人家庭成员报名" in gettext(job.errors[0]["message"])

    batch = _open(world)
    rows = [*trainee_rows(1), _family_row(1), _family_row(2, relation="邻居"),
            _family_row(3, certificate=""), _family_row(4, relation="")]
    job = _import(batch, world.staff, rows)
    assert job.status == "failed" and job.imported == 0
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (4, "残疾人家庭成员关系"), (5, "残疾亲属的残疾人证号"), (6, "残疾人家庭成员关系")]
    assert db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.batch_id.in_([closed.id, batch.id]))) == 0


# --- the API -------------------------------------------------------------------------------

@pytest.fixture
def actors(app) -> Actors:
    return make_actors(app)


def test_the_batch_flag_round_trips_through_the_api(app, client, actors):
    body = batch_body(actors.base_id, local_today() + timedelta(days=10),
                      open_to_family_members=True)
    created = client.post(f"{API}/batches", json=body, headers=actors.staff)
    assert created.status_code == 201, created.json
    assert created.json["open_to_family_members"] is True
    batch_id = created.json["id"]
    assert client.get(f"{API}/batches/{batch_id}", headers=actors.staff).json[
        "open_to_family_members"] is True
    listed = client.get(f"{API}/batches", headers=actors.staff).json["items"]
    assert [b["open_to_family_members"] for b in listed if b["id"] == batch_id] == [True]
    body.pop("base_id")
    changed = client.put(f"{API}/batches/{batch_id}", headers=actors.staff,
                         json={**body, "open_to_family_members": False})
    assert changed.status_code == 200, changed.json
    assert changed.json["open_to_family_members"] is False
    del body["open_to_family_members"]  # absent: not open
    assert client.put(f"{API}/batches/{batch_id}", headers=actors.staff,
                      json=body).json["open_to_family_members"] is False
    refused = client.put(f"{API}/batches/{batch_id}", headers=actors.staff,
                         json={**body, "open_to_family_members": "yes"})
    assert refused.status_code == 422


def _coded_family_member(app, site) -> tuple[str, str, dict[str, str]]:
    """A person without a certificate holding an activation code, and the staff's token."""
    with app.app_context():
        staff = db.session.query(User).filter_by(username=site["staff"]).one()
        person = builders.person(category=None)
        _row, code = activation.issue(person, staff, claim_settings_from(app.config), utcnow())
        headers = bearer(staff)
        db.session.commit()
        return person.id_number, code, headers


def test_the_api_enrols_a_family_member_with_the_declaration(app, client, site):
    batch_id = _batch(app, site, open_to_family_members=True)
    number, code, headers = _coded_family_member(app, site)
    made = client.post(f"{API}/batches/{batch_id}/enrolments", headers=headers, json={
        "id_number": number, "activation_code": code, "paper_consent": True,
        "family_relation": "parent",
        "relative_cert_number": RELATIVE_CERT})
    assert made.status_code == 201, made.json
    assert (made.json["status"], made.json["family_relation"]) == ("admitted", "parent")
    assert made.json["relative_cert_number_masked"] == RELATIVE_CERT[:4] + "*" * 12 + \
        RELATIVE_CERT[-4:]
    assert any(NOTICE in n for n in made.json["notices"])
    assert RELATIVE_CERT not in made.get_data(as_text=True)
    listed = client.get(f"{API}/batches/{batch_id}/enrolments", headers=headers).json
    assert [e["family_relation"] for e in listed["items"]] == ["parent"]


def test_the_api_refuses_a_family_member_where_the_batch_is_not_open(app, client, site):
    batch_id = _batch(app, site)
    number, code, headers = _coded_family_member(app, site)
    refused = client.post(f"{API}/batches/{batch_id}/enrolments", headers=headers, json={
        "id_number": number, "activation_code": code, "paper_consent": True,
        "family_relation": "parent",
        "relative_cert_number": RELATIVE_CERT})
    assert refused.status_code == 400
    assert "不接受残疾人家庭成员报名" in refused.json["message"]
    wrong = client.post(f"{API}/batches/{batch_id}/enrolments", headers=headers, json={
        "id_number": number, "activation_code": code, "family_relation": "neighbour"})
    assert wrong.status_code == 422
    without_code = client.post(f"{API}/batches/{batch_id}/enrolments", headers=headers, json={
        "id_number": number, "family_relation": "parent",
        "relative_cert_number": RELATIVE_CERT})
    assert without_code.status_code == 400  # the declaration is the person's: with their code
    assert "激活码" in without_code.json["message"]
    assert _enrolment(app, batch_id) is None


def test_the_api_admission_admits_a_family_member(app, client, site):
    batch_id = _batch(app, site, open_to_family_members=True, admission="manual")
    with app.app_context():
        staff = db.session.query(User).filter_by(username=site["staff"]).one()
        applied = enrolment.apply(db.session.get(Batch, batch_id),
                                  builders.person(category=None), staff, family=TIE)
        headers = bearer(staff)
        db.session.commit()
        enrolment_id = applied.id
    admitted = client.post(f"{API}/enrolments/{enrolment_id}/admit", headers=headers)
    assert admitted.status_code == 200, admitted.json
    assert (admitted.json["status"], admitted.json["family_relation"]) == \
        ("admitted", "spouse")
    assert any(NOTICE in n for n in admitted.json["notices"])
