"""Institutions (schools, companies, NGOs that train) and enterprises (employers that order
training), each with a valid unified social credit code (GB 32100, `cli.demo.uscc`)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from trainhub.cli.demo import uscc
from trainhub.cli.province import names
from trainhub.cli.province.bulk import Bulk
from trainhub.cli.province.world import County, Org, World, spread
from trainhub.core.organisations import Enterprise, Institution

_SERIAL_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_TYPE_WEIGHT = {"school": 45, "company": 35, "ngo": 20}
# Registration department and type of the credit code: 52 a private non-enterprise unit
# (most schools and NGOs), 12 a public institution, 91 a company.
CODE_KIND = {"school": ("52", "12"), "ngo": ("52",), "company": ("91",)}


def _place(county: County) -> str:
    """南昌市… for the central district (city institutions), 南昌县… elsewhere."""
    return county.city_name if county.centre else county.name


def _counties_for(rng: random.Random, counties: list[County], count: int) -> list[County]:
    """Every county once while there are enough, the rest by weight."""
    chosen: list[County] = []
    if count >= len(counties):
        chosen = list(counties)
    weights = [c.weight for c in counties]
    chosen += rng.choices(counties, weights=weights, k=count - len(chosen))
    rng.shuffle(chosen)
    return chosen


class CreditCodes:
    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used = rng, set[str]()

    def make(self, kind: str, region: str) -> str:
        while True:
            serial = "MA" + "".join(self.rng.choice(_SERIAL_CHARS) for _ in range(7))
            code = uscc(kind, region, serial)
            if code not in self.used:
                self.used.add(code)
                return code


def make_organisations(world: World, bulk: Bulk) -> None:
    rng = world.rng("organisations")
    codes = CreditCodes(rng)
    institutions = _counties_for(rng, world.counties, world.plan.count("institutions"))
    ids = bulk.ids(Institution.__table__, len(institutions))
    created = world.moment(world.bases_start - timedelta(days=210), rng)
    rows = []
    for county, org_id in zip(institutions, ids, strict=True):
        org_type = rng.choices(list(ORG_TYPE_WEIGHT), weights=list(ORG_TYPE_WEIGHT.values()))[0]
        org = Org(org_id, names.institution_name(rng, _place(county), org_type), county.code,
                  codes.make(rng.choice(CODE_KIND[org_type]), county.code), org_type,
                  rng.lognormvariate(0, 0.8))
        world.institutions.append(org)
        registered = spread(rng, date(2003, 1, 1), world.bases_start - timedelta(days=800))
        rows.append({"id": org.id, "name": org.name, "credit_code": org.credit_code,
                     "region_code": org.region, "created_at": created, "org_type": org_type,
                     "registered_on": registered,
                     "address": names.address(rng, county.city_name, county.name),
                     "contact_name": names.person_name(rng, rng.choice("MF")),
                     "contact_phone": names.phone(rng)})
    bulk.done("institutions", bulk.insert(Institution.__table__, rows))

    enterprises = _counties_for(rng, world.counties, world.plan.count("enterprises"))
    ids = bulk.ids(Enterprise.__table__, len(enterprises))
    rows = []
    for county, org_id in zip(enterprises, ids, strict=True):
        org = Org(org_id, names.enterprise_name(rng, _place(county)), county.code,
                  codes.make("91", county.code), "company", rng.lognormvariate(0, 0.6))
        world.enterprises.append(org)
        rows.append({"id": org.id, "name": org.name, "credit_code": org.credit_code,
                     "region_code": org.region, "created_at": created})
    bulk.done("enterprises", bulk.insert(Enterprise.__table__, rows))
