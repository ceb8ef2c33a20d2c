"""我的补贴: the trainee's own subsidy decisions (status, amount, payee, and why, from the
stored trace in the reader's language), the decision notice as a verifiable PDF, and their
training vouchers."""

from __future__ import annotations

from flask import Response, render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainhub.core import downloads, policy
from trainhub.core.documents.pdf import render_certificate
from trainhub.core.errors import NotFound
from trainhub.core.i18n import local_date
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.subsidies import display, explain, notices, plain, vouchers
from trainhub.subsidies.models import Decision
from trainhub.subsidies.views import bp
from trainhub.training.models import Batch

NOT_FOUND = "The page or record was not found, or it is outside your scope."
MINE = "subsidies.mine"
NOTICE_TEMPLATE = "subsidies/notice.html"


def _decisions(person_id: int | None) -> list[Decision]:
    return list(db.session.scalars(
        select(Decision).join(Batch, Batch.id == Decision.batch_id)
        .where(Decision.person_id == person_id)
        .options(selectinload(Decision.batch), selectinload(Decision.institution),
                 selectinload(Decision.payment))
        .order_by(Batch.start_date.desc(), Decision.batch_id.desc(), Decision.kind)))


@bp.get("/mine")
@policy.permission(MINE)
def mine() -> str:
    return mine_page()


def mine_page(using: tuple[int, int | None, list[str]] | None = None) -> str:
    """The trainee's page; a voucher refused for a seat comes back as (voucher id, the seat
    chosen, why): the seat still chosen, the reasons beside it and summed up at the top."""
    person_id = current_user.person_id
    rows = _decisions(person_id)
    held = vouchers.of_person(person_id)
    today = local_today()
    seats = vouchers.seats_without_voucher(person_id)
    shown = {v.id: vouchers.shown_status(v, today) for v in held}
    usable = {v.id: [s for s in seats if vouchers.mismatch(v, s.batch, today) is None]
              for v in held if shown[v.id] == vouchers.VoucherStatus.CLAIMED}
    return render_template(
        "subsidies/mine.html", rows=rows, plain=plain,
        explanations={d.id: explain.explain(display.result_of(d), gettext, local_date)
                      for d in rows},
        settled={v.decision_id: v for v in held if v.decision_id},
        vouchers=held, shown=shown, usable=usable, voucher_labels=plain.VOUCHER_STATUS_LABELS,
        institutions=vouchers.institution_names(held), using=using)


@bp.get("/mine/<int:decision_id>/notice.pdf")
@policy.permission(MINE)
@downloads.document("subsidy_notice", "decision_id", _l("Subsidy decision notice"))
def my_notice(decision_id: int) -> Response:
    found = db.session.get(Decision, decision_id, options=[
        selectinload(Decision.batch), selectinload(Decision.institution),
        selectinload(Decision.person), selectinload(Decision.payment)])
    # Another person's decision is not found, not forbidden: its existence stays private.
    if found is None or not policy.may(current_user, MINE, found):
        raise NotFound(NOT_FOUND)
    verification = notices.current(found)
    db.session.commit()
    pdf = render_certificate(verification, notices.TITLE, template=NOTICE_TEMPLATE)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=subsidy-decision-{found.id}.pdf")
    return response
