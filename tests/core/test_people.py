"""Person records: validation, encryption at rest, blind index, masking, scoped access."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select, text

from tests.conftest import post_form, sign_in
from trainhub.cli.demo import make_resident_id
from trainhub.core.audit.models import AuditEntry
from trainhub.core.errors import DomainError
from trainhub.core.people import services
from trainhub.core.people.models import EmploymentStatus, Person
from trainhub.extensions import db

TODAY = date(2026, 11, 29)
ID_FEMALE = make_resident_id("360102", date(1995, 3, 14), 142)
ID_MALE = make_resident_id("360111", date(1988, 7, 2), 317)


def person_input(**overrides) -> services.PersonInput:
    values = dict(name="刘晓燕", id_number=ID_FEMALE, cert_number=f"{ID_FEMALE}22",
                  phone="13870061234", household_region_code="360102",
                  employment_status=EmploymentStatus.UNEMPLOYED,
                  needs=frozenset({"needs_sign_language"}))
    values.update(overrides)
    return services.PersonInput(**values)


def test_sex_birth_date_category_and_grade_come_from_the_numbers(ctx):
    person = services.create_person(person_input(), TODAY)
    assert (person.sex, person.birth_date) == ("F", date(1995, 3, 14))
    assert (person.disability_category, person.disability_grade) == (2, 2)
    assert person.accessibility_needs() == ["needs_sign_language"]
    assert services.age_on(person, date(2026, 3, 13)) == 30
    assert services.age_on(person, date(2026, 3, 14)) == 31


def test_numbers_are_encrypted_at_rest_and_found_by_blind_index(ctx):
    person = services.create_person(person_input(), TODAY)
    db.session.flush()
    raw = db.session.execute(
        text("SELECT id_number, cert_number, phone FROM people WHERE id = :id"),
        {"id": person.id},
    ).one()
    for stored, clear in zip(raw, (ID_FEMALE, f"{ID_FEMALE}22", "13870061234"), strict=True):
        assert clear not in stored and stored.startswith("k1:")
    assert person.id_number_index != ID_FEMALE
    officer = _officer("3601")
    assert services.find_by_id_number(officer, ID_FEMALE.lower()).id == person.id
    assert services.find_by_id_number(officer, f"{ID_FEMALE}22").id == person.id
    assert services.find_by_id_number(_officer("3607"), ID_FEMALE) is None


def _officer(region: str):
    from trainhub.core.accounts.models import User

    return User(id=99, username="o", role="federation_officer", region_code=region)


@pytest.mark.parametrize(("field", "overrides", "code"), [
    ("id_number", {"id_number": ID_FEMALE[:-1] + ("0" if ID_FEMALE[-1] != "0" else "1")},
     "checksum"),
    ("id_number", {"id_number": make_resident_id("360102", date(2027, 1, 1), 11)},
     "birth_date_future"),
    ("cert_number", {"cert_number": f"{ID_MALE}22"}, "cert_id_mismatch"),
    ("cert_number", {"cert_number": f"{ID_FEMALE}82"}, "cert_category"),
    ("cert_number", {"cert_number": f"{ID_FEMALE}25"}, "cert_grade"),
])
def test_bad_numbers_are_refused_and_nothing_is_saved(ctx, field, overrides, code):
    audit_rows = db.session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(services.InvalidIdentity) as raised:
        services.create_person(person_input(**overrides), TODAY)
    assert (raised.value.field, raised.value.code) == (field, code)
    assert db.session.scalar(select(Person.id)) is None
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audit_rows


def test_the_same_person_cannot_be_registered_twice(ctx):
    services.create_person(person_input(), TODAY)
    with pytest.raises(DomainError):
        services.create_person(person_input(name="另一个"), TODAY)


def test_list_masks_numbers(client, make):
    make.person("360102", name="王小明")
    sign_in(client, make.user("federation_officer", region_code="3601"))
    page = client.get("/people/").get_data(as_text=True)
    assert "王小明" in page
    assert re.search(r"3601\*{10}\w{4}", page)
    assert not re.search(r"\b3601\d{13}[\dX]\b", page)


def test_officer_of_another_city_is_refused_and_audited(app, client, make):
    person_id = make.person("360102")
    sign_in(client, make.user("federation_officer", region_code="3607"))
    assert client.get(f"/people/{person_id}").status_code == 403
    with app.app_context():
        denied = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "access.denied")).all()
    assert denied[-1].object_type == "person" and denied[-1].object_id == str(person_id)
    assert denied[-1].outcome == "denied"


def test_unmasking_shows_full_numbers_and_logs_the_purpose(app, client, make):
    person_id = make.person("360102")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    response = post_form(client, f"/people/{person_id}/unmask", {"purpose": "核对补贴申请"})
    assert response.status_code == 200
    assert re.search(r"\b360102\d{11}[\dX]\b", response.get_data(as_text=True))
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "person.unmask")).one()
    assert entry.details == {"purpose": "核对补贴申请"}


def test_unmasking_needs_a_purpose(client, make):
    person_id = make.person("360102")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    response = post_form(client, f"/people/{person_id}/unmask", {"purpose": ""})
    assert response.status_code == 400


def test_search_by_number_is_post_only(client, make):
    sign_in(client, make.user("federation_officer"))
    assert client.get("/people/search?number=360102199005170011").status_code == 405


def test_register_through_the_form_shows_field_errors(app, client, make):
    sign_in(client, make.user("federation_officer", region_code="3601"))
    bad = ID_FEMALE[:-1] + ("0" if ID_FEMALE[-1] != "0" else "1")
    form = {"name": "刘晓燕", "id_number": bad, "cert_number": "", "phone": "",
            "household_region_code": "360102", "employment_status": "unemployed"}
    response = post_form(client, "/people/new", form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="id_number-error"' in html and 'aria-invalid="true"' in html
    response = post_form(client, "/people/new", dict(form, id_number=ID_FEMALE, consent="y"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Person.name)) == "刘晓燕"


def test_registering_a_person_records_their_paper_consent_or_is_refused(app, client, make):
    from trainhub.core.accounts.models import User
    from trainhub.core.privacy.models import Consent
    from trainhub.core.privacy.notice import CURRENT

    officer = make.user("federation_officer", region_code="3601")
    sign_in(client, officer)
    page = client.get("/people/new").get_data(as_text=True)
    assert CURRENT.title in page and 'name="consent"' in page
    bad = ID_FEMALE[:-1] + ("0" if ID_FEMALE[-1] != "0" else "1")
    form = {"name": "刘晓燕", "id_number": bad, "household_region_code": "360102",
            "employment_status": "unemployed"}
    refused = post_form(client, "/people/new", form)
    html = refused.get_data(as_text=True)
    # Both problems in one answer: the number and the missing consent.
    assert refused.status_code == 400
    assert 'id="id_number-error"' in html and 'id="consent-error"' in html
    refused = post_form(client, "/people/new", dict(form, id_number=ID_FEMALE))
    assert refused.status_code == 400 and 'id="consent-error"' in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Person)) == 0
    assert post_form(client, "/people/new", dict(form, id_number=ID_FEMALE,
                                                 consent="y")).status_code == 302
    with app.app_context():
        person_id = db.session.scalar(select(Person.id))
        rows = db.session.execute(select(Consent.person_id, Consent.method,
                                         Consent.notice_version, User.username)
                                  .join(User, User.id == Consent.recorded_by_id)).all()
    assert [tuple(r) for r in rows] == [(person_id, "paper", CURRENT.version, officer)]


def test_officer_cannot_register_outside_their_region(client, make):
    sign_in(client, make.user("federation_officer", region_code="360102"))
    form = {"name": "外区", "id_number": ID_MALE, "household_region_code": "360702",
            "employment_status": "unemployed"}
    response = post_form(client, "/people/new", form)
    assert response.status_code == 400  # 360702 is not among the officer's choices


def test_trainee_sees_only_their_own_record(client, make):
    own = make.person("360102", name="本人")
    other = make.person("360102", name="他人")
    sign_in(client, make.user("trainee", person_id=own))
    assert "本人" in client.get("/people/me").get_data(as_text=True)
    assert client.get(f"/people/{own}").status_code == 200
    assert client.get(f"/people/{other}").status_code == 403


def test_people_list_uses_a_fixed_number_of_queries(client, make, count_queries):
    sign_in(client, make.user("federation_officer", region_code="3601"))
    for i in range(3):
        make.person("360102", name=f"甲{i}")
    with count_queries() as few:
        client.get("/people/")
    for i in range(10):
        make.person("360111", name=f"乙{i}")
    with count_queries() as many:
        client.get("/people/")
    assert len(many) == len(few)


def test_each_view_of_someone_elses_record_is_logged(app, client, make):
    person_id = make.person("360102")
    sign_in(client, make.user("federation_officer", region_code="3601"))
    client.get(f"/people/{person_id}")
    client.get(f"/people/{person_id}")
    with app.app_context():
        views = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "person.view")).all()
    assert [v.object_id for v in views] == [str(person_id)] * 2


def test_editing_a_record_is_audited_with_what_changed(app, client, make):
    person_id = make.person("360102")
    sign_in(client, make.user("federation_officer", region_code="3601"))
    page = client.get(f"/people/{person_id}/edit")
    assert page.status_code == 200
    with app.app_context():
        person = db.session.get(Person, person_id)
        form = {"name": person.name, "id_number": person.id_number,
                "cert_number": person.cert_number, "phone": person.phone,
                "household_region_code": "360111", "employment_status": "employed",
                "needs_braille": "y"}
    response = post_form(client, f"/people/{person_id}/edit", form)
    assert response.status_code == 302
    with app.app_context():
        person = db.session.get(Person, person_id)
        assert (person.household_region_code, person.employment_status) == ("360111", "employed")
        assert person.needs_braille
        update = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "person.update")).one()
        assert update.details["changed"]["household_region_code"] == ["360102", "360111"]
        purposes = [e.details.get("purpose") for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "person.unmask"))]
        assert "edit record" in purposes


def test_huge_ids_and_pages_are_answered_not_crashed(client, make):
    sign_in(client, make.user("federation_officer"))
    assert client.get(f"/people/{2**63}").status_code == 404
    assert client.get(f"/people/?page={10**20}").status_code == 200
    assert client.get(f"/audit/?page={10**20}").status_code == 200
