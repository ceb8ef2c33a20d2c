"""Finding people (issue 16): by name and by the last 4 characters of the masked ID number
(GET, kept in the URL), by a whole ID or certificate number (POST); always inside the
officer's scope."""

from __future__ import annotations

from sqlalchemy import func, insert, select, update

from tests.conftest import post_form, sign_in
from trainhub.core import crypto
from trainhub.core.people import services
from trainhub.core.people.models import Person
from trainhub.extensions import db


def _person(app, make, region: str, name: str) -> tuple[int, str, str]:
    """A person's id, ID number and certificate number."""
    person_id = make.person(region, name=name)
    with app.app_context():
        found = db.session.get(Person, person_id)
        return person_id, found.id_number, found.cert_number


def _rows(html: str) -> int:
    return html.count('href="/people/') - html.count('href="/people/new"') \
        - html.count('href="/people/"')


def test_a_name_fragment_finds_the_people_of_the_region_whose_name_holds_it(app, client, make):
    mine, _, _ = _person(app, make, "360102", "欧阳晓燕")
    _person(app, make, "360102", "王芳")
    theirs, _, _ = _person(app, make, "360702", "欧阳明")  # 赣州市章贡区
    sign_in(client, make.user("federation_officer", region_code="360102"))
    response = client.get("/people/?name=欧阳")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'href="/people/{mine}"' in html and f'href="/people/{theirs}"' not in html
    assert "王芳" not in html
    assert 'value="欧阳"' in html  # the filter stays in its field


def test_an_officer_of_another_county_finds_nobody(app, client, make):
    _, number, _ = _person(app, make, "360102", "欧阳晓燕")
    sign_in(client, make.user("federation_officer", region_code="360702"))
    html = client.get("/people/?name=欧阳").get_data(as_text=True)
    assert "欧阳晓燕" not in html
    html = client.get(f"/people/?tail={number[-4:]}").get_data(as_text=True)
    assert "欧阳晓燕" not in html
    response = post_form(client, "/people/search", {"number": number})
    assert response.status_code == 200 and "欧阳晓燕" not in response.get_data(as_text=True)


def test_the_last_four_characters_find_the_person_through_the_tail_index(app, client, make):
    person_id, number, _ = _person(app, make, "360102", "刘晓燕")
    other, _, _ = _person(app, make, "360102", "张伟")
    with app.app_context():
        stored = db.session.get(Person, person_id)
        assert stored.id_tail_index == services.tail_index(number)
        assert number[-4:] not in stored.id_tail_index  # not the characters in clear
    sign_in(client, make.user("federation_officer", region_code="3601"))
    html = client.get(f"/people/?tail={number[-4:].lower()}").get_data(as_text=True)
    assert f'href="/people/{person_id}"' in html
    assert f'href="/people/{other}"' not in html
    assert f"{number[:4]}**********{number[-4:]}" in html  # masked as everywhere
    # name and tail together; full-width digits as a Chinese input method types them
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number[-4:])
    html = client.get(f"/people/?name=刘&tail={wide}").get_data(as_text=True)
    assert f'href="/people/{person_id}"' in html


def test_the_tail_search_decrypts_only_what_it_shows(app, client, make, monkeypatch):
    """Nine others in scope: only the one found is decrypted (to be shown masked)."""
    person_id, number, _ = _person(app, make, "360102", "刘晓燕")
    for n in range(9):
        make.person("360102", name=f"他人{n}")
    sign_in(client, make.user("federation_officer", region_code="3601"))
    opened = []
    real = crypto.FieldCipher.decrypt

    def counting(self, token, context=b""):
        opened.append(context)
        return real(self, token, context)

    monkeypatch.setattr(crypto.FieldCipher, "decrypt", counting)
    html = client.get(f"/people/?tail={number[-4:]}").get_data(as_text=True)
    assert f'href="/people/{person_id}"' in html and "他人" not in html
    assert opened.count(b"people.id_number") == 1


def test_a_certificate_number_finds_its_holder(app, client, make):
    person_id, _, cert = _person(app, make, "360102", "刘晓燕")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    response = post_form(client, "/people/search", {"number": cert})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/people/{person_id}")


def test_a_too_short_or_too_long_fragment_is_answered_on_its_field(app, client, make):
    sign_in(client, make.user("federation_officer", region_code="360102"))
    for typed in ("421", "14211", "12a4"):
        response = client.get(f"/people/?tail={typed}")
        html = response.get_data(as_text=True)
        assert response.status_code == 400, typed
        assert 'id="tail-error"' in html and 'href="#tail"' in html


def test_a_number_typed_as_a_name_is_refused(app, client, make):
    sign_in(client, make.user("federation_officer", region_code="360102"))
    response = client.get("/people/?name=3601021990")
    assert response.status_code == 400
    assert 'id="name-error"' in response.get_data(as_text=True)


def test_a_nul_byte_in_a_filter_is_refused_clearly(app, client, make):
    sign_in(client, make.user("federation_officer", region_code="360102"))
    response = client.get("/people/?name=%E5%88%98%00")
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)


def test_wildcards_in_a_name_are_taken_literally(app, client, make):
    _person(app, make, "360102", "刘晓燕")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    for typed in ("%", "_"):
        html = client.get("/people/", query_string={"name": typed}).get_data(as_text=True)
        assert "刘晓燕" not in html, typed


def test_the_filters_stay_in_the_pager_links(app, client, make):
    for n in range(31):
        make.person("360102", name=f"周{n}")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    html = client.get("/people/?name=周").get_data(as_text=True)
    assert "name=%E5%91%A8" in html and "page=2" in html
    html = client.get("/people/?name=周&page=2").get_data(as_text=True)
    assert html.count("周") >= 1 and "page=1" in html


def test_an_anonymised_record_has_no_tail_left_to_find(app, client, make):
    person_id, number, _ = _person(app, make, "360102", "刘晓燕")
    with app.app_context():
        db.session.execute(update(Person).where(Person.id == person_id)
                           .values(id_tail_index=None))
        db.session.commit()
        assert db.session.scalar(select(Person.id).where(
            Person.id_tail_index == services.tail_index(number))) is None


def test_a_name_or_four_characters_typed_in_the_number_box_go_to_their_search(app, client,
                                                                              make):
    sign_in(client, make.user("federation_officer", region_code="360102"))
    response = post_form(client, "/people/search", {"number": "刘晓燕"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/people/?name=%E5%88%98%E6%99%93%E7%87%95")
    response = post_form(client, "/people/search", {"number": "142x"})
    assert response.headers["Location"].endswith("/people/?tail=142X")


def test_digits_of_another_length_in_the_number_box_are_said_on_the_field(app, client,
                                                                          make):
    sign_in(client, make.user("federation_officer", region_code="360102"))
    for typed in ("36010219", "360102199001010"):
        response = post_form(client, "/people/search", {"number": typed})
        html = response.get_data(as_text=True)
        assert response.status_code == 400, typed
        assert 'id="number-error"' in html and f'value="{typed}"' in html


def _more_people(app, count, name):
    """`count` copies of the first person (the same last four characters), named name+n."""
    with app.app_context():
        first = db.session.scalar(select(func.count()).select_from(Person))
        template = db.session.scalars(select(Person)).first()
        values = {c.name: getattr(template, c.name) for c in Person.__table__.columns
                  if c.name not in ("id", "id_number_index")}
        db.session.execute(insert(Person), [
            dict(values, name=f"{name}{n}", id_number_index=f"bulk-{first + n}",
                 cert_number=None, cert_number_index=None)
            for n in range(count)])
        db.session.commit()


def test_the_search_reads_the_same_statements_at_5_and_at_500_matches(app, client, make,
                                                                       count_queries):
    _, number, _ = _person(app, make, "360102", "周一")
    _more_people(app, 4, "周")
    sign_in(client, make.user("federation_officer", region_code="360102"))
    client.get("/people/?name=周")
    with count_queries() as few:
        client.get(f"/people/?name=周&tail={number[-4:]}")
    _more_people(app, 495, "周")
    with count_queries() as many:
        html = client.get(f"/people/?name=周&tail={number[-4:]}").get_data(as_text=True)
    assert "500" in html and html.count("周") >= 30
    assert len(few) == len(many), (len(few), len(many))
