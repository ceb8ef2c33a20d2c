"""The keyword of the course catalogue and of the batch lists (issue 16): a batch's title,
occupation, institution or category, with the other filters, kept in the pager's links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from tests.conftest import sign_in
from tests.training import builders
from trainhub.core.timeutil import local_today
from trainhub.extensions import db
from trainhub.training.models import Batch


@pytest.fixture
def site(app, make):
    return builders.certified_site(app, make, officer=True)


def _batch(app, site, **changes):
    return builders.site_batch(app, site, **changes)


def _results(html: str) -> str:
    return html.split('id="results"', 1)[1]


def test_the_catalogue_finds_a_course_by_title_occupation_institution_or_category(app, client,
                                                                                 site):
    night = _batch(app, site, status="enrolling", title="夜间盲人推拿班",
                   occupation="保健按摩师")
    shop = _batch(app, site, status="enrolling", title="网店客服班", category="ecommerce_service",
                  occupation="电子商务师", start=local_today() + timedelta(days=30))
    for typed, found, not_found in (("推拿", night, shop), ("电子商务", shop, night),
                                    ("盲人按摩学校", night, None), ("夜间 保健", night, shop)):
        html = _results(client.get("/training/courses", query_string={"keyword": typed})
                        .get_data(as_text=True))
        assert f"/training/courses/{found}" in html, typed
        if not_found:
            assert f"/training/courses/{not_found}" not in html, typed
    both = _results(client.get("/training/courses?keyword=盲人按摩学校")
                    .get_data(as_text=True))
    assert f"/training/courses/{shop}" in both  # the institution's name: both of its batches


def test_the_catalogue_keyword_goes_with_the_other_filters(app, client, site):
    night = _batch(app, site, status="enrolling", title="夜间推拿班", provisions=("braille",))
    _batch(app, site, status="enrolling", title="白天推拿班", provisions=("sign_language",),
           start=local_today() + timedelta(days=30))
    html = _results(client.get("/training/courses?keyword=推拿&provision=braille")
                    .get_data(as_text=True))
    assert f"/training/courses/{night}" in html and html.count("/training/courses/") == 1
    html = client.get("/training/courses?keyword=推拿&city=3607").get_data(as_text=True)
    assert "/training/courses/" not in _results(html)
    assert 'value="推拿"' in html  # the keyword stays in its field


def test_wildcards_in_a_keyword_are_taken_literally(app, client, site):
    _batch(app, site, status="enrolling", title="推拿班")
    html = _results(client.get("/training/courses?keyword=%25").get_data(as_text=True))
    assert "/training/courses/" not in html


def test_a_keyword_too_long_is_said_on_its_field(app, client, site):
    html = client.get("/training/courses", query_string={"keyword": "长" * 51}) \
        .get_data(as_text=True)
    assert 'id="keyword-error"' in html


def test_a_nul_byte_in_the_keyword_is_refused_clearly(app, client, site):
    response = client.get("/training/courses?keyword=%E6%8E%A8%00")
    assert response.status_code == 400 and "NUL" in response.get_data(as_text=True)


def _more(app, count, title):
    with app.app_context():
        template = db.session.scalars(select(Batch)).first()
        values = {c.name: getattr(template, c.name) for c in Batch.__table__.columns
                  if c.name != "id"}
        db.session.execute(insert(Batch), [dict(values, title=f"{title}{n}")
                                           for n in range(count)])
        db.session.commit()


def test_the_batch_list_keyword_with_the_status_and_the_pager(app, client, site):
    _batch(app, site, status="submitted", title="推拿班")
    _more(app, 59, "推拿班")
    _batch(app, site, status="draft", title="推拿草稿班")  # not the officer's to see
    _batch(app, site, status="submitted", title="电商班", category="ecommerce_service",
           occupation="电子商务师")
    sign_in(client, site["officer"])
    html = client.get("/training/batches?q=推拿&status=submitted").get_data(as_text=True)
    assert "共 60 个培训班" in html and "电商班" not in html and "推拿草稿班" not in html
    assert 'value="推拿"' in html
    assert "q=%E6%8E%A8%E6%8B%BF" in html and "status=submitted" in html and "page=2" in html
    page2 = client.get("/training/batches?q=推拿&status=submitted&page=2").get_data(as_text=True)
    assert "共 60 个培训班" in page2 and page2.count('href="/training/batches/') >= 10
    html = client.get("/training/batches?q=电子商务").get_data(as_text=True)
    assert "电商班" in html and "推拿班" not in html


def test_the_batch_list_keyword_for_staff_stays_in_their_institution(app, client, site, make):
    _batch(app, site, status="submitted", title="推拿班")
    other = builders.certified_site(app, make)
    builders.site_batch(app, other, status="submitted", title="推拿二班")
    sign_in(client, other["staff"])
    html = client.get("/training/batches?q=推拿").get_data(as_text=True)
    assert "推拿二班" in html and "推拿班<" not in html


def test_the_batch_list_statements_do_not_grow_with_a_keyword(app, client, site,
                                                              count_queries):
    _batch(app, site, status="submitted", title="推拿班")
    _more(app, 9, "推拿班")
    sign_in(client, site["officer"])
    client.get("/training/batches?q=推拿")
    with count_queries() as few:
        client.get("/training/batches?q=推拿")
    _more(app, 200, "推拿班")
    with count_queries() as many:
        html = client.get("/training/batches?q=推拿").get_data(as_text=True)
    assert "共 210 个培训班" in html
    assert len(few) == len(many)
