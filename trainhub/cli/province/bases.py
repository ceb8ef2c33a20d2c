"""Certified bases with gaps in coverage: every city's central district holds a city-level
training base except one city's, two cities have no city-level incubator, about 15 % of
the counties have no valid training base (half of them had one that expired or was
revoked). Each base comes from an application reviewed county → city → province up to its
level, a public notice, a gap-free certificate number per kind and year, a verification
record with the certified facts (bases.certification's own facts and issuer), yearly
reviews, and residents for incubators. Applications still under way (in review, under
notice, returned, rejected, drafts) stand beside them."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

from flask_babel import force_locale, gettext

from trainhub.bases.certification import (
    certificate_number,
    certified_facts,
    issuer_name,
)
from trainhub.bases.models import (
    AnnualReview,
    Base,
    BaseApplication,
    BaseKind,
    CertificateSequence,
    Objection,
    PublicNotice,
    ResidentEnterprise,
    Review,
)
from trainhub.cli.province import names
from trainhub.cli.province.accounts import Accounts
from trainhub.cli.province.bulk import Bulk
from trainhub.cli.province.evidence import Evidence
from trainhub.cli.province.world import BaseRec, County, Org, World, add_years, spread
from trainhub.core.documents.models import Verification
from trainhub.core.errors import N_
from trainhub.core.parameters import service as parameters

SPECIALTY_WEIGHT = {"massage": 25, "intangible_heritage": 18, "ecommerce": 25,
                    "livestreaming": 14, "handicraft": 8, "agriculture": 8, "general": 12}
INCUBATOR_SPECIALTIES = ("ecommerce", "livestreaming", "handicraft", "intangible_heritage",
                         "general")
LEVELS_UP_TO = {"county": ("county",), "city": ("county", "city"),
                "province": ("county", "city", "province")}
GAP_SHARE = 0.15
TRAINING, INCUBATOR = BaseKind.TRAINING.value, BaseKind.INCUBATOR.value
REVOKE_REASON = "年度考核不合格，撤销认定。"
SUSPEND_REASON = "年度考核整改期间暂停认定。"


def _specialties(rng: random.Random, kind: str) -> list[str]:
    if kind == BaseKind.INCUBATOR:
        return sorted(rng.sample(INCUBATOR_SPECIALTIES, rng.randint(1, 2)))
    chosen: set[str] = set()
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        chosen.add(rng.choices(list(SPECIALTY_WEIGHT), list(SPECIALTY_WEIGHT.values()))[0])
    return sorted(chosen)


def _plan(world: World, rng: random.Random) -> list[tuple[str, str, County, str]]:
    """(kind, level, county, fate) in priority order, cut at the number of bases; a renewal
    stands for two bases (the old one superseded and the new one)."""
    counties = list(world.counties)
    rng.shuffle(counties)
    centres = {c.city: c for c in world.counties if c.centre}
    others = [c for c in counties if not c.centre]
    gaps = others[:round(GAP_SHARE * len(world.counties))]
    world.facts["gap_counties"] = sorted(c.code for c in gaps)
    covered = [c for c in counties if c not in gaps]
    cities = sorted(centres)
    rng.shuffle(cities)
    no_training, no_incubator = cities[0], set(cities[1:3])
    by_weight = [c.weight for c in covered]
    firsts = [
        (TRAINING, "city", centres[cities[1]], "current"),
        (TRAINING, "county", covered[0], "current"),
        (INCUBATOR, "city", centres[cities[3]], "current"),
        (TRAINING, "county", gaps[0], "expired"),
        (TRAINING, "province", centres[cities[4]], "current"),
        (TRAINING, "county", covered[1], "renewed"),
        (TRAINING, "county", covered[2], "suspended"),
        (INCUBATOR, "province", centres[cities[5]], "current"),
    ]
    rest = [(TRAINING, "city", centres[c], "current") for c in cities if c != no_training]
    rest += [(TRAINING, "county", c, "current") for c in covered if not c.centre]
    rest += [(INCUBATOR, "city", centres[c], "current") for c in cities if c not in no_incubator]
    rest += [(TRAINING, "county", c, rng.choice(("expired", "revoked")))
             for c in gaps[1:len(gaps) // 2]]
    total = world.plan.count("bases")
    for share, kind, level, fate in ((0.06, TRAINING, "province", "current"),
                                     (0.02, INCUBATOR, "province", "current"),
                                     (0.05, TRAINING, "county", "renewed"),
                                     (0.015, TRAINING, "county", "suspended"),
                                     (0.015, TRAINING, "county", "revoked")):
        for _ in range(round(share * total)):
            county = rng.choices(covered, by_weight)[0]
            if level == "province":
                county = centres[county.city]
            rest.append((kind, level, county, fate))
    planned = firsts + rest
    while sum(2 if p[3] == "renewed" else 1 for p in planned) < total:
        county = rng.choices(covered, by_weight)[0]
        kind = INCUBATOR if rng.random() < 0.12 else TRAINING
        level = "city" if rng.random() < 0.22 else "county"
        planned.append((kind, level, centres[county.city] if level == "city" else county,
                        "current"))
    cut, size = [], 0
    for item in planned:
        if item[1] != "county" and (item[2].city == no_training and item[0] == TRAINING
                                    or item[2].city in no_incubator and item[0] == INCUBATOR):
            continue  # the city's gap: no base of this kind at city level or above
        size += 2 if item[3] == "renewed" else 1
        if size > total:
            break
        cut.append(item)
    return cut


class Bases:
    def __init__(self, world: World, bulk: Bulk, accounts: Accounts, evidence: Evidence) -> None:
        self.world, self.bulk, self.accounts, self.evidence = world, bulk, accounts, evidence
        self.rng = world.rng("bases")
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.by_county: dict[str, list[Org]] = defaultdict(list)
        for org in world.institutions:
            self.by_county[org.region].append(org)
        self.holders: set[tuple[int, str]] = set()
        self.notice_days = parameters.int_value("bases.notice_days", world.today, "36")
        self.criteria = {kind: parameters.value_with_source(f"bases.criteria.{key}",
                                                            world.today, "36")
                         for kind, key in (("training", "training_base"),
                                           ("incubator", "incubator"))}

    # --- institutions and applications ---------------------------------------------------

    def _institution(self, county: County, kind: str) -> Org:
        """A (large) institution of the county without a base of this kind, or any."""
        here = sorted(self.by_county.get(county.code) or self.world.institutions,
                      key=lambda o: -o.size)
        free = [o for o in here if (o.id, kind) not in self.holders] or here
        org = self.rng.choices(free, [o.size for o in free])[0]
        self.holders.add((org.id, kind))
        return org

    def _answers(self, kind: str, org: Org, registered_years: int) -> dict[str, str]:
        rng = self.rng
        answers = {"registered_years": str(max(1, registered_years)),
                   "accessible_facilities": "yes"}
        if kind == BaseKind.TRAINING:
            answers.update(site_area=str(rng.randint(220, 2400)),
                           trainer_count=str(rng.randint(5, 40)),
                           trainees_last_year=str(rng.randint(50, 600)),
                           employment_rate_last_year=str(rng.randint(50, 95)))
        else:
            answers.update(incubation_area=str(rng.randint(520, 5000)),
                           resident_enterprises=str(rng.randint(5, 30)),
                           incubation_period_years=str(rng.randint(1, 3)),
                           incubation_success_rate=str(rng.randint(50, 90)))
        return answers

    def application(self, org: Org, kind: str, level: str, specialties: list[str],
                    status: str, decided: date | None, reviewed: tuple[str, ...],
                    last_review: date, renews: int | None = None,
                    outcome: str = "recommend") -> int:
        """An application with its reviews (the levels in `reviewed`, each recommending but
        the last, which gives `outcome`) and evidence; returns its id."""
        rng, world = self.rng, self.world
        app_id = self.bulk.next_id(BaseApplication.__table__)
        days = [last_review]
        for _ in reviewed[1:]:
            days.insert(0, days[0] - timedelta(days=rng.randint(5, 15)))
        submitted = days[0] - timedelta(days=rng.randint(5, 15))
        created = submitted - timedelta(days=rng.randint(3, 20))
        staff = world.staff[org.id]
        criteria = self.criteria["training" if kind == BaseKind.TRAINING else "incubator"]
        self.rows["base_applications"].append({
            "id": app_id, "institution_id": org.id, "kind": kind, "level_sought": level,
            "specialties": specialties, "region_code": org.region, "status": status,
            "current_level": reviewed[-1] if status == "in_review" else None,
            "answers": self._answers(kind, org, rng.randint(2, 15)),
            "criteria_value_id": criteria.parameter_value_id, "renews_base_id": renews,
            "created_by_id": staff, "created_at": world.moment(created, rng),
            "submitted_at": world.moment(submitted, rng) if status != "draft" else None,
            "decided_at": world.moment(decided, rng) if decided else None})
        if status != "draft":
            self.evidence.attach(self.rows, app_id, staff, world.moment(created, rng))
        final = len(reviewed) - (1 if status == "in_review" else 0)
        for index, (level_name, day) in enumerate(zip(reviewed[:final], days, strict=False)):
            decision = outcome if index == final - 1 else "recommend"
            inspected = level_name == "county" and rng.random() < 0.8
            comment = {"recommend": "材料齐全，同意推荐。", "return": rng.choice(
                names.RETURN_COMMENTS), "reject": rng.choice(names.REJECT_COMMENTS)}[decision]
            self.rows["base_reviews"].append({
                "id": self.bulk.next_id(Review.__table__),
                "application_id": app_id, "level": level_name,
                "reviewer_id": self.accounts.officer_for(org.region, level_name),
                "decision": decision, "comments": comment,
                "inspected_on": day - timedelta(days=rng.randint(1, 4)) if inspected else None,
                "inspectors": "、".join(names.person_name(rng, rng.choice("MF"))
                                       for _ in range(2)) if inspected else "",
                "findings": "场地、设施与申报材料一致，无障碍设施完善。" if inspected else "",
                "decided_at": world.moment(day, rng)})
        return app_id

    def notice(self, app_id: int, region: str, level: str, starts: date,
               objection: bool) -> None:
        rng, world = self.rng, self.world
        notice_id = self.bulk.next_id(PublicNotice.__table__)
        ends = starts + timedelta(days=self.notice_days)
        self.rows["base_notices"].append({
            "id": notice_id, "application_id": app_id, "starts_on": starts, "ends_on": ends,
            "created_by_id": self.accounts.officer_for(region, level)})
        if objection and ends < world.today:
            received = starts + timedelta(days=rng.randint(1, self.notice_days - 1))
            self.rows["base_objections"].append({
                "id": self.bulk.next_id(Objection.__table__),
                "notice_id": notice_id, "received_on": received,
                "raised_by": names.person_name(rng, rng.choice("MF")),
                "content": "反映该机构培训场地面积与申报不符。",
                "recorded_by_id": self.accounts.officer_for(region, level),
                "resolution": "经实地核查，场地面积与申报材料一致，异议不成立。",
                "upheld": False,
                "resolved_by_id": self.accounts.officer_for(region, level),
                "resolved_at": world.moment(ends, rng)})

    # --- bases -------------------------------------------------------------------------

    def certify(self, kind: str, level: str, county: County, certified: date,
                org: Org | None = None, specialties: list[str] | None = None,
                renews: BaseRec | None = None) -> BaseRec:
        rng = self.rng
        org = org or self._institution(county, kind)
        specialties = specialties or _specialties(rng, kind)
        notice_end = certified - timedelta(days=rng.randint(1, 6))
        notice_start = notice_end - timedelta(days=self.notice_days)
        app_id = self.application(org, kind, level, specialties, "certified", certified,
                                  LEVELS_UP_TO[level], notice_start,
                                  renews=renews.id if renews else None)
        self.notice(app_id, org.region, level, notice_start, rng.random() < 0.05)
        base = BaseRec(
            id=self.bulk.next_id(Base.__table__), institution=org,
            kind=kind, level=level, region=org.region, specialties=specialties,
            certified_on=certified, valid_until=add_years(certified, 3) - timedelta(days=1),
            application_id=app_id)
        self.world.bases.append(base)
        return base

    def generate(self) -> None:
        world, rng = self.world, self.rng
        late = world.today - timedelta(days=20)
        fresh = max(world.bases_start, add_years(world.today, -3) + timedelta(days=30))
        old_until = add_years(world.today, -3) - timedelta(days=1)
        for kind, level, county, fate in _plan(world, rng):
            if fate == "expired" and old_until < world.bases_start:
                fate = "revoked"  # no base has yet had three years to expire
            if fate == "renewed" and add_years(world.bases_start, 3) - timedelta(60) > late:
                fate = "current"
            if fate == "expired":
                self.certify(kind, level, county, spread(rng, world.bases_start, old_until))
            elif fate == "renewed":
                first = spread(rng, world.bases_start,
                               min(add_years(late, -3) + timedelta(days=50), old_until
                                   + timedelta(days=50)))
                old = self.certify(kind, level, county, first)
                again = min(old.valid_until - timedelta(days=rng.randint(20, 80)), late)
                new = self.certify(kind, level, county, again, old.institution,
                                   old.specialties, renews=old)
                old.status, old.status_on = "superseded", again
                old.status_reason = str(new.id)  # replaced by the number once it is known
            elif fate == "revoked":
                base = self.certify(kind, level, county,
                                    spread(rng, world.bases_start, late - timedelta(200)))
                base.status, base.status_reason = "revoked", REVOKE_REASON
                base.status_on = spread(rng, base.certified_on + timedelta(days=180),
                                        min(late, base.valid_until))
            else:
                last = late - timedelta(days=100) if fate == "suspended" else late
                base = self.certify(kind, level, county, spread(rng, min(fresh, last), last))
                if fate == "suspended":
                    base.status, base.status_reason = "suspended", SUSPEND_REASON
                    base.status_on = spread(rng, base.certified_on + timedelta(days=90), late)
        self._number()
        self._pending()

    def _number(self) -> None:
        """Gap-free numbers per kind and year in the order of certification."""
        counters: dict[tuple[str, int], int] = defaultdict(int)
        by_id = {b.id: b for b in self.world.bases}
        for base in sorted(self.world.bases, key=lambda b: (b.certified_on, b.id)):
            key = (base.kind, base.certified_on.year)
            counters[key] += 1
            base.year, base.sequence = key[1], counters[key]
            base.certificate_number = certificate_number(BaseKind(base.kind), key[1],
                                                         counters[key])
            base.verification_code = self.world.code(self.rng)
        for base in self.world.bases:
            if base.status == "superseded":
                base.status_reason = by_id[int(base.status_reason)].certificate_number
        for (kind, year), last in sorted(counters.items()):
            self.rows["base_certificate_sequences"].append({
                "id": self.bulk.next_id(CertificateSequence.__table__),
                "kind": kind, "year": year, "last_number": last})

    def _pending(self) -> None:
        """Applications under way or ended without a base (a fifth of the bases' number)."""
        world, rng = self.world, self.rng
        gaps = set(cast(list[str], world.facts["gap_counties"]))
        for index in range(max(6, round(0.2 * len(world.bases)))):
            status = ("in_review", "notice", "returned", "rejected", "draft", "withdrawn",
                      "in_review", "returned")[index % 8]
            pool = [c for c in world.counties if c.code in gaps] if index % 3 == 0 \
                else world.counties
            county = rng.choice(pool)
            kind = BaseKind.INCUBATOR.value if rng.random() < 0.15 else BaseKind.TRAINING.value
            level = rng.choice(("county", "county", "city"))
            org = self._institution(county, kind)
            up_to = LEVELS_UP_TO[level]
            reached = up_to[:rng.randint(1, len(up_to))] if status == "in_review" else up_to
            last = world.today - timedelta(days=rng.randint(2, 60))
            if status == "notice":
                last = world.today - timedelta(days=rng.randint(0, self.notice_days - 1))
            # a withdrawn application was returned first, then given up
            outcome = {"returned": "return", "withdrawn": "return",
                       "rejected": "reject"}.get(status, "recommend")
            decided = last if status == "rejected" else None
            self.application(org, kind, level, _specialties(rng, kind), status, decided,
                             reached if status != "draft" else (), last, outcome=outcome)
            app_id = self.rows["base_applications"][-1]["id"]
            if status == "notice":
                self.notice(app_id, org.region, level, last, False)

    # --- what follows certification ----------------------------------------------------

    def verifications(self) -> None:
        with force_locale("zh_Hans_CN"):
            replaced = gettext(N_("Replaced by the renewed certificate %(number)s."))
        for base in self.world.bases:
            org = base.institution
            application = SimpleNamespace(institution=SimpleNamespace(
                name=org.name, credit_code=org.credit_code))
            certified = SimpleNamespace(kind=base.kind, level=base.level,
                                        region_code=base.region, specialties=base.specialties)
            facts = certified_facts(cast(Base, certified), cast(BaseApplication, application))
            status = {"valid": "valid", "suspended": "suspended"}.get(base.status, "revoked")
            reason = {"suspended": SUSPEND_REASON, "revoked": REVOKE_REASON,
                      "superseded": replaced % {"number": base.status_reason}}.get(base.status)
            issued = self._certified_at(base)
            changed = self.world.moment(base.status_on, self.rng) if base.status_on else issued
            self.rows["verifications"].append({
                "id": self.bulk.next_id(Verification.__table__),
                "code": base.verification_code, "kind": "base_certificate",
                "document_number": base.certificate_number, "facts": facts,
                "valid_from": base.certified_on, "valid_until": base.valid_until,
                "status": status, "status_reason": reason,
                "issuer": issuer_name(base.level, base.region), "region_code": base.region,
                "issued_at": issued, "updated_at": changed})

    def _certified_at(self, base: BaseRec) -> datetime:
        return self.world.moment(base.certified_on, random.Random(base.id))

    def base_rows(self) -> None:
        for base in self.world.bases:
            self.rows["bases"].append({
                "id": base.id, "institution_id": base.institution.id,
                "application_id": base.application_id, "kind": base.kind, "level": base.level,
                "region_code": base.region, "specialties": base.specialties,
                "year": base.year, "sequence": base.sequence,
                "certificate_number": base.certificate_number,
                "valid_from": base.certified_on, "valid_until": base.valid_until,
                "status": base.status, "status_reason": base.status_reason,
                "verification_code": base.verification_code,
                "certified_by_id": self.accounts.officer_for(base.region, base.level),
                "certified_at": self._certified_at(base)})

    def yearly(self) -> None:
        """年度考核 of every year a base stood through, early the next year; residents."""
        world, rng = self.world, self.rng
        sheet = cast(list[dict[str, Any]],
                     parameters.value("bases.annual_review_sheet", world.today, "36"))
        for base in world.bases:
            end = min(base.status_on or base.valid_until, world.today - timedelta(days=1))
            for year in range(base.certified_on.year, world.today.year):
                reviewed = spread(rng, date(year + 1, 1, 10), date(year + 1, 3, 31))
                if base.certified_on > date(year, 9, 30) or reviewed > end:
                    continue
                outcome = "rectify" if rng.random() < 0.06 else "pass"
                if base.status == "revoked" and base.status_on and \
                        reviewed >= base.status_on - timedelta(60):
                    outcome, reviewed = "revoke", base.status_on
                share = {"pass": (0.72, 1.0), "rectify": (0.45, 0.58), "revoke": (0.2, 0.45)}
                scores = {item["item"]: round(item["max_points"] * rng.uniform(*share[outcome]))
                          for item in sheet}
                self.rows["base_annual_reviews"].append({
                    "id": self.bulk.next_id(AnnualReview.__table__),
                    "base_id": base.id, "year": year, "scores": scores,
                    "total": sum(scores.values()), "outcome": outcome,
                    "rectify_by": reviewed + timedelta(days=90) if outcome == "rectify" else None,
                    "comments": {"pass": "考核合格。", "rectify": "限期整改。",
                                 "revoke": REVOKE_REASON}[outcome],
                    "reviewer_id": self.accounts.officer_for(base.region, base.level),
                    "reviewed_at": world.moment(reviewed, rng)})
                if outcome == "revoke":
                    break
            if base.kind == BaseKind.INCUBATOR:
                self._residents(base)

    def _residents(self, base: BaseRec) -> None:
        world, rng = self.world, self.rng
        locals_ = [p for p in world.people[:4000] if p.county[:4] == base.region[:4]
                   and p.category is not None]
        for _ in range(rng.randint(3, 8)):
            entry = spread(rng, base.certified_on - timedelta(days=300),
                           world.today - timedelta(days=30))
            left = entry + timedelta(days=rng.randint(300, 1000))
            founder = rng.choice(locals_) if locals_ and rng.random() < 0.6 else None
            founder_name = founder.name if founder else names.person_name(rng, rng.choice("MF"))
            self.rows["incubator_residents"].append({
                "id": self.bulk.next_id(ResidentEnterprise.__table__),
                "base_id": base.id, "name": names.enterprise_name(rng, ""),
                "founder_name": founder_name,
                "founder_person_id": founder.id if founder else None, "entry_date": entry,
                "exit_date": left if left < world.today else None,
                "jobs_created": rng.randint(1, 15),
                "services": "场地租金减免、创业指导、电商运营培训、小额贷款对接",
                "created_at": world.moment(max(entry, base.certified_on), rng)})

    def write(self) -> None:
        self.verifications()
        self.base_rows()
        self.yearly()
        ordered = (("verifications", Verification), ("base_applications", BaseApplication),
                   ("base_evidence_files", None), ("base_reviews", Review),
                   ("base_notices", PublicNotice), ("base_objections", Objection),
                   ("bases", Base), ("base_certificate_sequences", CertificateSequence),
                   ("base_annual_reviews", AnnualReview),
                   ("incubator_residents", ResidentEnterprise))
        for name, model in ordered:
            table = self.evidence.table if model is None else model.__table__
            rows = self.rows[name]
            if name == "base_applications":  # renews_base_id points at bases written later
                for row in rows:
                    row["renews"], row["renews_base_id"] = row["renews_base_id"], None
                self.bulk.insert(table, [{k: v for k, v in r.items() if k != "renews"}
                                         for r in rows])
                self.bulk.done(name, len(rows))
                continue
            self.bulk.done(name, self.bulk.insert(table, rows))
        renewing = [r for r in self.rows["base_applications"] if r["renews"]]
        table = BaseApplication.__table__
        for row in renewing:
            self.bulk.connection.execute(table.update().where(  # type: ignore[attr-defined]
                table.c.id == row["id"]).values(renews_base_id=row["renews"]))
