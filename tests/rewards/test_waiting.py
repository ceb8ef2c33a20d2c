"""The home pages count what waits in the over-quota reward (issue 17's gap): the county's
and the city's review steps, the city's notice, approval and payment, and an enterprise's
returned declarations and drafts, each linking to the declarations list."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import sign_in
from tests.rewards.builders import build
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.rewards import waiting
from trainhub.rewards.models import RewardDeclaration


def _user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def test_each_officer_counts_their_own_step(app, make):
    ids = build(app, make, "submitted", "county_reviewed", "city_reviewed", "in_notice",
                "notice_over", "approved")
    county = make.user("federation_officer", region_code="360102")
    city = make.user("federation_officer", region_code="3601")
    other_city = make.user("federation_officer", region_code="3607")
    province = make.user("federation_officer", region_code="36")
    with app.app_context():
        today = local_today()
        for part in ("notice_over", "in_notice"):  # both notices have ended (the builder's)
            found = db.session.get(RewardDeclaration, ids[part])
            assert found.notice_ends_on is not None and found.notice_ends_on < today
        assert waiting.for_officer(_user(county), today) == waiting.Rewards(to_review=1)
        # county_reviewed to review; to decide: city_reviewed (the notice to open), the two
        # notices over (one with an objection to resolve) and approved (to pay)
        assert waiting.for_officer(_user(city), today) == waiting.Rewards(to_review=1,
                                                                          to_decide=4)
        assert waiting.for_officer(_user(other_city), today) == waiting.Rewards()
        assert waiting.for_officer(_user(province), today) == waiting.Rewards()
        # a notice still running is not the city's to decide yet
        earlier = min(db.session.scalars(select(RewardDeclaration.notice_ends_on).where(
            RewardDeclaration.notice_ends_on.is_not(None))))
        assert waiting.for_officer(_user(city), earlier).to_decide == 2


def test_the_home_pages_show_the_counts_and_link_to_the_list(app, client, make):
    ids = build(app, make, "county_reviewed")
    city = make.user("federation_officer", region_code="3601")
    sign_in(client, city)
    page = client.get("/").get_data(as_text=True)
    assert ('<a href="/rewards/#waiting"><span class="waiting-count">1</span> '
            '<span class="waiting-label">超比例奖励申报待审核</span>') in page
    drafted = build(app, make, "draft")
    contact = app.test_client()
    sign_in(contact, drafted["draft_contact"])
    page = contact.get("/").get_data(as_text=True)
    assert ('<span class="waiting-count">1</span> '
            '<span class="waiting-label">尚未提交的超比例奖励申报</span>') in page
    assert ids["county_reviewed"]
