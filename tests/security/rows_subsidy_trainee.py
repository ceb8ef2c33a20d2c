"""Permission-matrix rows of the trainee's subsidy pages (我的补贴, decision notices, vouchers)
and the officers' voucher pages. Trainee rows build their objects for the actor's own
person, who lives in 南昌市东湖区 (360102)."""

from __future__ import annotations

from tests.security.matrix import ALL_OFFICERS, OFFICERS_IN_SCOPE, Row
from tests.subsidies import mine_world
from tests.subsidies.api_builders import voucher

TRAINEES = {"trainee_self", "trainee_other"}
SELF = {"trainee_self"}


def _decided(app, make, ids):
    return mine_world.decided(app, make, ids["person"])


def _voucher(claimed: bool):
    def prepare(app, make, ids):
        return {"voucher": mine_world.voucher(app, ids["person"], claimed=claimed)}
    return prepare


ROWS: dict[str, Row] = {
    "subsidies.mine": Row("GET", lambda ids: "/subsidies/mine", TRAINEES),
    # Another trainee, and anyone else, gets a 404: a decision's existence stays private.
    "subsidies.my_notice": Row("GET", lambda ids: f"/subsidies/mine/{ids['fee']}/notice.pdf",
                               SELF, prepare=_decided),
    "subsidies.claim_voucher": Row(
        "POST", lambda ids: f"/subsidies/mine/vouchers/{ids['voucher']}/claim", SELF,
        prepare=_voucher(claimed=False)),
    "subsidies.use_voucher": Row(
        "POST", lambda ids: f"/subsidies/mine/vouchers/{ids['voucher']}/use", SELF,
        data={"enrolment": 0}, prepare=_voucher(claimed=True)),
    # Officers see and issue the vouchers of their own region only (the list is scoped).
    "subsidies.vouchers": Row("GET", lambda ids: "/subsidies/vouchers", ALL_OFFICERS),
    "subsidies.issue_vouchers": Row("GET", lambda ids: "/subsidies/vouchers/new",
                                    ALL_OFFICERS),
    # A voucher of 东湖区 (360102): the officers covering it cancel it.
    "subsidies.cancel_voucher": Row("POST", lambda ids: f"/subsidies/vouchers/{ids['voucher']}"
                                                        "/cancel", OFFICERS_IN_SCOPE,
                                    data={"reason": "发放有误"},
                                    prepare=lambda app, make: voucher(app)),
}
