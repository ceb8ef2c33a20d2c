"""What the subsidies domain tells trainees: a subsidy approved or paid, a training voucher
issued. Its notification kinds (templates) and the listeners of its own signals, connected
by `connect()` from the domain's setup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trainhub.core.errors import N_
from trainhub.core.notifications import kinds
from trainhub.core.notifications.service import notify_people_each, path_for
from trainhub.subsidies import signals
from trainhub.subsidies.models import Decision, Voucher

kinds.register("subsidy.approved", N_("Your subsidy was approved"),
               N_("A subsidy of %(amount)s for the course %(course)s has been approved. "
                  "It will be paid as your subsidy page explains."), ("amount", "course"))
kinds.register("subsidy.paid", N_("Your subsidy was paid"),
               N_("A subsidy of %(amount)s for the course %(course)s has been paid."),
               ("amount", "course"))
kinds.register("subsidy.rejected", N_("A subsidy was refused"),
               N_("A subsidy for the course %(course)s was refused. The reason is on your "
                  "subsidy page."), ("course",))
kinds.register("subsidy.voucher_cancelled", N_("A training voucher was cancelled"),
               N_("Your training voucher worth %(amount)s, valid until %(end)s, was "
                  "cancelled. The reason is on your subsidy page."), ("amount", "end"))
kinds.register("subsidy.voucher_issued", N_("You have a training voucher"),
               N_("A training voucher worth %(amount)s has been issued to you, valid from "
                  "%(start)s to %(end)s. Claim it on your subsidy page."),
               ("amount", "start", "end"))


def _mine() -> str:
    return path_for("subsidies.mine")


def _about(decision: Decision) -> tuple[int, dict[str, Any]]:
    return decision.person_id, {"amount": decision.amount_fen, "course": decision.batch.title}


def on_decisions_approved(sender: Any, decisions: Sequence[Decision], **_: Any) -> None:
    notify_people_each("subsidy.approved", [_about(d) for d in decisions], _mine())


def on_decision_paid(decision: Decision, **_: Any) -> None:
    notify_people_each("subsidy.paid", [_about(decision)], _mine())


def on_decision_rejected(decision: Decision, **_: Any) -> None:
    notify_people_each("subsidy.rejected", [(decision.person_id,
                                              {"course": decision.batch.title})], _mine())


def on_voucher_cancelled(voucher: Voucher, **_: Any) -> None:
    notify_people_each("subsidy.voucher_cancelled", [
        (voucher.person_id, {"amount": voucher.face_value_fen, "end": voucher.valid_until})],
        _mine())


def on_vouchers_issued(sender: Any, vouchers: Sequence[Voucher], **_: Any) -> None:
    notify_people_each("subsidy.voucher_issued", [
        (v.person_id, {"amount": v.face_value_fen, "start": v.valid_from,
                       "end": v.valid_until}) for v in vouchers], _mine())


def connect() -> None:
    signals.decisions_approved.connect(on_decisions_approved)
    signals.decision_paid.connect(on_decision_paid)
    signals.vouchers_issued.connect(on_vouchers_issued)
    signals.decision_rejected.connect(on_decision_rejected)
    signals.voucher_cancelled.connect(on_voucher_cancelled)
