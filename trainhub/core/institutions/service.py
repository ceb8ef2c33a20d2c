"""Institutions: validated credit code, a county, address and contacts. Flush and audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from trainhub.core import idnumbers
from trainhub.core.audit.service import record
from trainhub.core.errors import N_, Checks, DomainError
from trainhub.core.organisations import Institution
from trainhub.core.regions import Region
from trainhub.extensions import db

ORG_TYPES = ("school", "company", "ngo")


@dataclass(frozen=True)
class InstitutionInput:
    name: str
    credit_code: str
    org_type: str
    region_code: str
    registered_on: date | None
    address: str
    contact_name: str
    contact_phone: str


class InvalidCreditCode(DomainError):
    field = "credit_code"


def _validate(data: InstitutionInput, today: date, current_id: int = 0) -> str:
    """Every rule the institution breaks, raised together, each on the form's field; the
    credit code in its stored form when none is broken."""
    checks = Checks()
    code: str | None = None
    try:
        code = idnumbers.parse_uscc(data.credit_code)
    except idnumbers.IdNumberError as error:
        message = (N_("The check character (the last character) of the unified social "
                      "credit code does not match: check it for typing errors.")
                   if error.code == "uscc_checksum" else
                   N_("A unified social credit code has 18 characters: digits and capital "
                      "letters except I, O, Z, S and V."))
        checks.extend(InvalidCreditCode(message))
    if not data.name.strip():
        checks.add(N_("Give the institution's name."), field="name")
    if data.org_type not in ORG_TYPES:
        checks.add(N_("Choose the kind of institution."), field="org_type")
    region = db.session.get(Region, data.region_code)
    if region is None or region.level != "county":
        checks.add(N_("Choose the county where the institution is located."),
                   field="region_code")
    if data.registered_on and data.registered_on > today:
        checks.add(N_("The registration date cannot be in the future."),
                   field="registered_on")
    if code is not None and db.session.scalar(select(Institution.id).where(
            Institution.credit_code == code, Institution.id != current_id)):
        checks.add(N_("An institution with this credit code is already registered."),
                   field="credit_code")
    checks.done()
    assert code is not None  # a code that does not parse is among the checks
    return code


def _apply(institution: Institution, data: InstitutionInput, code: str) -> None:
    institution.name = data.name.strip()
    institution.credit_code = code
    institution.org_type = data.org_type
    institution.region_code = data.region_code
    institution.registered_on = data.registered_on
    institution.address = data.address.strip()
    institution.contact_name = data.contact_name.strip()
    institution.contact_phone = data.contact_phone.strip()


def create_institution(data: InstitutionInput, today: date) -> Institution:
    code = _validate(data, today)
    institution = Institution()
    _apply(institution, data, code)
    db.session.add(institution)
    db.session.flush()
    record("institution.create", object_type="institution", object_id=institution.id,
           region_code=institution.region_code,
           details={"name": institution.name, "credit_code": code})
    return institution


def update_institution(institution: Institution, data: InstitutionInput, today: date) -> None:
    code = _validate(data, today, current_id=institution.id)
    before = {"name": institution.name, "region_code": institution.region_code}
    _apply(institution, data, code)
    after = {"name": institution.name, "region_code": institution.region_code}
    record("institution.update", object_type="institution", object_id=institution.id,
           region_code=institution.region_code,
           details={"changed": {k: [before[k], after[k]] for k in before
                                if before[k] != after[k]}})
