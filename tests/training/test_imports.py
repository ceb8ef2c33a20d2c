"""Bulk enrolment from Excel: every row checked, errors by row and column in Chinese,
nothing imported unless the whole file is valid, progress visible while it runs."""

from __future__ import annotations

import io
import re
import uuid
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext
from rq import SimpleWorker
from sqlalchemy import func, select

from tests.conftest import csrf_token, sign_in
from tests.training import builders
from tests.training.conftest import TODAY
from tests.training.excel_files import (
    CSV,
    PDF,
    excel_site,
    set_capacity,
    trainee_rows,
    workbook,
    zip_bomb,
)
from trainhub.cli.demo import make_resident_id
from trainhub.core import jobs
from trainhub.core.accounts.models import User
from trainhub.core.audit.models import AuditEntry
from trainhub.core.errors import Conflict
from trainhub.core.files import upload_folder
from trainhub.core.people.models import Person
from trainhub.core.timeutil import local_today, utcnow
from trainhub.extensions import db
from trainhub.training import bulk_enrolment, enrolment, import_jobs, imports
from trainhub.training.imports import FileProblem
from trainhub.training.models import Batch, Enrolment, ImportJob


def _run(batch, staff, data: bytes, name: str = "学员名单.xlsx") -> ImportJob:
    job = import_jobs.start_import(batch, io.BytesIO(data), name, staff, consented=True)
    db.session.commit()
    import_jobs.run_import(job.id)
    db.session.refresh(job)
    return job


def _enrolled(batch) -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.batch_id == batch.id)) or 0


def _people() -> int:
    return db.session.scalar(select(func.count()).select_from(Person)) or 0


def _chinese(job: ImportJob) -> list[tuple[object, str, str]]:
    with force_locale("zh_Hans_CN"):
        return [(e["row"], e["column"], gettext(e["message"], **e["params"]))
                for e in job.errors]


# --- the package ---------------------------------------------------------------------

@pytest.mark.parametrize("data", [PDF, CSV, b"PK\x03\x04 not really a zip",
                                  zip_bomb(1)[:200]])
def test_files_that_are_not_workbooks_are_refused_whatever_their_name(data):
    with pytest.raises(FileProblem, match="not an Excel workbook"):
        imports.check_package(data)


def test_an_old_xls_file_is_told_to_save_as_xlsx():
    with pytest.raises(FileProblem, match="97-2003"):
        imports.check_package(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500)


def test_a_zip_bomb_is_refused_by_its_unpacked_size():
    with pytest.raises(FileProblem, match="unpacks to more than 4 MB"):
        imports.check_package(zip_bomb(5), max_unzipped=4 * 1024 * 1024)
    imports.check_package(zip_bomb(3), max_unzipped=4 * 1024 * 1024)  # within the cap


def test_a_file_over_the_size_cap_is_refused():
    with pytest.raises(FileProblem, match="larger than 1 MB"):
        imports.check_package(b"PK\x03\x04" + b"\0" * (1024 * 1024), max_bytes=1024 * 1024)


def test_missing_columns_are_named():
    data = workbook([["张三", "360102199001010026"]], header=["姓名", "身份证号"])
    with pytest.raises(FileProblem) as refused:
        imports.read_rows(data)
    assert refused.value.params == {"sheets": "“学员名单”", "sheet": "学员名单",
                                    "columns": "户籍所在县（市、区）"}


def test_headers_typed_by_hand_and_empty_rows_are_tolerated():
    header = [" 姓名* ", "身份证号码", "户籍所在县(市、区)"]
    rows = imports.read_rows(workbook([["张三", "x", "360102"], [None, None, ""],
                                       ["李四", "y", "东湖区"]], header=header))
    assert [(r.number, r.cells["name"]) for r in rows] == [(2, "张三"), (4, "李四")]


# --- every row, every error ----------------------------------------------------------

def test_a_valid_file_imports_everyone_and_reuses_registered_people(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=10)
    known = builders.person(name="王五")
    rows = trainee_rows(3) + [["王五", known.id_number, None, None, "360102", "已就业"]]
    people_before = _people()
    job = _run(batch, world.staff, workbook(rows))
    assert (job.status, job.imported, job.total_rows, job.errors) == ("done", 4, 4, [])
    assert _people() == people_before + 3  # 王五 reused, not duplicated
    made = db.session.scalars(select(Enrolment).where(Enrolment.batch_id == batch.id)).all()
    assert {(e.status, e.source) for e in made} == {("admitted", "import")}
    db.session.refresh(batch)
    assert batch.seats_taken == 4
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "training_import.run")).one()
    assert entry.details == {"batch": batch.id, "file": "学员名单.xlsx", "rows": 4,
                             "imported": 4, "errors": 0, "status": "done"}
    assert entry.actor_id == world.staff.id


def test_one_bad_row_among_a_thousand_imports_nothing_and_names_it(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    set_capacity(batch, 1200)
    rows = trainee_rows(1001)
    rows[637][1] = rows[637][1][:17] + ("0" if rows[637][1][17] != "0" else "1")
    people_before = _people()
    job = _run(batch, world.staff, workbook(rows))
    assert (job.status, job.imported, job.total_rows) == ("failed", 0, 1001)
    # A typo in the ID number: the certificate number no longer matches it either.
    assert _chinese(job) == [
        (639, "公民身份号码", "校验码（最后一位）不正确，请检查号码是否输错。"),
        (639, "残疾人证号", "残疾人证号的前 18 位应与公民身份号码一致。")]
    assert (_enrolled(batch), _people()) == (0, people_before)


def test_every_error_of_every_row_is_reported(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    good = trainee_rows(2)
    rows = [
        good[0],
        ["", "36010219900101002X", good[1][2], "1380013800", "西湖县", "退休"],
        [None, 3.60102199001010e17, None, None, "360102", None],
        ["赵六", make_resident_id("360102", date(2030, 1, 1), 2), None, None, "360102", None],
        ["钱七", good[0][1][:17] + "X", None, None, None, None],
    ]
    job = _run(batch, world.staff, workbook(rows))
    found = {(row, column) for row, column, _message in _chinese(job)}
    assert found == {(3, "姓名"), (3, "公民身份号码"), (3, "残疾人证号"), (3, "手机号码"),
                     (3, "户籍所在县（市、区）"), (3, "就业状况"),
                     (4, "姓名"), (4, "公民身份号码"), (5, "公民身份号码"),
                     (6, "公民身份号码"), (6, "户籍所在县（市、区）")}
    messages = dict(((r, c), m) for r, c, m in _chinese(job))
    assert "存成了数字" in messages[(4, "公民身份号码")]
    assert "晚于今天" in messages[(5, "公民身份号码")]
    assert "西湖县" in messages[(3, "户籍所在县（市、区）")]
    assert _enrolled(batch) == 0


def test_a_certificate_of_someone_else_is_named(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    one, two = trainee_rows(2)
    one[2] = two[2]
    job = _run(batch, world.staff, workbook([one]))
    assert _chinese(job) == [(2, "残疾人证号", "残疾人证号的前 18 位应与公民身份号码一致。")]


def test_duplicates_inside_the_file_name_both_rows(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    rows = trainee_rows(4)
    rows[3][1], rows[3][2] = rows[1][1], rows[1][2]
    job = _run(batch, world.staff, workbook(rows))
    assert job.status == "failed"
    (error,) = job.errors
    assert (error["row"], error["column"], error["params"]) == (5, "公民身份号码",
                                                                {"first": 3, "row": 5})
    assert "第 3 行和第 5 行" in _chinese(job)[0][2]


def test_someone_already_in_the_batch_is_refused(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    person = builders.person(name="孙八")
    enrolment.apply(batch, person, world.staff)
    rows = trainee_rows(2) + [["孙八", person.id_number, person.cert_number, None, "360102",
                               None]]
    job = _run(batch, world.staff, workbook(rows))
    assert [(r, c) for r, c, _m in _chinese(job)] == [(4, "公民身份号码")]
    assert _enrolled(batch) == 1


def test_a_registered_person_under_another_name_is_refused_without_showing_the_name(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    person = builders.person(name="周九")
    job = _run(batch, world.staff, workbook([["周久", person.id_number, None, None, "360102",
                                              None]]))
    ((row, column, message),) = _chinese(job)
    assert (row, column) == (2, "姓名") and "周九" not in message


def test_more_rows_than_free_seats_is_one_clear_error_with_the_figures(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling", capacity=5)
    builders.enrol(batch, 2, world.staff)
    job = _run(batch, world.staff, workbook(trainee_rows(4)))
    assert job.errors == [{"row": None, "column": "", "message": import_jobs.CAPACITY,
                           "params": {"rows": 4, "left": 3, "capacity": 5}}]
    assert "4 名学员" in _chinese(job)[0][2] and "3 个" in _chinese(job)[0][2]
    assert _enrolled(batch) == 2


def test_a_seat_held_in_an_overlapping_batch_is_named(world):
    first = builders.batch(world.base, world.staff, TODAY, status="enrolling", title="早班")
    second = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    person = builders.person(name="吴十")
    enrolment.apply(first, person, world.staff)
    job = _run(second, world.staff, workbook([["吴十", person.id_number, None, None, "360102",
                                               None]]))
    assert job.errors[0]["params"] == {"title": "早班"}


def test_manual_admission_batches_admit_the_imported_rows(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling",
                           admission="manual", capacity=3)
    job = _run(batch, world.staff, workbook(trainee_rows(3)))
    assert job.imported == 3
    statuses = db.session.scalars(select(Enrolment.status).where(Enrolment.batch_id == batch.id))
    assert set(statuses) == {"admitted"}


def test_a_batch_not_open_for_enrolment_takes_no_file(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="approved")
    with pytest.raises(import_jobs.Conflict):
        import_jobs.start_import(batch, io.BytesIO(workbook(trainee_rows(1))), "a.xlsx",
                                 world.staff, consented=True)


def test_a_renamed_pdf_never_becomes_a_job(world):
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    with pytest.raises(FileProblem):
        import_jobs.start_import(batch, io.BytesIO(PDF), "学员.xlsx", world.staff, consented=True)
    assert db.session.scalar(select(func.count()).select_from(ImportJob)) == 0


def test_a_job_runs_once_and_its_file_is_deleted(world):
    from trainhub.core.files import upload_folder

    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    job = _run(batch, world.staff, workbook(trainee_rows(2)))
    assert not (upload_folder() / job.storage_key).exists()
    import_jobs.run_import(job.id)  # delivered twice: nothing happens
    assert _enrolled(batch) == 2


def test_a_failure_during_the_import_rolls_everything_back(world, monkeypatch):
    """Two of four rows written (a chunk of two), then the disk fills: nothing stays."""
    batch = builders.batch(world.base, world.staff, TODAY, status="enrolling")
    people_before = _people()
    monkeypatch.setattr(bulk_enrolment, "WRITE_CHUNK", 2)
    real, chunks_written = bulk_enrolment._write, []

    def flaky(*args, **kwargs):
        if chunks_written:
            raise RuntimeError("disk full")
        chunks_written.append(real(*args, **kwargs))
        return chunks_written[-1]

    monkeypatch.setattr(bulk_enrolment, "_write", flaky)
    job = _run(batch, world.staff, workbook(trainee_rows(4)))
    assert len(chunks_written[0]) == 2
    assert (job.status, job.imported) == ("error", 0)
    assert (_enrolled(batch), _people()) == (0, people_before)
    db.session.refresh(batch)
    assert batch.seats_taken == 0


# --- progress ------------------------------------------------------------------------

def test_progress_is_written_at_most_once_a_percent(monkeypatch):
    written = []
    monkeypatch.setattr(import_jobs.jobs, "commit_aside", written.append)
    clock = iter(range(0, 100_000)).__next__
    progress = import_jobs.Progress(7, 1000, clock=lambda: clock() / 1000)
    for done in range(1, 1001):
        progress(import_jobs.ImportStatus.IMPORTING, done)
    assert 100 <= len(written) <= 101


def test_birth_dates_are_checked_against_today():
    counties = imports.Counties.from_regions([("3601", "南昌市", "city"),
                                              ("360102", "东湖区", "county")])
    raw = imports.RawRow(2, {"name": "郑一", "id_number": make_resident_id(
        "360102", date(2020, 1, 1), 2), "county": "南昌市东湖区"})
    assert imports.check_rows([raw], counties, date(2026, 1, 1)).trainees
    late = imports.check_rows([raw], counties, date(2019, 12, 31))
    assert [e.message for e in late.errors] == [
        "The birth date inside the number is in the future."]


def test_the_import_of_1000_rows_commits_once(world):
    """The all-or-nothing import of a big file goes through (timed in benchmarks/)."""
    batch = builders.batch(world.base, world.staff, TODAY + timedelta(days=1),
                           status="enrolling")
    set_capacity(batch, 1000)
    job = _run(batch, world.staff, workbook(trainee_rows(1000)))
    assert (job.status, job.imported, _enrolled(batch)) == ("done", 1000, 1000)


# --- the pages -----------------------------------------------------------------------

@pytest.fixture
def site(app, make):
    return excel_site(app, make)


def _upload(client, site, data: bytes, name: str = "学员名单.xlsx"):
    roster = f"/training/batches/{site['batch']}/roster"
    return client.post(f"/training/batches/{site['batch']}/imports", data={
        "csrf_token": csrf_token(client, roster), "file": (io.BytesIO(data), name),
        "consent": "y"},
        content_type="multipart/form-data")


def test_staff_import_from_the_roster_page_and_see_the_result(app, client, site):
    sign_in(client, site["staff"])
    page = client.get(f"/training/batches/{site['batch']}/roster").get_data(as_text=True)
    assert "导入学员" in page and 'type="file"' in page and "报名导入模板" in page
    response = _upload(client, site, workbook(trainee_rows(3, start=900)))
    assert response.status_code == 302 and "/training/imports/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已导入 3 人" in page
    status = client.get(response.headers["Location"] + ".json").get_json()
    assert (status["finished"], status["imported"], status["status"]) == (True, 3, "done")


@pytest.mark.parametrize(("data", "name"), [(PDF, "学员名单.xlsx"), (CSV, "学员名单.xlsx"),
                                            (CSV, "学员名单.csv")])
def test_a_file_that_is_not_excel_is_refused_in_chinese(app, client, site, data, name):
    sign_in(client, site["staff"])
    response = _upload(client, site, data, name)
    assert response.status_code == 400  # the roster again, the file to choose again
    page = response.get_data(as_text=True)
    assert "该文件都不是 Excel 工作簿（.xlsx）" in page and "请重新选择文件" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ImportJob)) == 0


def test_a_refused_file_shows_every_error_in_a_table(app, client, site):
    sign_in(client, site["staff"])
    rows = trainee_rows(3, start=950)
    rows[1][0] = ""
    response = _upload(client, site, workbook(rows))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "未导入任何人：共 1 处错误" in page
    assert '<th scope="row">3</th><td>姓名</td><td>未填写姓名。</td>' in page
    assert "<caption>" in page


def _job(app, site, **values) -> int:
    with app.app_context():
        job = ImportJob(batch_id=site["batch"], created_by_id=1, original_name="名单.xlsx",
                        storage_key="f" * 32, errors=[], **values)
        staff = db.session.scalar(select(User.id).where(User.username == site["staff"]))
        job.created_by_id = staff
        db.session.add(job)
        db.session.commit()
        return job.id


def test_the_progress_endpoint_and_page_while_it_runs(app, client, site):
    job = _job(app, site, status="importing", total_rows=1000, processed_rows=250)
    sign_in(client, site["staff"])
    status = client.get(f"/training/imports/{job}.json")
    assert status.headers["Cache-Control"] == "no-store"
    assert status.get_json() == {
        "id": job, "status": "importing", "phase": "正在导入…", "finished": False,
        "total_rows": 1000, "processed_rows": 250, "imported": 0, "errors": 0,
        "text": "已处理 250 / 1000 行", "interrupted": False}
    page = client.get(f"/training/imports/{job}").get_data(as_text=True)
    assert '<progress id="import-bar"' in page and 'value="250"' in page
    assert 'role="status" aria-live="polite">已处理 250 / 1000 行</p>' in page
    assert f'data-status-url="/training/imports/{job}.json"' in page
    assert re.search(r"<script src=\"/static/js/import-progress.js\?v=\w+\"></script>", page)
    assert "<script>" not in page  # CSP: no inline script


def test_only_the_batch_staff_and_covering_officers_see_a_job(app, client, site):
    job = _job(app, site, status="done", total_rows=1, processed_rows=1, imported=1)
    for user, code in [("officer", 200), ("other_officer", 404), ("other_staff", 404),
                       ("admin", 404)]:
        with app.test_client() as other:
            sign_in(other, site[user])
            got = other.get(f"/training/imports/{job}.json").status_code
            assert got in ((200,) if code == 200 else (403, 404)), user


def test_the_template_is_for_the_batch_staff(app, client, site):
    sign_in(client, site["staff"])
    response = client.get(f"/training/batches/{site['batch']}/enrolment-template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == imports.XLSX_MIME
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]


# --- progress on PostgreSQL, and the real queue ----------------------------------------

def test_progress_is_visible_while_the_import_transaction_is_still_open(race_app, monkeypatch):
    """The page reads the job's progress from its own connection while the import's
    transaction, with every person and enrolment it has made so far, is still open."""
    app = race_app
    with app.app_context():
        today = local_today()
        owner = builders.institution("360102")
        staff = builders.user("institution_staff", institution_id=owner.id)
        base = builders.base(owner, valid_from=today - timedelta(days=60),
                             valid_until=today + timedelta(days=700))
        batch = builders.batch(base, staff, today, status="enrolling", capacity=40)
        db.session.commit()
        job = import_jobs.start_import(batch, io.BytesIO(workbook(trainee_rows(30))), "a.xlsx",
                                       staff, consented=True)
        db.session.commit()
        job_id, batch_id = job.id, batch.id
        url = db.engine.url
    page = sa.create_engine(url)  # another process's view of the database
    seen = []
    write = import_jobs.Progress.__call__

    def watch(self, status, done):
        write(self, status, done)
        if status == import_jobs.ImportStatus.IMPORTING and done == 20:
            with page.connect() as conn:
                seen.append((*conn.execute(select(ImportJob.status, ImportJob.processed_rows)
                                           .where(ImportJob.id == job_id)).one(),
                             conn.scalar(select(func.count()).select_from(Enrolment).where(
                                 Enrolment.batch_id == batch_id))))

    monkeypatch.setattr(import_jobs.Progress, "__call__", watch)
    monkeypatch.setattr(bulk_enrolment, "WRITE_CHUNK", 10)  # progress after 10, 20, 30
    with app.app_context():
        import_jobs.run_import(job_id)
    try:
        assert seen == [("importing", 20, 0)]  # progress seen, no half-made import
        with page.connect() as conn:
            assert conn.execute(select(ImportJob.status, ImportJob.imported).where(
                ImportJob.id == job_id)).one() == ("done", 30)
            assert conn.scalar(select(func.count()).select_from(Enrolment).where(
                Enrolment.batch_id == batch_id)) == 30
    finally:
        page.dispose()


def _redis_reachable() -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


REDIS_URL = "redis://127.0.0.1:6379/0"
needs_redis = pytest.mark.skipif(not _redis_reachable(),
                                 reason="Redis is not reachable on 127.0.0.1:6379")


class _BurstWorker(SimpleWorker):
    """RQ's in-process worker without its command channel (stop or kill a job from outside,
    unused here): with redis-py 8 its listener thread takes up to 60 s to stop."""

    def subscribe(self) -> None:
        pass

    def unsubscribe(self) -> None:
        pass


@needs_redis
def test_the_import_runs_in_a_real_rq_worker(app, client, site, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", f"trainhub-test-{uuid.uuid4().hex}")
    sign_in(client, site["staff"])
    with app.app_context():
        audited = db.session.scalar(select(func.max(AuditEntry.id)))
    response = _upload(client, site, workbook(trainee_rows(2, start=700)))
    status_url = response.headers["Location"] + ".json"
    assert client.get(status_url).get_json()["status"] == "queued"
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        staff = db.session.scalar(select(User.id).where(User.username == site["staff"]))
    # No open transaction in this context: in tests every session shares one connection,
    # and an open savepoint here would be rolled back over the worker's commit.
    with app.app_context():
        queue = jobs.queue()
        try:
            (queued,) = queue.jobs
            assert queued.args == (import_jobs.JOB, [job_id], staff)  # ids, no personal data
            assert _BurstWorker([queue], connection=queue.connection).work(burst=True)
            assert queued.get_status(refresh=True) == "finished"
        finally:
            queue.delete(delete_jobs=True)
    status = client.get(status_url).get_json()
    assert (status["status"], status["imported"]) == ("done", 2)
    with app.app_context():
        actors = set(db.session.scalars(select(AuditEntry.actor_id).where(
            AuditEntry.action.in_(["training_enrolment.apply", "person.create"]),
            AuditEntry.id > audited)))
        assert actors == {staff}  # the worker acted as the uploader


def test_the_worker_command_needs_redis(app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    result = app.test_cli_runner().invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output


def test_without_redis_a_job_runs_at_once_and_takes_ids_only(app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    ran = []
    monkeypatch.setattr(import_jobs, "run_import", ran.append)
    with app.test_request_context():
        assert jobs.enqueue(import_jobs.JOB, 41) is None
        with pytest.raises(TypeError):
            jobs.enqueue(import_jobs.JOB, "张三")
        with pytest.raises(ValueError):
            jobs.enqueue("os:system", 1)
    assert ran == [41]


# --- a worker killed, a queue down ----------------------------------------------------

class _Killed(BaseException):
    """What SIGKILL is to the worker: nothing of the job's code runs after it (no except,
    no finally: the uploaded file stays), and its connection's transaction is rolled back."""


def _killed_mid_import(app, site, monkeypatch, rows: int = 4) -> int:
    """The staff upload a file; the worker is killed after writing the first of two chunks."""
    monkeypatch.setattr(bulk_enrolment, "WRITE_CHUNK", rows // 2)
    monkeypatch.setattr(import_jobs, "discard", lambda key: None)  # no finally after a kill
    real, written = bulk_enrolment._write, []

    def dies(*args, **kwargs):
        if written:
            raise _Killed
        written.append(real(*args, **kwargs))
        return written[-1]

    monkeypatch.setattr(bulk_enrolment, "_write", dies)
    with app.app_context():
        batch = db.session.get(Batch, site["batch"])
        staff = db.session.scalar(select(User).where(User.username == site["staff"]))
        job = import_jobs.start_import(batch, io.BytesIO(workbook(trainee_rows(
            rows, start=700))), "名单.xlsx", staff, consented=True)
        db.session.commit()
        job_id = job.id
        with pytest.raises(_Killed):
            import_jobs.run_import(job_id)
        db.session.rollback()  # the dead connection's transaction
    monkeypatch.undo()
    return job_id


def _age(app, job_id: int, minutes: int) -> None:
    with app.app_context():
        db.session.execute(sa.update(ImportJob).where(ImportJob.id == job_id).values(
            heartbeat_at=utcnow() - timedelta(minutes=minutes)))
        db.session.commit()


def test_a_killed_worker_leaves_nothing_and_the_job_runs_again(app, client, site, monkeypatch):
    with app.app_context():
        before = _enrolled(db.session.get(Batch, site["batch"]))
    job_id = _killed_mid_import(app, site, monkeypatch)
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        assert job.status == "checking" and job.imported == 0  # the claim, committed alone
        assert _enrolled(job.batch) == before and job.batch.seats_taken == before
        assert (upload_folder() / job.storage_key).exists()
        assert not import_jobs.interrupted(job)  # it might still be working
    sign_in(client, site["staff"])
    page = f"/training/imports/{job_id}"
    assert "重新运行导入" not in client.get(page).get_data(as_text=True)
    refused = client.post(page + "/again", data={"csrf_token": csrf_token(client, page)})
    assert refused.status_code == 302  # back to the page, told it is still running
    _age(app, job_id, minutes=11)
    shown = client.get(page).get_data(as_text=True)
    assert "导入已中断" in shown and "重新运行导入" in shown
    again = client.post(page + "/again", data={"csrf_token": csrf_token(client, page)})
    assert again.status_code == 302
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        assert (job.status, job.imported) == ("done", 4)
        assert _enrolled(job.batch) == before + 4
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "training_import.run_again",
            AuditEntry.object_id == str(job_id))) == 1


def test_a_job_that_still_reports_is_not_run_twice(app, site):
    job_id = _job(app, site, status="importing", total_rows=10, processed_rows=5,
                  heartbeat_at=utcnow() - timedelta(minutes=2))
    with app.app_context():
        job = db.session.get(ImportJob, job_id)
        with pytest.raises(Conflict):
            import_jobs.run_again(job, db.session.get(User, job.created_by_id))


def test_a_queue_that_is_down_stops_only_the_import_with_a_clear_message(app, client, site,
                                                                         monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens
    sign_in(client, site["staff"])
    assert client.get(f"/training/batches/{site['batch']}/roster").status_code == 200
    response = _upload(client, site, workbook(trainee_rows(2, start=800)))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "后台任务队列" in page and "未导入任何人" in page
