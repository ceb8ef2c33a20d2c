"""A person's name is stored as people read it, whatever path it came by (a form, the API,
an Excel import): no zero-width characters, no spaces between Chinese characters (issue 12,
item 11)."""

from __future__ import annotations

from datetime import date

import pytest

from trainhub.cli.demo import make_resident_id
from trainhub.core.people import services
from trainhub.core.people.models import EmploymentStatus


@pytest.mark.parametrize("typed", ["钟建新\u200b", "钟　建新", " 钟 建 新 ", "\ufeff钟建新"])
def test_a_name_is_stored_clean(ctx, typed):
    number = make_resident_id("360102", date(1986, 1, 28), 109)
    person = services.create_person(services.PersonInput(
        name=typed, id_number="\u200b" + number, cert_number=None, phone=None,
        household_region_code="360102", employment_status=EmploymentStatus.UNEMPLOYED),
        date(2026, 3, 2))
    assert (person.name, person.id_number) == ("钟建新", number)
