"""我的补贴 says what is granted and nothing more: a decision refused by the rules or
rejected by the federation shows no amount as if granted (¥0.00, 不予补贴), its reason once,
and the list of reasons at the top counts only what is granted."""

from __future__ import annotations

import re

from tests.conftest import sign_in
from tests.subsidies import mine_world
from trainhub.core.accounts.models import User
from trainhub.core.people.models import EmploymentStatus, Person
from trainhub.extensions import db
from trainhub.subsidies import decisions
from trainhub.subsidies.models import Decision

REASON = "考勤记录与签到表不一致"


def _trainee(make) -> tuple[str, int]:
    username = make.user("trainee")
    return username, make.get_user(username).person_id


def _card(page: str, decision_id: int) -> str:
    """The text of one decision's card (tags removed)."""
    start = page.index(f'aria-labelledby="decision-{decision_id}"')
    end = page.index("</section>", start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[start:end]))


def _jump_list(page: str) -> str:
    start = page.index('aria-labelledby="jump-heading"')
    return re.sub(r"<[^>]+>", " ", page[start:page.index("</nav>", start)])


def _reject(app, decision_id: int) -> None:
    with app.app_context():
        decision = db.session.get(Decision, decision_id)
        assert decision is not None
        officer = User(username="reject-officer", display_name="审核人",
                       role="federation_officer", region_code="360102", password_hash="x")
        db.session.add(officer)
        db.session.flush()
        decisions.reject(decision, officer, REASON)
        db.session.commit()


def test_a_rejected_allowance_shows_no_amount_and_its_reason_once(app, client, make):
    username, person = _trainee(make)
    ids = mine_world.decided(app, make, person)
    _reject(app, ids["living"])
    sign_in(client, username)
    page = client.get("/subsidies/mine").get_data(as_text=True)
    card = _card(page, ids["living"])
    assert "金额 ¥0.00" in card and "¥400.00" not in page
    assert "为什么没有补贴" in card
    assert card.count(REASON) == 1 and page.count(REASON) == 1
    assert "400.00 元" not in card  # not the rules' explanation of an amount it is not paid
    jump = _jump_list(page)
    assert "¥1,000.00" in jump and "¥400.00" not in jump and "不予补贴" in jump
    assert client.get(f"/subsidies/mine/{ids['living']}/notice.pdf").status_code == 200
    with app.app_context():
        code = db.session.get(Decision, ids["living"]).verification_code
    verified = app.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert "¥0.00" in verified and "¥400.00" not in verified  # the notice says it too


def test_a_refused_decision_says_not_granted_once(app, client, make):
    """Employed at enrolment in employment-skills training: both subsidies are refused by
    the rules."""
    username, person = _trainee(make)
    with app.app_context():
        found = db.session.get(Person, person)
        assert found is not None
        found.employment_status = EmploymentStatus.EMPLOYED.value
        db.session.commit()
    ids = mine_world.decided(app, make, person)
    sign_in(client, username)
    page = client.get("/subsidies/mine").get_data(as_text=True)
    for kind in ("fee", "living"):
        card = _card(page, ids[kind])
        assert "金额 ¥0.00" in card
        assert card.count("不予补贴") == 1, card
        assert "有条件不符合，原因见下文" in card
        assert card.count("入学时已就业") == 1 or card.count("已就业") >= 1
        assert "为什么没有补贴" in card
    jump = _jump_list(page)
    assert jump.count("不予补贴") == 2 and "¥" not in jump


def test_the_headings_nest_in_order(app, client, make):
    """h1, then h2, h3, h4, no level skipped; the jump list's heading is not drawn smaller
    than the decisions' headings below it (Bootstrap's size classes)."""
    username, person = _trainee(make)
    mine_world.decided(app, make, person)
    sign_in(client, username)
    page = client.get("/subsidies/mine").get_data(as_text=True)
    main = page[page.index("<main"):page.index("</main>")]
    headings = re.findall(r'<h([1-6])(?: class="([^"]*)")?', main)
    levels = [int(level) for level, _ in headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    size = {f"h{n}": n for n in range(1, 7)}  # Bootstrap: .h1 largest … .h6 smallest

    def drawn(level: int, classes: str) -> int:
        return next((size[c] for c in classes.split() if c in size), level)

    by_level: dict[int, list[int]] = {}
    for level, classes in headings:
        by_level.setdefault(int(level), []).append(drawn(int(level), classes))
    for level in by_level:
        deeper = [s for other, sizes in by_level.items() if other > level for s in sizes]
        assert not deeper or max(by_level[level]) <= min(deeper), (level, by_level)
