"""Seats taken as family members of people with disabilities (残疾人家庭成员): generated
when the schema and the subsidy engine know them (the enrolment's family columns, the
batch's flag, the engine's `Person.family_member`), left out otherwise."""

from __future__ import annotations

import dataclasses

from trainhub.subsidies import engine
from trainhub.training import eligibility
from trainhub.training.models import Batch, Enrolment

FAMILY_SEATS = ("family_relation" in Enrolment.__table__.c
                and "open_to_family_members" in Batch.__table__.c
                and "family_member" in {f.name for f in dataclasses.fields(engine.Person)})
RELATIONS: dict[str, str] = dict(getattr(eligibility, "RELATIONS", {}))
