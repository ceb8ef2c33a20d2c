"""Competition actions (competitions/rules.py): organising, city delegations, the judges'
registry, marking, the chief judge, the scoreboard, arbitration and corrections, award
certificates. Read grid.py for the actors; Y allowed, - refused.

The competition is organised by the province (36) unless a state says otherwise. Its event
has judge_assigned as a judge and chief_assigned as its chief; its arbitration group is
officer_province and judge_other (a judge of the registry need not be assigned to sit in
it). Event states: open (registration), drawn (marking), locked, publ(ished), canc(elled).
The rules tell no event state apart: when marking, locking or correcting is possible is the
services' check.
"""

from __future__ import annotations

import pytest

from tests.security.policy_matrix import grid
from tests.security.policy_matrix.grid import (
    CITY,
    OTHER_CITY,
    OTHER_PERSON,
    PROVINCE,
    SELF_PERSON,
    Table,
    page,
    uid,
)
from trainhub.competitions.catalog import EventStatus
from trainhub.competitions.models import (
    Arbitrator,
    Assignment,
    Competition,
    Delegation,
    Entry,
    EntryMember,
    Event,
    Judge,
    Result,
)


def competition(region: str = PROVINCE, group: tuple[str, ...] = ()) -> Competition:
    return Competition(id=1, region_code=region,
                       arbitrators=[Arbitrator(user_id=uid(actor)) for actor in group])


GROUP = ("officer_province", "judge_other")
ORGANISED = competition(group=GROUP)
NO_GROUP = competition()


def event(status: EventStatus = EventStatus.DRAWN, made: Competition = ORGANISED,
          chief_leads: bool = True) -> Event:
    """An event with judge_assigned and chief_assigned (its chief unless `chief_leads` is
    False, when the chief judge sits as an ordinary member)."""
    return Event(id=1, competition=made, status=status.value, assignments=[
        Assignment(judge=Judge(user_id=uid("judge_assigned")), chief=False),
        Assignment(judge=Judge(user_id=uid("chief_assigned")), chief=chief_leads)])


def result(made: Competition, person: int = SELF_PERSON) -> Result:
    """A published result of an entry whose contestant is `person`."""
    entry = Entry(members=[EntryMember(person_id=person)],
                  event=event(EventStatus.PUBLISHED, made))
    return Result(id=1, entry=entry)


EVENTS = {"open": event(EventStatus.OPEN), "drawn": event(EventStatus.DRAWN),
          "locked": event(EventStatus.LOCKED), "publ": event(EventStatus.PUBLISHED),
          "canc": event(EventStatus.CANCELLED)}
assert {e.status for e in EVENTS.values()} == set(EventStatus)

TABLES = [
    # Competitions and their events: every officer (cities register), the admin.
    Table("competitions.view", page(competition=ORGANISED, event=EVENTS["open"]), """
                              page  competition  event
        anonymous               -        -         -
        admin                   Y        Y         Y
        security_admin          -        -         -
        audit_admin             -        -         -
        officer_province        Y        Y         Y
        officer_city            Y        Y         Y
        officer_county          Y        Y         Y
        officer_other_city      Y        Y         Y
        officer_other_county    Y        Y         Y
        staff_own               -        -         -
        staff_other             -        -         -
        enterprise_own          -        -         -
        enterprise_other        -        -         -
        trainee_self            -        -         -
        trainee_other           -        -         -
        judge_assigned          -        -         -
        judge_other             -        -         -
        chief_assigned          -        -         -
        chief_other             -        -         -
    """),
    # Run a competition: officers of its region or above. A competition of the province,
    # of the city (3601), of another city (3607), and an event of the city's competition.
    Table("competitions.organise", page(
        province=ORGANISED, city=competition(CITY), other_city=competition(OTHER_CITY),
        city_event=event(made=competition(CITY))), """
                              page  province  city  other_city  city_event
        anonymous               -      -        -       -           -
        admin                   -      -        -       -           -
        security_admin          -      -        -       -           -
        audit_admin             -      -        -       -           -
        officer_province        Y      Y        Y       Y           Y
        officer_city            Y      -        Y       -           Y
        officer_county          Y      -        -       -           -
        officer_other_city      Y      -        -       Y           -
        officer_other_county    Y      -        -       -           -
        staff_own               -      -        -       -           -
        staff_other             -      -        -       -           -
        enterprise_own          -      -        -       -           -
        enterprise_other        -      -        -       -           -
        trainee_self            -      -        -       -           -
        trainee_other           -      -        -       -           -
        judge_assigned          -      -        -       -           -
        judge_other             -      -        -       -           -
        chief_assigned          -      -        -       -           -
        chief_other             -      -        -       -           -
    """),
    # A city's delegation (代表队) is registered by that city's officers only.
    Table("competitions.register", page(
        delegation=Delegation(region_code=CITY),
        other_city=Delegation(region_code=OTHER_CITY)), """
                              page  delegation  other_city
        anonymous               -        -           -
        admin                   -        -           -
        security_admin          -        -           -
        audit_admin             -        -           -
        officer_province        -        -           -
        officer_city            Y        Y           -
        officer_county          -        -           -
        officer_other_city      Y        -           Y
        officer_other_county    -        -           -
        staff_own               -        -           -
        staff_other             -        -           -
        enterprise_own          -        -           -
        enterprise_other        -        -           -
        trainee_self            -        -           -
        trainee_other           -        -           -
        judge_assigned          -        -           -
        judge_other             -        -           -
        chief_assigned          -        -           -
        chief_other             -        -           -
    """),
    # The judges' registry: province and city officers (the rule reads no object).
    Table("competitions.judges", page(), """
                              page
        anonymous               -
        admin                   -
        security_admin          -
        audit_admin             -
        officer_province        Y
        officer_city            Y
        officer_county          -
        officer_other_city      Y
        officer_other_county    -
        staff_own               -
        staff_other             -
        enterprise_own          -
        enterprise_other        -
        trainee_self            -
        trainee_other           -
        judge_assigned          -
        judge_other             -
        chief_assigned          -
        chief_other             -
    """),
    # Marking: the judges assigned to the event.
    Table("competitions.mark", page(**EVENTS), """
                              page  open  drawn  locked  publ  canc
        anonymous               -     -     -      -       -     -
        admin                   -     -     -      -       -     -
        security_admin          -     -     -      -       -     -
        audit_admin             -     -     -      -       -     -
        officer_province        -     -     -      -       -     -
        officer_city            -     -     -      -       -     -
        officer_county          -     -     -      -       -     -
        officer_other_city      -     -     -      -       -     -
        officer_other_county    -     -     -      -       -     -
        staff_own               -     -     -      -       -     -
        staff_other             -     -     -      -       -     -
        enterprise_own          -     -     -      -       -     -
        enterprise_other        -     -     -      -       -     -
        trainee_self            -     -     -      -       -     -
        trainee_other           -     -     -      -       -     -
        judge_assigned          Y     Y     Y      Y       Y     Y
        judge_other             Y     -     -      -       -     -
        chief_assigned          Y     Y     Y      Y       Y     Y
        chief_other             Y     -     -      -       -     -
    """),
    # Resolve flags, lock: the event's chief; as_member: the chief judge sits in the event
    # as an ordinary member.
    Table("competitions.chief", page(**EVENTS, as_member=event(chief_leads=False)), """
                              page  open  drawn  locked  publ  canc  as_member
        anonymous               -     -     -      -       -     -       -
        admin                   -     -     -      -       -     -       -
        security_admin          -     -     -      -       -     -       -
        audit_admin             -     -     -      -       -     -       -
        officer_province        -     -     -      -       -     -       -
        officer_city            -     -     -      -       -     -       -
        officer_county          -     -     -      -       -     -       -
        officer_other_city      -     -     -      -       -     -       -
        officer_other_county    -     -     -      -       -     -       -
        staff_own               -     -     -      -       -     -       -
        staff_other             -     -     -      -       -     -       -
        enterprise_own          -     -     -      -       -     -       -
        enterprise_other        -     -     -      -       -     -       -
        trainee_self            -     -     -      -       -     -       -
        trainee_other           -     -     -      -       -     -       -
        judge_assigned          -     -     -      -       -     -       -
        judge_other             -     -     -      -       -     -       -
        chief_assigned          Y     Y     Y      Y       Y     Y       -
        chief_other             Y     -     -      -       -     -       -
    """),
    # The scoreboard of an event: its organisers, and its chief judge. An event of the
    # province's competition in each state, one of the city's (3601) competition, and one
    # where the chief judge sits as an ordinary member.
    Table("competitions.scoreboard", page(
        **EVENTS, city_event=event(made=competition(CITY)),
        as_member=event(chief_leads=False)), """
                              page  open  drawn  locked  publ  canc  city_event  as_member
        anonymous               -     -     -      -       -     -       -           -
        admin                   -     -     -      -       -     -       -           -
        security_admin          -     -     -      -       -     -       -           -
        audit_admin             -     -     -      -       -     -       -           -
        officer_province        Y     Y     Y      Y       Y     Y       Y           Y
        officer_city            Y     -     -      -       -     -       Y           -
        officer_county          Y     -     -      -       -     -       -           -
        officer_other_city      Y     -     -      -       -     -       -           -
        officer_other_county    Y     -     -      -       -     -       -           -
        staff_own               -     -     -      -       -     -       -           -
        staff_other             -     -     -      -       -     -       -           -
        enterprise_own          -     -     -      -       -     -       -           -
        enterprise_other        -     -     -      -       -     -       -           -
        trainee_self            -     -     -      -       -     -       -           -
        trainee_other           -     -     -      -       -     -       -           -
        judge_assigned          -     -     -      -       -     -       -           -
        judge_other             -     -     -      -       -     -       -           -
        chief_assigned          Y     Y     Y      Y       Y     Y       Y           -
        chief_other             Y     -     -      -       -     -       -           -
    """),
    # Appeals: the members of the competition's arbitration group. The competition and an
    # event of it, and a competition without a group and its event.
    Table("competitions.arbitrate", page(
        competition=ORGANISED, event=EVENTS["locked"], no_group=NO_GROUP,
        no_group_event=event(EventStatus.LOCKED, NO_GROUP)), """
                              page  competition  event  no_group  no_group_event
        anonymous               -        -         -        -            -
        admin                   -        -         -        -            -
        security_admin          -        -         -        -            -
        audit_admin             -        -         -        -            -
        officer_province        Y        Y         Y        -            -
        officer_city            Y        -         -        -            -
        officer_county          Y        -         -        -            -
        officer_other_city      Y        -         -        -            -
        officer_other_county    Y        -         -        -            -
        staff_own               -        -         -        -            -
        staff_other             -        -         -        -            -
        enterprise_own          -        -         -        -            -
        enterprise_other        -        -         -        -            -
        trainee_self            -        -         -        -            -
        trainee_other           -        -         -        -            -
        judge_assigned          Y        -         -        -            -
        judge_other             Y        Y         Y        -            -
        chief_assigned          Y        -         -        -            -
        chief_other             Y        -         -        -            -
    """),
    # A correction after the lock: asked by the event's chief or an arbitration member.
    Table("competitions.correct", page(
        locked=EVENTS["locked"], publ=EVENTS["publ"],
        no_group=event(EventStatus.LOCKED, NO_GROUP),
        as_member=event(EventStatus.LOCKED, NO_GROUP, chief_leads=False)), """
                              page  locked  publ  no_group  as_member
        anonymous               -     -       -       -          -
        admin                   -     -       -       -          -
        security_admin          -     -       -       -          -
        audit_admin             -     -       -       -          -
        officer_province        Y     Y       Y       -          -
        officer_city            Y     -       -       -          -
        officer_county          Y     -       -       -          -
        officer_other_city      Y     -       -       -          -
        officer_other_county    Y     -       -       -          -
        staff_own               -     -       -       -          -
        staff_other             -     -       -       -          -
        enterprise_own          -     -       -       -          -
        enterprise_other        -     -       -       -          -
        trainee_self            -     -       -       -          -
        trainee_other           -     -       -       -          -
        judge_assigned          Y     -       -       -          -
        judge_other             Y     Y       Y       -          -
        chief_assigned          Y     Y       Y       Y          -
        chief_other             Y     -       -       -          -
    """),
    # An award certificate: person 7's result at the province's competition, at the city's,
    # and person 8's at the province's: the contestant, and the organising officers.
    Table("competitions.certificate", page(
        province=result(ORGANISED), city=result(competition(CITY)),
        other_person=result(ORGANISED, OTHER_PERSON)), """
                              page  province  city  other_person
        anonymous               -      -        -        -
        admin                   -      -        -        -
        security_admin          -      -        -        -
        audit_admin             -      -        -        -
        officer_province        Y      Y        Y        Y
        officer_city            Y      -        Y        -
        officer_county          Y      -        -        -
        officer_other_city      Y      -        -        -
        officer_other_county    Y      -        -        -
        staff_own               -      -        -        -
        staff_other             -      -        -        -
        enterprise_own          -      -        -        -
        enterprise_other        -      -        -        -
        trainee_self            Y      Y        Y        -
        trainee_other           Y      -        -        Y
        judge_assigned          -      -        -        -
        judge_other             -      -        -        -
        chief_assigned          -      -        -        -
        chief_other             -      -        -        -
    """),
    # A trainee's own results (the page lists only theirs).
    Table("competitions.mine", page(), """
                              page
        anonymous               -
        admin                   -
        security_admin          -
        audit_admin             -
        officer_province        -
        officer_city            -
        officer_county          -
        officer_other_city      -
        officer_other_county    -
        staff_own               -
        staff_other             -
        enterprise_own          -
        enterprise_other        -
        trainee_self            Y
        trainee_other           Y
        judge_assigned          -
        judge_other             -
        chief_assigned          -
        chief_other             -
    """),
]


@pytest.mark.parametrize("table", TABLES, ids=grid.ids)
def test_policy_decides_as_the_table_says(table):
    grid.check(table)
