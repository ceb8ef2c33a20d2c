"""Who may take a seat (issue 12, item 4): a valid disability certificate, working age on the
batch's first day, a Jiangxi household where the batch requires it — on every path
(application, staff admission, Excel import, API), with the reason in plain Chinese; and a
trainee's recorded needs against the batch's provisions, shown but never refusing."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from tests.conftest import post_form, sign_in
from tests.training import builders
from tests.training.api_world import bearer
from tests.training.conftest import TODAY
from tests.training.excel_files import trainee_rows, workbook
from trainhub.cli.demo import make_resident_id
from trainhub.core.accounts.models import User
from trainhub.core.errors import DomainError
from trainhub.core.regions import Region
from trainhub.extensions import db
from trainhub.training import eligibility, enrolment, import_jobs
from trainhub.training.eligibility import Applicant, Terms
from trainhub.training.models import Batch, Enrolment

START = TODAY + timedelta(days=10)
TERMS = Terms(start_date=date(2026, 3, 12), age_min=16, age_limit_male=60, age_limit_female=55)


def _fields(person: Applicant, terms: Terms = TERMS) -> list[str]:
    return [r.field for r in eligibility.refusals(person, terms)]


# --- the pure rule ---------------------------------------------------------------------

def test_a_certificate_holder_of_working_age_is_admitted():
    assert _fields(Applicant("F", date(1990, 1, 1), True, "360102")) == []


def test_no_certificate_is_refused():
    assert _fields(Applicant("M", date(1990, 1, 1), False, "360102")) == ["certificate"]


@pytest.mark.parametrize(("sex", "born", "refused"), [
    ("M", date(1966, 3, 13), False),  # 59 on the first day
    ("M", date(1966, 3, 12), True),   # 60 that day
    ("F", date(1971, 3, 13), False),  # 54
    ("F", date(1971, 3, 12), True),   # 55
    ("M", date(2010, 3, 12), False),  # 16 that day
    ("F", date(2010, 3, 13), True),   # 15
])
def test_working_age_is_read_on_the_first_day(sex, born, refused):
    assert _fields(Applicant(sex, born, True, "360102")) == (["age"] if refused else [])


def test_the_household_counts_only_where_the_batch_says_so():
    outside = Applicant("M", date(1990, 1, 1), True, "440305")
    assert _fields(outside) == []
    only = Terms(TERMS.start_date, 16, 60, 55, jiangxi_household_only=True)
    assert _fields(outside, only) == ["household"]
    assert _fields(Applicant("M", date(1990, 1, 1), True, "360102"), only) == []


def test_unmet_needs_are_the_provisions_the_batch_lacks():
    assert eligibility.unmet_needs(["needs_sign_language", "needs_braille"],
                                   ["braille", "screen_reader"]) == ["sign_language"]
    assert eligibility.unmet_needs([], ["braille"]) == []


# --- the service every path goes through ------------------------------------------------

def _seats(batch: Batch) -> int:
    db.session.refresh(batch)
    return batch.seats_taken


def _enrolments(batch: Batch) -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.batch_id == batch.id)) or 0


def test_an_application_without_a_certificate_is_refused_and_changes_nothing(world):
    batch = builders.batch(world.base, world.staff, TODAY, start=START, status="enrolling")
    with pytest.raises(DomainError) as refused:
        enrolment.apply(batch, builders.person(category=None), world.staff)
    assert "disability certificate" in str(refused.value)
    assert (_enrolments(batch), _seats(batch)) == (0, 0)


def test_an_application_past_working_age_is_refused(world):
    batch = builders.batch(world.base, world.staff, TODAY, start=START, status="enrolling")
    old = builders.person(born=START.replace(year=START.year - 60), male=True)
    with pytest.raises(DomainError, match="past the working age"):
        enrolment.apply(batch, old, world.staff)
    assert _enrolments(batch) == 0


def test_a_batch_for_jiangxi_households_refuses_another_province(world):
    db.session.add(Region(code="440305", name="南山区", level="county"))
    db.session.flush()
    batch = builders.batch(world.base, world.staff, TODAY, start=START, status="enrolling",
                           jiangxi_household_only=True)
    with pytest.raises(DomainError, match="Jiangxi household"):
        enrolment.apply(batch, builders.person("440305"), world.staff)
    assert enrolment.apply(batch, builders.person(), world.staff).status == "admitted"


def test_staff_admission_checks_again(world):
    batch = builders.batch(world.base, world.staff, TODAY, start=START, status="enrolling",
                           admission="manual")
    person = builders.person()
    applied = enrolment.apply(batch, person, world.staff)
    person.disability_category = person.disability_grade = None  # certificate withdrawn
    person.cert_number = person.cert_number_index = None
    db.session.flush()
    with pytest.raises(DomainError, match="disability certificate"):
        enrolment.admit(applied, world.staff)
    db.session.refresh(applied)
    assert (applied.status, _seats(batch)) == ("applied", 0)


def test_unmet_needs_never_refuse_a_seat(world):
    batch = builders.batch(world.base, world.staff, TODAY, start=START, status="enrolling",
                           provisions=("braille", "screen_reader"))
    deaf = builders.person(category=2, needs=frozenset({"needs_sign_language"}))
    assert enrolment.unmet_needs(batch, deaf) == ["sign_language"]
    assert enrolment.apply(batch, deaf, world.staff).status == "admitted"


# --- the Excel import: every ineligible row with its reason, nothing imported -----------

def test_the_import_reports_every_row_without_a_certificate_and_imports_nothing(world):
    batch = builders.batch(world.base, world.staff, TODAY, start=START, status="enrolling")
    rows = trainee_rows(5)
    for row in (rows[1], rows[2], rows[4]):
        row[2] = None  # no disability certificate
    old_id = make_resident_id("360102", date(1950, 1, 1), 901)
    rows.append(["老学员", old_id, f"{old_id}12", "", "东湖区", "未就业"])
    job = import_jobs.start_import(batch, io.BytesIO(workbook(rows)), "名单.xlsx", world.staff,
                                   consented=True)
    db.session.commit()
    import_jobs.run_import(job.id)
    db.session.refresh(job)
    assert job.status == "failed" and job.imported == 0
    with force_locale("zh_Hans_CN"):
        shown = [(e["row"], e["column"], gettext(e["message"], **e["params"]))
                 for e in job.errors]
    assert [(row, column) for row, column, _ in shown] == [
        (3, "残疾人证号"), (4, "残疾人证号"), (6, "残疾人证号"), (7, "公民身份号码")]
    assert all("残疾人证" in text for _, _, text in shown[:3])
    assert "劳动年龄" in shown[3][2]
    assert (_enrolments(batch), _seats(batch)) == (0, 0)


def test_a_registered_person_is_judged_on_their_record(world):
    batch = builders.batch(world.base, world.staff, TODAY, start=START, status="enrolling")
    registered = builders.person(category=None)
    db.session.commit()
    # The row adds a certificate; the record the import would reuse has none.
    row = [registered.name, registered.id_number, None, "", "东湖区", "未就业"]
    job = import_jobs.start_import(batch, io.BytesIO(workbook([row])), "名单.xlsx", world.staff,
                                   consented=True)
    db.session.commit()
    import_jobs.run_import(job.id)
    db.session.refresh(job)
    assert job.status == "failed"
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "残疾人证号")]


# --- the pages and the API ----------------------------------------------------------------

@pytest.fixture
def site(app, make):
    return builders.certified_site(app, make, contact_phone="0791-88886666")


def _open_batch(app, site, **changes) -> int:
    return builders.site_batch(app, site, **{"status": "enrolling", **changes})


def _trainee(app, make, **person) -> tuple[str, int]:
    with app.app_context():
        made = builders.person(**person)
        db.session.commit()
        person_id = made.id
    return make.user("trainee", person_id=person_id), person_id


def test_the_trainee_sees_unmet_needs_before_applying_and_may_still_apply(app, client, make,
                                                                          site):
    batch_id = _open_batch(app, site, provisions=("braille", "screen_reader"))
    username, person_id = _trainee(app, make, category=2,
                                   needs=frozenset({"needs_sign_language"}))
    sign_in(client, username)
    page = client.get(f"/training/courses/{batch_id}").get_data(as_text=True)
    assert "手语翻译" in page.split('id="unmet-title"')[1]
    assert "0791-88886666" in page
    post_form(client, f"/training/courses/{batch_id}/apply", {"consent": "y"})
    staff = app.test_client()
    sign_in(staff, site["staff"])
    roster = staff.get(f"/training/batches/{batch_id}/roster").get_data(as_text=True)
    assert "未提供的便利" in roster and "手语翻译" in roster.split("<tbody>")[1]


def test_the_trainee_without_a_certificate_reads_the_reason_in_chinese(app, client, make,
                                                                       site):
    batch_id = _open_batch(app, site)
    username, _ = _trainee(app, make, category=None)
    sign_in(client, username)
    response = post_form(client, f"/training/courses/{batch_id}/apply", {"consent": "y"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "不符合本班的报名条件" in page and "没有登记有效的残疾人证" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrolment).where(
            Enrolment.batch_id == batch_id)) == 0


def test_the_api_admission_gives_the_reason(app, make, site):
    batch_id = _open_batch(app, site, admission="manual")
    with app.app_context():
        staff = db.session.query(User).filter_by(username=site["staff"]).one()
        person = builders.person()
        applied = enrolment.apply(db.session.get(Batch, batch_id), person, staff)
        person.disability_category = person.disability_grade = None
        person.cert_number = person.cert_number_index = None
        headers = bearer(staff)
        db.session.commit()
        enrolment_id = applied.id
    response = app.test_client().post(f"/api/v1/training/enrolments/{enrolment_id}/admit",
                                      headers=headers)
    assert response.status_code == 400
    assert "残疾人证" in response.get_json()["message"]
