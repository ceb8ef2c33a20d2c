"""Over-quota reward declarations: enterprise contacts declare a year; county, then city
officers review. Thin views: parse → load → authorise → service → respond."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainhub.core import downloads, files, policy
from trainhub.core.errors import N_, NotFound
from trainhub.core.forms import attempt, choose_files_again, validate_all
from trainhub.core.i18n import translate
from trainhub.core.inputs import bounded_int
from trainhub.core.organisations import Enterprise
from trainhub.core.regions import region_names
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.rewards import (
    approval,
    declarations,
    employee_import,
    loaders,
    notice_pdf,
    present,
    rules,
)
from trainhub.rewards.declarations import EDITABLE, EmployeeInput
from trainhub.rewards.display import DECISION_LABELS, LEVEL_LABELS, STATUS_LABELS
from trainhub.rewards.forms import (
    BudgetForm,
    DeclarationForm,
    EmployeeForm,
    EvidenceForm,
    ImportForm,
    ObjectionForm,
    PaymentForm,
    ResolveObjectionForm,
    ReviewForm,
    StaffForm,
    fen,
)
from trainhub.rewards.models import (
    DeclarationStatus,
    DeclaredEmployee,
    ReviewDecision,
    RewardDeclaration,
    RewardEvidence,
    RewardObjection,
)

bp = Blueprint("rewards", __name__, url_prefix="/rewards")

NOT_FOUND = loaders.NOT_FOUND
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- loading (404 before 403) -----------------------------------------------------------

_declaration = partial(loaders.declaration, with_parts=True)
_part = loaders.part


# --- lists and the new declaration ----------------------------------------------------------

@bp.get("/")
@policy.permission("rewards.view")
def index() -> str:
    rows = db.session.scalars(
        select(RewardDeclaration)
        .where(policy.where(current_user, "rewards.view", RewardDeclaration))
        .options(selectinload(RewardDeclaration.enterprise))
        .order_by(RewardDeclaration.year.desc(), RewardDeclaration.id.desc()).limit(500)).all()
    waiting = [d for d in rows if policy.may(current_user, "rewards.review", d)]
    return render_template("rewards/index.html", rows=rows, waiting=waiting,
                           level=rules.review_level(current_user), names=region_names(),
                           status_labels=STATUS_LABELS,
                           may_declare=policy.may(current_user, "rewards.declare"),
                           may_budgets=policy.may(current_user, "subsidies.budgets"))


@bp.route("/new", methods=["GET", "POST"])
@policy.permission("rewards.declare")
def new() -> ResponseReturnValue:
    enterprise = db.session.get(Enterprise, current_user.enterprise_id)
    if enterprise is None:
        raise NotFound(NOT_FOUND)
    form = DeclarationForm()
    if request.method == "GET":
        form.year.data = local_today().year - 1
    if form.validate_on_submit():
        created = attempt(
            lambda: declarations.create_declaration(enterprise, form.year.data,
                                                    form.staff_count.data, current_user,
                                                    local_today()),
            N_("The declaration has been saved as a draft. Add the employees and the "
               "evidence files, then submit it."), form=form)
        if created:
            return redirect(url_for("rewards.declaration", declaration_id=created.result.id))
    status = 400 if request.method == "POST" else 200
    return render_template("rewards/new.html", form=form, enterprise=enterprise), status


# --- the declaration's page -----------------------------------------------------------------

@bp.get("/<int:declaration_id>")
@policy.permission("rewards.view")
def declaration(declaration_id: int) -> str:
    return _page(_declaration(declaration_id, "rewards.view"))


def _page(found: RewardDeclaration, import_errors: list[tuple[Any, str, str]] | None = None,
          **forms: Any) -> str:
    """The declaration's page; a form refused on a POST is passed in `forms` and shown
    again as sent, with its errors, in place of an empty one; a refused import's problems,
    (row, column, message), in `import_errors`."""
    may = {action: policy.may(current_user, action, found)
           for action in ("rewards.declare", "rewards.review", "rewards.decide")}
    editable = may["rewards.declare"] and found.status in EDITABLE
    staff_form = StaffForm(formdata=None, staff_count=found.staff_count.normalize())
    shown = {"staff_form": lambda: staff_form, "employee_form": EmployeeForm,
             "evidence_form": EvidenceForm, "review_form": ReviewForm,
             "import_form": ImportForm, "objection_form": ObjectionForm,
             "payment_form": PaymentForm}
    resolving = forms.pop("resolving", None)
    resolve_forms = {o.id: ResolveObjectionForm(prefix=f"objection{o.id}")
                     for o in approval.open_objections(found)}
    if resolving:
        resolve_forms[resolving[0]] = forms["resolve_form"] = resolving[1]
    return render_template(
        "rewards/declaration.html", declaration=found, may=may, editable=editable,
        **{name: forms.get(name) or make() for name, make in shown.items()},
        posted=next(iter(forms.values()), None), names=region_names(),
        status_labels=STATUS_LABELS, level_labels=LEVEL_LABELS,
        decision_labels=DECISION_LABELS, result=present.result(found.result),
        persons=present.persons(found.result), max_mb=_max_mb(found),
        import_errors=import_errors or [], resolve_forms=resolve_forms, today=local_today())


def _max_mb(found: RewardDeclaration) -> int:
    return declarations.evidence_max_mb(found, local_today())


def _back(found: RewardDeclaration, anchor: str | None = None) -> ResponseReturnValue:
    return redirect(url_for("rewards.declaration", declaration_id=found.id, _anchor=anchor))


@bp.post("/<int:declaration_id>/staff")
@policy.permission("rewards.declare")
def edit_staff(declaration_id: int) -> ResponseReturnValue:
    found = _declaration(declaration_id, "rewards.declare")
    form = StaffForm()
    if not validate_all(form) or not attempt(
            lambda: declarations.update_declaration(found, form.staff_count.data),
            N_("The average staff count has been saved."), form=form):
        return _page(found, staff_form=form), 400
    return _back(found)


@bp.post("/<int:declaration_id>/employees")
@policy.permission("rewards.declare")
def add_employee(declaration_id: int) -> ResponseReturnValue:
    found = _declaration(declaration_id, "rewards.declare")
    form = EmployeeForm()
    if not validate_all(form) or not attempt(
            lambda: declarations.add_employee(found, _employee(form), local_today()),
            N_("The employee has been added to the declaration."), form=form):
        return _page(found, employee_form=form), 400
    return _back(found, "employees")


def _employee(form: EmployeeForm) -> EmployeeInput:
    return EmployeeInput(
        name=form.name.data or "", id_number=form.id_number.data or "",
        cert_number=form.cert_number.data or "",
        certificate_valid_from=form.certificate_valid_from.data,
        certificate_valid_until=form.certificate_valid_until.data,
        contract_start=form.contract_start.data, contract_end=form.contract_end.data,
        insurance_months=form.insurance_months.data,
        monthly_wage_fen=fen(form.monthly_wage.data))


@bp.post("/<int:declaration_id>/employees/import")
@policy.permission("rewards.declare")
def import_employees(declaration_id: int) -> ResponseReturnValue:
    found = _declaration(declaration_id, "rewards.declare")
    form = ImportForm()
    refused: list[Any] = []

    def run() -> int:
        try:
            return employee_import.import_employees(found, form.file.data.read(
                employee_import.MAX_UPLOAD_BYTES + 1), local_today())
        except employee_import.ImportRefused as error:
            refused.extend(error.errors)
            raise

    done = form.validate_on_submit() and attempt(run, form=form)
    if not done:
        problems = [(e.row or "", e.column, translate(e.message, **e.params)) for e in refused]
        return _page(found, import_form=choose_files_again(form), import_errors=problems), 400
    flash(gettext("%(count)s employees have been added from the workbook.",
                  count=done.result), "success")
    return _back(found, "employees")


@bp.get("/employees-template.xlsx")
@policy.permission("rewards.declare")
def employees_template() -> Response:
    return Response(employee_import.template(), mimetype=XLSX_MIME, headers={
        "Content-Disposition": "attachment; filename=employees.xlsx"})


@bp.post("/<int:declaration_id>/employees/<int:employee_id>/delete")
@policy.permission("rewards.declare")
def remove_employee(declaration_id: int, employee_id: int) -> ResponseReturnValue:
    employee = _part(DeclaredEmployee, declaration_id, employee_id, "rewards.declare")
    found = employee.declaration
    attempt(lambda: declarations.remove_employee(employee),
            N_("The employee has been removed from the declaration."))
    return _back(found, "employees")


@bp.post("/<int:declaration_id>/evidence")
@policy.permission("rewards.declare")
def upload_evidence(declaration_id: int) -> ResponseReturnValue:
    found = _declaration(declaration_id, "rewards.declare")
    form = EvidenceForm()
    kept: list[files.StoredUpload] = []

    def store() -> files.StoredUpload:
        upload = form.file.data
        kept.append(files.store_upload(upload.stream, upload.filename or "",
                                       max_bytes=_max_mb(found) * 1024 * 1024))
        declarations.add_evidence(found, kept[-1], current_user)
        return kept[-1]

    def undo() -> None:
        for upload in kept:
            files.discard(upload.storage_key)

    stored = form.validate_on_submit() and attempt(store, form=form, undo=undo)
    if not stored:
        return _page(found, evidence_form=choose_files_again(form)), 400
    flash(gettext("The file %(name)s has been attached.", name=stored.result.original_name),
          "success")
    return _back(found, "evidence")


@bp.post("/<int:declaration_id>/evidence/<int:file_id>/delete")
@policy.permission("rewards.declare")
def remove_evidence(declaration_id: int, file_id: int) -> ResponseReturnValue:
    evidence = _part(RewardEvidence, declaration_id, file_id, "rewards.declare")
    found, key = evidence.declaration, evidence.storage_key
    if attempt(lambda: declarations.remove_evidence(evidence)):
        files.discard(key)  # only once the row is gone for good
    return _back(found, "evidence")


@bp.get("/<int:declaration_id>/evidence/<int:file_id>")
@policy.permission("rewards.view")
@downloads.document("reward_evidence", "file_id", _l("Evidence file"))
def download_evidence(declaration_id: int, file_id: int) -> ResponseReturnValue:
    evidence = _part(RewardEvidence, declaration_id, file_id, "rewards.view")
    return files.send_stored(evidence.storage_key, evidence.original_name,
                             evidence.content_type)


@bp.post("/<int:declaration_id>/submit")
@policy.permission("rewards.declare")
def submit(declaration_id: int) -> ResponseReturnValue:
    found = _declaration(declaration_id, "rewards.declare")
    attempt(lambda: declarations.submit(found, local_today()),
            N_("The declaration has been sent to the county federation for review."))
    return _back(found)


@bp.post("/<int:declaration_id>/review")
@policy.permission("rewards.review")
def review(declaration_id: int) -> ResponseReturnValue:
    found = _declaration(declaration_id, "rewards.review")
    form = ReviewForm()
    level = rules.review_level(current_user)
    assert level is not None  # the policy checked it
    if not validate_all(form) or not attempt(
            lambda: declarations.review(found, level, ReviewDecision(form.decision.data),
                                        form.reason.data or "", current_user),
            N_("Your decision has been recorded."), form=form):
        return _page(found, review_form=form), 400
    return _back(found)


# --- notice, objections, approval, payment (the city) ---------------------------------------

@bp.get("/notices")
@policy.public
def notices() -> str:
    """公示: the enterprises and amounts under notice, open to everyone; never the persons."""
    rows = db.session.scalars(
        select(RewardDeclaration)
        .where(RewardDeclaration.status == DeclarationStatus.IN_NOTICE.value)
        .options(selectinload(RewardDeclaration.enterprise))
        .order_by(RewardDeclaration.notice_ends_on, RewardDeclaration.id)).all()
    return render_template("rewards/notices.html", rows=rows, names=region_names())


def _decide(declaration_id: int, operation: Any, success: str) -> ResponseReturnValue:
    found = _declaration(declaration_id, "rewards.decide")
    attempt(lambda: operation(found), success)
    return _back(found)


@bp.post("/<int:declaration_id>/notice")
@policy.permission("rewards.decide")
def open_notice(declaration_id: int) -> ResponseReturnValue:
    return _decide(declaration_id, lambda d: approval.open_notice(d, local_today()),
                   N_("The public notice has been opened."))


@bp.post("/<int:declaration_id>/objections")
@policy.permission("rewards.decide")
def record_objection(declaration_id: int) -> ResponseReturnValue:
    found = _declaration(declaration_id, "rewards.decide")
    form = ObjectionForm()
    if not validate_all(form) or not attempt(
            lambda: approval.record_objection(found, form.received_on.data,
                                              form.raised_by.data or "",
                                              form.content.data or "", current_user,
                                              local_today()),
            N_("The objection has been recorded. Resolve it before approving."), form=form):
        return _page(found, objection_form=form), 400
    return _back(found)


@bp.post("/<int:declaration_id>/objections/<int:objection_id>/resolve")
@policy.permission("rewards.decide")
def resolve_objection(declaration_id: int, objection_id: int) -> ResponseReturnValue:
    objection = _part(RewardObjection, declaration_id, objection_id, "rewards.decide")
    found = objection.declaration
    form = ResolveObjectionForm(prefix=f"objection{objection.id}")
    if not validate_all(form) or not attempt(
            lambda: approval.resolve_objection(objection, bool(form.upheld.data),
                                               form.resolution.data or "", current_user),
            N_("The objection has been resolved."), form=form):
        return _page(found, resolving=(objection.id, form)), 400
    return _back(found)


@bp.post("/<int:declaration_id>/approve")
@policy.permission("rewards.decide")
def approve(declaration_id: int) -> ResponseReturnValue:
    return _decide(declaration_id,
                   lambda d: approval.approve(d, current_user, local_today()),
                   N_("The reward has been approved."))


@bp.post("/<int:declaration_id>/pay")
@policy.permission("rewards.decide")
def pay(declaration_id: int) -> ResponseReturnValue:
    found = _declaration(declaration_id, "rewards.decide")
    form = PaymentForm()
    if not validate_all(form) or not attempt(
            lambda: approval.pay(found, form.reference.data or "", current_user),
            N_("The payment has been recorded."), form=form):
        return _page(found, payment_form=form), 400
    return _back(found)


@bp.get("/<int:declaration_id>/notice.pdf")
@policy.permission("rewards.view")
@downloads.document("reward_notice", "declaration_id", _l("Reward notice"))
def notice(declaration_id: int) -> ResponseReturnValue:
    found = _declaration(declaration_id, "rewards.view")
    body = notice_pdf.render(found)
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename={notice_pdf.filename(found)}"})


# --- the reward budgets (kept as the subsidies keep theirs; their permission) ------------------

@bp.route("/budgets", methods=["GET", "POST"])
@policy.permission("subsidies.budgets")
def budgets() -> ResponseReturnValue:
    region = policy.officer_region(current_user)
    if region is None:
        raise NotFound(NOT_FOUND)
    form = BudgetForm()
    names = region_names()
    codes = sorted(code for code in names if code.startswith(region))
    form.region_code.choices = [(code, " ".join(
        names.get(code[:n], "") for n in (2, 4, 6) if len(code) >= n)) for code in codes]
    year = _year(request.args.get("year", type=bounded_int))
    if request.method == "GET":
        form.year.data, form.region_code.data = year, region
    elif form.validate_on_submit():
        chosen = form.region_code.data or region
        policy.require(current_user, "subsidies.budgets", _Region(chosen))
        if attempt(lambda: approval.set_budget(chosen, form.year.data, fen(form.amount.data),
                                               current_user),
                   N_("The budget has been saved."), form=form):
            return redirect(url_for("rewards.budgets", year=form.year.data))
    year = _year(form.year.data) if request.method == "POST" else year
    return render_template("rewards/budgets.html", form=form, year=year, names=names,
                           rows=approval.budgets_of(region, year)), (
        400 if request.method == "POST" else 200)


def _year(raw: object) -> int:
    """A year asked for, within the years a budget is set for; else this year."""
    return raw if isinstance(raw, int) and 2000 <= raw <= 2100 else local_today().year


class _Region:
    """A region as the budget rule reads an object: by its code."""

    def __init__(self, region_code: str) -> None:
        self.region_code = region_code
