"""The public front door (issue 16 item 6): `/` for a visitor who is not signed in shows
course search, bases under public notice today, published competition results with a
medal table by city, the policy and guides, certificate verification and a contact line,
from real objects and without anything personal; signed in, `/` is the role's home page."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from tests.bases import builders as base_builders
from tests.competitions import judging_world
from tests.competitions.judging_world import CONTESTANT
from tests.conftest import sign_in
from tests.training import builders as training_builders
from trainhub.bases import services
from trainhub.bases.models import BaseApplication, Decision, Level
from trainhub.competitions.models import Delegation, Entry, Result
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.public import queries
from trainhub.training.models import Batch

ID_NUMBER = re.compile(r"\d{17}[\dXx]")


def _html(client, path: str = "/", status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)


def _noticed_today(app, make) -> dict:
    """One application under notice from today (shown) and one whose notice is over
    (the builder's "notice": not shown)."""
    ids = base_builders.build(app, make, "in_review", "notice")
    with app.app_context():
        county = training_builders.user("federation_officer", region_code="360102")
        application = db.session.get(BaseApplication, ids["in_review"])
        application.institution.name = "东湖公示培训学校"
        services.review(application, services.ReviewInput(Decision.RECOMMEND, "同意"), county,
                        local_today(), Level.COUNTY)
        db.session.commit()
        ids["ends_on"] = application.notice.ends_on
    return ids


def test_the_anonymous_home_shows_every_section(app, client, make):
    _noticed_today(app, make)
    training_builders.build(app, make, "enrolling")
    judging_world.build(app, make, "published")
    html = _html(client)
    assert "/login" in html and "/register" in html
    assert 'action="/training/courses"' in html and 'name="keyword"' in html
    assert 'name="city"' in html and "南昌市" in html
    assert "东湖公示培训学校" in html and "东湖区残疾人联合会" in html.replace(" ", "")
    assert "/bases/notices" in html and "/rewards/notices" in html
    assert "/competitions/" in html and 'id="city-medals"' in html and "js/bar-chart.js" in html
    assert "/guide#trainee" in html and "/guide#policy" in html
    assert 'action="/verify"' in html and 'name="code"' in html
    assert "12385" in html and 'href="tel:12385"' in html


def test_the_contact_line_is_configured(app, client):
    app.config["PUBLIC_CONTACT_HOTLINE"] = "0791-8888 0000"
    try:
        html = _html(client)
    finally:
        app.config["PUBLIC_CONTACT_HOTLINE"] = "12385"
    assert "0791-8888 0000" in html and 'href="tel:079188880000"' in html


def test_a_notice_over_is_not_current(app, make):
    ids = _noticed_today(app, make)
    with app.app_context():
        shown = queries.current_notices(local_today())
        assert [n.institution for n in shown] == ["东湖公示培训学校"]
        assert shown[0].ends_on == ids["ends_on"] and shown[0].objections_to == "360102"
        assert queries.current_notices(ids["ends_on"] + timedelta(days=1)) == []


def test_the_empty_front_door(client):
    html = _html(client)
    assert "目前没有正在公示的基地。" in html
    assert 'id="city-medals"' not in html and "js/bar-chart.js" not in html


def test_the_medal_table_counts_prizes_by_city(app, client, make):
    world = judging_world.build(app, make, "published")
    with app.app_context():
        awarded = db.session.execute(
            select(Delegation.region_code, Result.award)
            .join(Entry, Entry.id == Result.entry_id)
            .join(Delegation, Delegation.id == Entry.delegation_id)
            .where(Result.event_id == world["event"])).all()
        year = queries.medal_year()
        table = queries.medals_by_city(year)
    expected = {city: [0, 0, 0] for city, _ in awarded}
    for city, award in awarded:
        if award:
            expected[city][("一等奖", "二等奖", "三等奖").index(award)] += 1
    assert {row.city_code: list(row.counts) for row in table} == expected
    assert [row.counts for row in table] == sorted((row.counts for row in table), reverse=True)
    assert sum(row.total for row in table) == sum(1 for _, award in awarded if award)
    html = _html(client)
    assert f"{year}" in html
    for city in ("南昌市", "赣州市", "景德镇市", "萍乡市"):
        assert city in html


def test_the_medal_table_sorts_as_medal_tables_do(app, make):
    world = judging_world.build(app, make, "published")
    with app.app_context():
        results = db.session.scalars(select(Result).where(
            Result.event_id == world["event"])).all()
        # 景德镇 one first prize; 南昌 two second prizes; 萍乡 and 赣州 none.
        cities = {db.session.get(Entry, r.entry_id).delegation.region_code: r for r in results}
        cities["3602"].award, cities["3601"].award = "一等奖", "二等奖"
        cities["3603"].award = cities["3607"].award = None
        table = queries.medals_by_city(queries.medal_year())
    assert [(row.city_code, row.counts) for row in table] == [
        ("3602", (1, 0, 0)), ("3601", (0, 1, 0)), ("3603", (0, 0, 0)), ("3607", (0, 0, 0))]


def test_nothing_personal_is_shown(app, client, make):
    _noticed_today(app, make)
    training_builders.build(app, make, "enrolling")
    judging_world.build(app, make, "published")
    for path in ("/", "/guide"):
        html = _html(client, path)
        assert CONTESTANT not in html and not ID_NUMBER.search(html)
        assert "代表队" not in html  # the medal table names cities, not delegations


def test_the_public_course_list_filters_by_keyword_and_city(app, client, make):
    ids = training_builders.build(app, make, "enrolling")
    with app.app_context():
        title = db.session.get(Batch, ids["enrolling"]).title
    assert title in _html(client, "/training/courses?city=3601")
    assert title not in _html(client, "/training/courses?city=3607")
    assert title in _html(client, f"/training/courses?keyword={title[:2]}&city=3601")
    assert title not in _html(client, "/training/courses?keyword=不存在的课程")


def test_the_guide_has_each_kind_of_user(client):
    html = _html(client, "/guide")
    for anchor in ("policy", "trainee", "institution", "enterprise", "competition"):
        assert f'id="{anchor}"' in html
    assert "赣府厅字〔2022〕90号" in html and "12385" in html


def test_signed_in_the_home_is_the_roles_own(app, client, make):
    trainee = make.user("trainee")
    sign_in(client, trainee)
    html = _html(client)
    assert 'id="city-medals"' not in html and 'action="/verify"' not in html
    assert 'class="main-nav"' in html and 'href="/"' in html


def test_signed_in_with_an_expired_password_home_asks_for_a_new_one(app, client, make):
    officer = make.user("federation_officer", region_code="36")
    sign_in(client, officer)
    from trainhub.core.accounts.models import User
    from trainhub.core.timeutil import utcnow
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == officer)).one()
        user.password_changed_at = utcnow() - timedelta(days=400)
        db.session.commit()
    assert client.get("/").headers["Location"] == "/account/password"


def test_the_front_door_reads_in_a_fixed_number_of_statements(app, client, make,
                                                               count_queries):
    judging_world.build(app, make, "published")
    _noticed_today(app, make)
    client.get("/")  # caches warm
    with count_queries() as one:
        _html(client)
    judging_world.build(app, make, "published")  # a second competition, four more cities' rows
    training_builders.build(app, make, "enrolling")
    with count_queries() as two:
        _html(client)
    assert len(one) == len(two) <= 6, one


def test_a_visitor_reading_a_course_is_offered_to_sign_in_or_register(app, client, make):
    ids = training_builders.build(app, make, "enrolling")
    html = _html(client, f"/training/courses/{ids['enrolling']}")
    assert f'href="/login?next=/training/courses/{ids["enrolling"]}"' in html
    assert 'href="/register"' in html
