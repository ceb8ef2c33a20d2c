"""policy.within: a region and the regions below it read as a range of the index, the same
rows as the code's prefix (issue 13)."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, MetaData, String, Table, create_engine, insert, select

from trainhub.core import policy

CODES = ["36", "3601", "360102", "360199", "3609", "360901", "3610", "361001", "37", "3699",
         "369901", "99", "9901", "990199", "", "3", "4"]


@pytest.mark.parametrize("prefix", ["36", "3601", "360102", "3609", "3699", "369", "99", "9",
                                    "3", "360199", "x1"])
def test_within_is_the_codes_starting_with_the_region(prefix):
    table = Table("codes", MetaData(), Column("code", String(6)))
    engine = create_engine("sqlite://")
    table.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(table), [{"code": c} for c in CODES])
        found = set(connection.scalars(select(table.c.code)
                                       .where(policy.within(table.c.code, prefix))))
    assert found == {c for c in CODES if c.startswith(prefix)}
