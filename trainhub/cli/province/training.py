"""The four orders, first half: enterprises' demands (企业下单) and the batches bases create
for them or on their own (机构接单), with their planned sessions and their place in the
lifecycle as of today: settled and completed batches in the past, batches in progress,
batches enrolling, approved, submitted, returned, drafts ahead; rejected and cancelled
ones on the way. A batch runs at a base certified for its category, within the base's
validity, before any suspension or revocation; an incubator runs entrepreneurship
training only."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from trainhub.cli.province import names
from trainhub.cli.province.accounts import Accounts
from trainhub.cli.province.bulk import Bulk
from trainhub.cli.province.compat import FAMILY_SEATS
from trainhub.cli.province.world import BaseRec, BatchRec, Org, SessionRec, World, spread
from trainhub.core.timeutil import from_local
from trainhub.training import catalog
from trainhub.training.models import Batch, Demand, Session

CATEGORY_WEIGHT = {
    "massage": 20, "heritage_ceramics": 4, "heritage_porcelain": 3,
    "heritage_gan_embroidery": 3, "heritage_xuan_embroidery": 2, "heritage_bamboo": 3,
    "ecommerce_service": 10, "ecommerce_design": 5, "ecommerce_operations": 8,
    "livestreaming": 12, "handicraft": 8, "agriculture": 8, "computer": 6, "domestic": 5,
    "other": 3}
# Planned sessions (one a day) by the family of the category.
SESSION_RANGE = {"massage": (35, 80), "heritage": (25, 55), "ecommerce": (18, 45),
                 "livestreaming": (12, 35), "other": (18, 45)}
TYPE_WORDS = {"employment_skills": "就业技能培训班", "pre_job": "岗前技能培训班",
              "upgrading": "岗位技能提升培训班", "entrepreneurship": "创业培训班"}
# (certificate type, level) targeted, by family.
CERTIFICATES = {
    "massage": (("skill_level", "junior"), ("skill_level", "intermediate"),
                ("special_ability", None), ("qualification", "junior")),
    "heritage": (("special_ability", None), ("skill_level", "junior"), ("training", None)),
    "ecommerce": (("skill_level", "junior"), ("special_ability", None), ("training", None)),
    "livestreaming": (("special_ability", None), ("training", None), ("skill_level", "junior")),
    "other": (("skill_level", "junior"), ("training", None), ("special_ability", None),
              ("skill_level", "intermediate")),
}
FEE_RANGE = {"massage": (15, 30), "heritage": (12, 25), "ecommerce": (10, 20),
             "livestreaming": (8, 16), "other": (8, 15)}   # hundreds of yuan
ONLINE_FRIENDLY = ("ecommerce", "livestreaming")
HORIZON = 120           # days ahead that batches are planned
# The first batches are placed so that every state of the lifecycle and of an application
# shows even in a tiny province: (days from today to the start, status, admission). An
# oversubscribed batch has a waiting list; the manual one has undecided applications.
SHOWCASE = ((-12, "in_progress", "auto"), (8, "enrolling", "auto"),
            (9, "enrolling", "manual"), (40, "approved", "auto"), (45, "submitted", "auto"),
            (50, "returned", "manual"), (60, "draft", "auto"), (-200, "settled", "auto"),
            (-40, "completed", "auto"))
CANCEL_REASON = "报名人数不足，经协商取消本期培训。"
RETURN_REASON = "请补充无障碍设施安排并调整课时计划。"
REJECT_REASON = "培训内容与基地认定的专业方向不符。"


def _family(category: str) -> str:
    family = names.topic_family(category)
    return family if family in SESSION_RANGE else "other"


class Training:
    def __init__(self, world: World, bulk: Bulk, accounts: Accounts) -> None:
        self.world, self.bulk, self.accounts = world, bulk, accounts
        self.rng = world.rng("training")
        self.demands: list[dict[str, Any]] = []
        self.numbers: dict[tuple[int, str, int], int] = defaultdict(int)
        self.by_city: dict[str, list[Org]] = defaultdict(list)
        for org in world.enterprises:
            self.by_city[org.region[:4]].append(org)

    # --- batches -------------------------------------------------------------------------

    def _window(self, base: BaseRec) -> tuple[date, date]:
        """Days a batch of the base may start on: after certification, before it ends."""
        first = max(self.world.start, base.certified_on + timedelta(days=20))
        return first, base.active_until(self.world.today + timedelta(days=HORIZON))

    def generate(self) -> None:
        world, rng = self.world, self.rng
        bases = [b for b in world.bases if self._window(b)[1] > self._window(b)[0]
                 + timedelta(days=60)]
        weights = [(self._window(b)[1] - self._window(b)[0]).days
                   * (0.4 if b.kind == "incubator" else 1.0)
                   * b.institution.size ** 0.5 for b in bases]
        chosen = rng.choices(bases, weights=weights, k=world.plan.count("batches"))
        ids = iter(self.bulk.ids(Batch.__table__, len(chosen)))
        planned = [self._batch(base, rng) for base in chosen]
        self._showcase(planned)
        for batch in sorted(planned, key=lambda b: (b.start, b.base.id)):
            batch.id = next(ids)
            self._sessions(batch)
            self._status(batch)
            self._title(batch)
            world.batches.append(batch)
        self._extra_demands()

    def _showcase(self, planned: list[BatchRec]) -> None:
        today = self.world.today
        for offset, status, admission in SHOWCASE:
            start = today + timedelta(days=offset)
            for batch in planned:
                if batch.showcase:
                    continue
                first, last = self._window(batch.base)
                if first <= start and start + timedelta(
                        days=batch.planned_sessions * 7 // 5 + 3) <= last:
                    batch.start, batch.showcase, batch.admission = start, status, admission
                    if offset < 0 < offset + batch.planned_sessions:  # still running today
                        batch.planned_sessions = max(batch.planned_sessions, 30)
                    break

    def _batch(self, base: BaseRec, rng: random.Random) -> BatchRec:
        allowed = [c for c in CATEGORY_WEIGHT if catalog.SPECIALTY_OF[c] in base.specialties]
        category = rng.choices(allowed, [CATEGORY_WEIGHT[c] for c in allowed])[0]
        family = _family(category)
        if base.kind == "incubator":
            training_type = "entrepreneurship"
        else:
            training_type = rng.choices(tuple(TYPE_WORDS), (60, 15, 15, 10))[0]
        cert_type, level = rng.choice(CERTIFICATES[family])
        if family in ONLINE_FRIENDLY:
            delivery = rng.choices(("in_person", "mixed", "online"), (55, 35, 10))[0]
        else:
            delivery = rng.choices(("in_person", "mixed"), (90, 10))[0]
        provisions = []
        if category == "massage":
            provisions = [p for p in ("braille", "large_print", "screen_reader")
                          if rng.random() < 0.6]
        for provision, share in (("sign_language", 0.25), ("step_free", 0.5),
                                 ("large_print", 0.15)):
            if rng.random() < share and provision not in provisions:
                provisions.append(provision)
        low, high = FEE_RANGE[family]
        first, last = self._window(base)
        count = min(rng.randint(*SESSION_RANGE[family]), (last - first).days * 5 // 7 - 3)
        start = spread(rng, first, last - timedelta(days=count * 7 // 5 + 3))
        capacity = rng.randint(15, 30) if category == "massage" else rng.randint(20, 50)
        return BatchRec(
            id=0, base=base, title="", category=category,
            occupation=rng.choice(names.OCCUPATIONS[category]), training_type=training_type,
            certificate_type=cert_type, certificate_level=level, delivery=delivery,
            provisions=sorted(provisions), start=start, end=start, capacity=capacity,
            fee_fen=0 if rng.random() < 0.05 else rng.randint(low, high) * 10_000,
            admission="auto" if rng.random() < 0.6 else "manual", status="draft",
            created_at=self.world.now, open_to_family=rng.random() < 0.1,
            staff_id=self.world.staff[base.institution.id], planned_sessions=count,
            jiangxi_only=rng.random() < 0.3)

    def _sessions(self, batch: BatchRec) -> None:
        """One session a working day from the start: a day in person (08:30–16:30, 6 or 7
        hours) or an afternoon online (14:00–17:00, 3 hours)."""
        rng = self.rng
        count = batch.planned_sessions
        day_hours = Decimal(rng.choice(("6.00", "7.00")))
        day = batch.start
        while day.weekday() >= 5:
            day += timedelta(days=1)
        batch.start = day
        ids = iter(self.bulk.ids(Session.__table__, count))
        for _ in range(count):
            online = batch.delivery == "online" or (batch.delivery == "mixed"
                                                    and rng.random() < 0.3)
            if online:
                begins, ends, hours = time(14), time(17), Decimal("3.00")
            else:
                begins, ends, hours = time(8, 30), time(16, 30), day_hours
            batch.sessions.append(SessionRec(
                next(ids), day, from_local(day, begins), from_local(day, ends), hours,
                "online" if online else "in_person"))
            day += timedelta(days=1)
            while day.weekday() >= 5:
                day += timedelta(days=1)
        batch.end = batch.sessions[-1].day

    def _status(self, batch: BatchRec) -> None:
        rng, today = self.rng, self.world.today
        if batch.showcase and {"in_progress": batch.start < today <= batch.end,
                               "completed": batch.end < today - timedelta(days=10),
                               "settled": batch.end < today - timedelta(days=10)}.get(
                                   batch.showcase, batch.start > today):
            batch.status = batch.showcase
        elif batch.start < today:
            ran = rng.random()
            if ran < 0.02:
                batch.status = "cancelled"
            elif ran < 0.04:
                batch.status = "rejected"
            elif batch.end >= today:
                batch.status = "in_progress"
            elif (today - batch.end).days <= 45 or rng.random() < 0.12:
                batch.status = "completed"
            else:
                batch.status = "settled"
        elif batch.start <= today + timedelta(days=30):
            batch.status = rng.choices(("enrolling", "approved", "cancelled", "submitted"),
                                       (80, 8, 6, 6))[0]
        else:
            batch.status = rng.choices(
                ("enrolling", "approved", "submitted", "returned", "draft", "rejected",
                 "cancelled"), (20, 20, 25, 10, 20, 3, 2))[0]
        if batch.status == "completed":
            ended = (today - batch.end).days
            batch.results = rng.choices(("all", "some", "none"),
                                        (60, 25, 15) if ended > 10 else (0, 50, 50))[0]
        elif batch.status == "settled":
            batch.results = "all"
        lead = rng.randint(15, 50)
        created = max(batch.start - timedelta(days=lead),
                      batch.base.certified_on + timedelta(days=1))
        created = min(created, today - timedelta(days=1))
        batch.created_at = self.world.moment(created, rng)
        self._reviewed(batch)
        if self._takes_demand(batch):
            self._demand_for(batch)

    def _reviewed(self, batch: BatchRec) -> None:
        """Submitted a few days after creation; approved (开班审批) before the start."""
        rng, world = self.rng, self.world
        if batch.status == "draft":
            return
        submitted = batch.created_at + timedelta(days=rng.randint(1, 5),
                                                 hours=rng.randint(0, 6))
        approved = batch.status in ("approved", "enrolling", "in_progress", "completed",
                                    "settled") or (batch.status == "cancelled"
                                                   and rng.random() < 0.5)
        if approved:
            latest = from_local(batch.start, time(0)) - timedelta(hours=1)
            moment = min(submitted + timedelta(days=rng.randint(2, 8)), latest)
            batch.approved_at = world.before_now(max(moment, submitted))
            batch.approved_by = self.accounts.officer_for(
                batch.region, "county" if rng.random() < 0.7 else "city")
        batch.submitted_at = world.before_now(submitted)
        if batch.approved_at is not None and batch.approved_at < batch.submitted_at:
            batch.submitted_at = batch.approved_at - timedelta(hours=1)

    def _title(self, batch: BatchRec) -> None:
        key = (batch.institution_id, batch.category, batch.start.year)
        self.numbers[key] += 1
        place = names.short_region(next(c.name for c in self.world.counties
                                        if c.code == batch.region))
        batch.title = (f"{place}{names.CATEGORY_WORDS[batch.category]}"
                       f"{TYPE_WORDS[batch.training_type]}（{batch.start.year}年第"
                       f"{self.numbers[key]}期）")

    # --- demands -------------------------------------------------------------------------

    def _takes_demand(self, batch: BatchRec) -> bool:
        if batch.training_type == "entrepreneurship":
            return False
        share = 0.9 if batch.training_type == "pre_job" else 0.3
        return self.rng.random() < share

    def _demand_for(self, batch: BatchRec) -> None:
        rng, world = self.rng, self.world
        created = batch.created_at - timedelta(days=rng.randint(5, 40))
        for demand in reversed(self.demands[-40:]):  # an open order taken by a second batch
            if (demand["category"] == batch.category and demand["region_code"][:4]
                    == batch.region[:4] and demand["created_at"] <= batch.created_at
                    and demand["deadline"] >= batch.created_at.date()
                    and rng.random() < 0.3):
                batch.demand_id = demand["id"]
                return
        local = self.by_city.get(batch.region[:4]) or world.enterprises
        enterprise = rng.choice(local if rng.random() < 0.8 else world.enterprises)
        head_count = max(1, round(batch.capacity * rng.uniform(0.5, 1.2)))
        deadline = batch.created_at.date() + timedelta(days=rng.randint(10, 60))
        batch.demand_id = self._demand(enterprise, batch.category, batch.occupation,
                                       head_count, world.before_now(created), deadline)

    def _demand(self, enterprise: Org, category: str, occupation: str, head_count: int,
                created: Any, deadline: date) -> int:
        rng, world = self.rng, self.world
        demand_id = self.bulk.next_id(Demand.__table__)
        closed = deadline < world.today or rng.random() < 0.05
        county = next(c for c in world.counties if c.code == enterprise.region)
        self.demands.append({
            "id": demand_id, "enterprise_id": enterprise.id,
            "title": f"招聘{occupation}{head_count}名",
            "occupation": occupation, "category": category, "head_count": head_count,
            "skills_required": f"具备{names.CATEGORY_WORDS[category]}基础技能，"
                               "能适应岗位要求，服从工作安排。",
            "region_code": enterprise.region, "location": names.address(
                rng, county.city_name, county.name),
            "monthly_wage_fen": rng.randint(20, 55) * 10_000,
            "hire_commitment": max(0, round(head_count * rng.uniform(0.3, 1.0))),
            "deadline": deadline, "status": "closed" if closed else "open",
            "created_by_id": world.contacts[enterprise.id], "created_at": created})
        return demand_id

    def _extra_demands(self) -> None:
        """Orders no institution has taken (yet): open ones ahead, closed ones behind."""
        rng, world = self.rng, self.world
        while len(self.demands) < world.plan.count("demands"):
            enterprise = rng.choice(world.enterprises)
            category = rng.choices(list(CATEGORY_WEIGHT), list(CATEGORY_WEIGHT.values()))[0]
            created_on = spread(rng, world.start, world.today - timedelta(days=1))
            deadline = created_on + timedelta(days=rng.randint(20, 120))
            self._demand(enterprise, category, rng.choice(names.OCCUPATIONS[category]),
                         rng.randint(3, 40), world.moment(created_on, rng), deadline)

    # --- rows ----------------------------------------------------------------------------

    def write(self) -> None:
        """Demands, batches and sessions (after the enrolments: seats taken are known)."""
        bulk, world = self.bulk, self.world
        bulk.done("training_demands",
                  bulk.insert(Demand.__table__, self.demands))
        bulk.done("training_batches", bulk.insert(
            Batch.__table__, (self._row(b) for b in world.batches)))
        rows = ({"id": s.id, "batch_id": b.id, "starts_at": s.starts_at, "ends_at": s.ends_at,
                 "hours": s.hours, "mode": s.mode,
                 "topic": self._topic(b, index)}
                for b in world.batches for index, s in enumerate(b.sessions))
        bulk.done("training_sessions",
                  bulk.insert(Session.__table__, rows))

    def _topic(self, batch: BatchRec, index: int) -> str:
        topics = names.TOPICS[_family(batch.category)] if _family(batch.category) in \
            names.TOPICS else names.TOPICS["other"]
        return topics[index * len(topics) // max(1, len(batch.sessions))]

    def _row(self, batch: BatchRec) -> dict[str, Any]:
        rng = self.rng
        status = batch.status
        approved = batch.approved_at
        comment = {"returned": RETURN_REASON, "rejected": REJECT_REASON,
                   "cancelled": CANCEL_REASON}.get(status, "同意开班。" if approved else "")
        county = next(c for c in self.world.counties if c.code == batch.region)
        venue = "线上（钉钉直播课堂）" if batch.delivery == "online" else \
            f"{batch.base.institution.name}（{county.name}）"
        return {
            "id": batch.id, "title": batch.title, "institution_id": batch.institution_id,
            "base_id": batch.base.id, "demand_id": batch.demand_id, "region_code": batch.region,
            "category": batch.category, "occupation": batch.occupation,
            "training_type": batch.training_type, "certificate_type": batch.certificate_type,
            "certificate_level": batch.certificate_level, "delivery": batch.delivery,
            "delivery_models": ["order"] if batch.demand_id else
            [rng.choice(("project", "package"))],
            "provisions": batch.provisions, "jiangxi_household_only": batch.jiangxi_only,
            **({"open_to_family_members": batch.open_to_family} if FAMILY_SEATS else {}),
            "start_date": batch.start,
            "end_date": batch.end, "capacity": batch.capacity,
            "seats_taken": batch.seats_taken, "fee_fen": batch.fee_fen,
            "admission": batch.admission, "venue": venue,
            "description": f"面向残疾人开展{names.CATEGORY_WORDS[batch.category]}培训，"
                           f"共 {len(batch.sessions)} 次课，结业后组织考核。",
            "status": status, "review_comment": comment, "created_by_id": batch.staff_id,
            "created_at": batch.created_at, "submitted_at": batch.submitted_at,
            "approved_by_id": batch.approved_by, "approved_at": approved}
