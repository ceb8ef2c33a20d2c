"""One provincial competition: events of about 100 entries from the 11 city delegations,
each marked by 5 judges on 10 aspects (2 measurements, 5 on the WorldSkills 0–3 scale,
3 in points), with the chief judge's resolutions of disagreements, corrections after the
lock and appeals; the earlier events published (results and award certificates computed by
`competitions.scoring`, as results.publish does), one locked, the last one still being
marked. Judges never mark an entry of their own city or institution (回避)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any, cast

from flask_babel import force_locale, gettext

from trainhub.cli.province import names
from trainhub.cli.province.accounts import Accounts
from trainhub.cli.province.bulk import Bulk
from trainhub.cli.province.world import ASPECTS_PER_EVENT, JUDGES_PER_EVENT, PersonRec, World
from trainhub.competitions import scoring
from trainhub.competitions.models import (
    Appeal,
    Arbitrator,
    Aspect,
    Assignment,
    Competition,
    Correction,
    Delegation,
    Entry,
    EntryMember,
    Event,
    Judge,
    Mark,
    Resolution,
    Result,
)
from trainhub.competitions.schemes import AspectInput, scheme_of
from trainhub.core.accounts.models import Role
from trainhub.core.documents.models import Verification
from trainhub.core.errors import N_
from trainhub.core.parameters import service as parameters
from trainhub.core.timeutil import from_local

# name, occupation, categories allowed (empty: any)
EVENTS: tuple[tuple[str, str, list[int]], ...] = (
    ("盲人保健按摩", "保健按摩师", [1]), ("电子商务", "电子商务师", []),
    ("直播销售", "互联网营销师", []), ("赣绣", "刺绣工艺师", []),
    ("盲人医疗按摩", "盲人医疗按摩人员", [1]), ("陶瓷彩绘", "陶瓷工艺师", []),
    ("竹编", "竹编工艺师", []), ("计算机操作", "计算机操作员", [2, 3, 4]),
    ("手工编织", "手工编织工", []), ("中式面点", "中式面点师", [2, 4, 5]))
SCHEME = tuple(
    [AspectInput(f"A{i}", title, "measurement", None, Decimal(10), Decimal("0.5"))
     for i, title in ((1, "操作规范与安全（测量）"), (2, "完成时间与完整度（测量）"))]
    + [AspectInput(f"B{i}", title, "judgement", "wsos", Decimal(8))
       for i, title in ((1, "基本技法（评价 0–3）"), (2, "工艺精度（评价 0–3）"),
                        (3, "作品整体效果（评价 0–3）"), (4, "创新与设计（评价 0–3）"),
                        (5, "职业素养（评价 0–3）"))]
    + [AspectInput(f"C{i}", title, "judgement", "points", Decimal(top), Decimal("0.5"))
       for i, title, top in ((1, "服务与沟通（评分）", 10), (2, "实操熟练度（评分）", 10),
                             (3, "综合表现（评分）", 20))])[:ASPECTS_PER_EVENT]
CONFIRM_REASON = "经裁判长复核，各裁判评分均符合评分标准，予以确认。"


def _round_to(value: float, step: Decimal, top: Decimal) -> Decimal:
    steps = round(max(0.0, min(float(top), value)) / float(step))
    return min(top, step * steps)


class Competitions:
    def __init__(self, world: World, bulk: Bulk, accounts: Accounts) -> None:
        self.world, self.bulk, self.accounts = world, bulk, accounts
        self.rng = world.rng("competitions")
        self.rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        today = world.today
        self.starts = today - timedelta(days=3)
        self.opens, self.closes = today - timedelta(days=60), today - timedelta(days=20)
        self.organiser = world.officers["36"]
        self.trim = parameters.int_value("competitions.trim_min_judges", self.starts, "36")
        self.wsos = parameters.decimal_value("competitions.disagreement_wsos_points",
                                             self.starts, "36")
        self.percent = parameters.decimal_value("competitions.disagreement_percent",
                                                self.starts, "36")
        self.bands = scoring.award_bands(cast(list[Any], parameters.value(
            "competitions.award_bands", self.starts, "36")))
        self.scheme = scheme_of(SCHEME)
        self.trained_at: dict[int, set[int]] = defaultdict(set)
        for enrolment in world.enrolments:
            if enrolment.status == "admitted":
                self.trained_at[enrolment.person.id].add(enrolment.batch.institution_id)

    def _row(self, table: str, model: Any, **values: Any) -> int:
        row_id = self.bulk.next_id(model.__table__)
        self.rows[table].append({"id": row_id, **values})
        return row_id

    def _at(self, day: Any, hour: int = 10) -> datetime:
        return from_local(day, time(hour, self.rng.randint(0, 59)))

    def generate(self) -> None:
        world, rng = self.world, self.rng
        self.competition = self._row(
            "competitions", Competition, name="江西省第八届残疾人职业技能竞赛", region_code="36",
            starts_on=self.starts, ends_on=world.today + timedelta(days=1),
            registration_opens=self.opens, registration_closes=self.closes,
            venue="江西省残疾人综合服务中心（南昌市）", created_by_id=self.organiser,
            created_at=self._at(self.opens - timedelta(days=15)))
        self.delegations = {city: self._row(
            "competition_delegations", Delegation, competition_id=self.competition,
            region_code=city, name=f"{name}代表队",
            leader=names.person_name(rng, rng.choice("MF"))) for city, name in world.cities.items()}
        for user in (self.organiser, world.officers["3601"], world.officers["3607"]):
            self._row("competition_arbitrators", Arbitrator, competition_id=self.competition,
                      user_id=user)
        count = world.plan.count("events")
        per_event = max(3, world.plan.count("entries") // count)
        used: set[int] = set()
        judge_users = self.teams = self._judges(count)
        for index in range(count):
            state = "published"
            if count >= 3 and index == count - 1:
                state = "drawn"
            elif count >= 3 and index == count - 2:
                state = "locked"
            self._event(index, state, per_event, used, judge_users[index])

    # --- judges --------------------------------------------------------------------------

    def _judges(self, events: int) -> list[list[tuple[int, int, str, int | None]]]:
        """Per event: (user id, judge id, home city, institution) — the chief judge first;
        the judges of one event come from different cities."""
        world, rng = self.world, self.rng
        cities = sorted(world.cities)
        teams = []
        users = []
        for index in range(events):
            homes = rng.sample(cities, min(len(cities), JUDGES_PER_EVENT + 1))
            team = []
            for seat, home in enumerate(homes):
                user_id = self.bulk.next_id(self.accounts_table)
                role = Role.CHIEF_JUDGE if seat == 0 else Role.JUDGE
                name = names.person_name(rng, rng.choice("MF"))
                users.append(self.accounts.row(user_id, f"judge.{index + 1}.{seat}",
                                               f"{name}({'裁判长' if seat == 0 else '裁判员'})",
                                               role))
                institution = rng.choice(world.institutions).id if rng.random() < 0.2 else None
                judge_id = self._row(
                    "competition_judges", Judge, user_id=user_id, name=name,
                    home_region_code=home, institution_id=institution,
                    specialties=[EVENTS[index % len(EVENTS)][1]])
                team.append((user_id, judge_id, home, institution))
            teams.append(team)
        self.accounts.write(users)
        return teams

    @property
    def accounts_table(self) -> Any:
        from trainhub.core.accounts.models import User
        return User.__table__

    # --- one event ---------------------------------------------------------------------

    def _contestants(self, categories: list[int], per_city: int,
                     used: set[int]) -> dict[str, list[PersonRec]]:
        rng, world = self.rng, self.world
        limit = {"M": parameters.int_value("competitions.age_max_male", self.starts, "36"),
                 "F": parameters.int_value("competitions.age_max_female", self.starts, "36")}
        low = parameters.int_value("competitions.age_min", self.starts, "36")
        found: dict[str, list[PersonRec]] = defaultdict(list)
        pool = list(world.people)
        rng.shuffle(pool)
        for person in pool:
            city = person.county[:4]
            if (person.id in used or person.category is None or len(found[city]) >= per_city
                    or (categories and person.category not in categories)
                    or not low <= person.age_on(self.starts) <= limit[person.sex]):
                continue
            found[city].append(person)
            used.add(person.id)
        return found

    def _event(self, index: int, state: str, size: int, used: set[int],
               team: list[tuple[int, int, str, int | None]]) -> None:
        world, rng = self.world, self.rng
        name, occupation, categories = EVENTS[index % len(EVENTS)]
        if index >= len(EVENTS):
            name = f"{name}（{index // len(EVENTS) + 1}组）"
        day = self.starts + timedelta(days=index % 3) if state == "published" else (
            world.today - timedelta(days=1) if state == "locked" else world.today)
        ends = from_local(day, time(17))
        seed = rng.randbytes(16).hex()
        ratio = index % 4 == 3
        event_id = self._row(
            "competition_events", Event, competition_id=self.competition, name=name,
            occupation=occupation, team_size=1, quota=-(-size // len(world.cities)) + 1,
            categories=categories, grades=[], age_reference_date=self.starts,
            exclude_title_holders=True, award_rule="ratio" if ratio else "bands",
            award_ratios=[["一等奖", "10"], ["二等奖", "20"], ["三等奖", "30"]] if ratio else [],
            tie_breaks=[], status=state, cancellation_note="", draw_seed=seed,
            drawn_at=self._at(self.closes + timedelta(days=1)),
            ends_at=ends if state != "drawn" else None,
            locked_at=ends + timedelta(hours=1) if state != "drawn" else None,
            locked_by_id=team[0][0] if state != "drawn" else None,
            published_at=ends + timedelta(hours=4) if state == "published" else None)
        aspects = {a.code: self._row(
            "competition_aspects", Aspect, event_id=event_id, code=a.code, title=a.title,
            kind=a.kind, scale=a.scale, max_mark=a.max_mark, step=a.step, position=position)
            for position, a in enumerate(SCHEME)}
        for seat, (_user, judge_id, _home, _institution) in enumerate(team):
            self._row("competition_assignments", Assignment, event_id=event_id,
                      judge_id=judge_id, chief=seat == 0)
        people = self._contestants(categories, -(-size // len(world.cities)), used)
        entries = self._entries(event_id, people, size)
        confirmed = [e for e in entries if e[1] == "confirmed"]
        ids = [e[0] for e in confirmed]
        stations = scoring.draw_stations(ids, seed)
        codes = scoring.anonymous_codes(ids, seed)
        for row in self.rows["competition_entries"][-len(entries):]:
            if row["id"] in stations:
                row["station_no"], row["code"] = stations[row["id"]], codes[row["id"]]
        marks = self._marks(event_id, aspects, confirmed, team, state, day)
        if state == "drawn" or not confirmed:
            return
        self._settle(event_id, aspects, marks, team, ends)
        if state == "published":
            marks = self._after_lock(event_id, aspects, marks, confirmed, team, ends)
            self._publish(event_id, name, ratio, confirmed, marks, ends + timedelta(hours=4))

    def _entries(self, event_id: int, people: dict[str, list[PersonRec]],
                 size: int) -> list[tuple[int, str, str, PersonRec]]:
        rng = self.rng
        made = []
        flat = [(city, person) for city in sorted(people) for person in people[city]][:size]
        for city, person in flat:
            status = rng.choices(("confirmed", "refused", "withdrawn"), (93, 4, 3))[0]
            registered = self._at(self.opens + timedelta(days=rng.randint(1, 35)))
            entry_id = self._row(
                "competition_entries", Entry, event_id=event_id,
                delegation_id=self.delegations[city], status=status,
                refusal_reasons=[{"msgid": "残疾人证已过期，请换领新证后重新报名。", "params": {}}]
                if status == "refused" else [],
                station_no=None, code=None, registered_by_id=self.world.officers[city],
                registered_at=registered,
                decided_by_id=self.organiser if status != "withdrawn" else None)
            self._row("competition_entry_members", EntryMember, entry_id=entry_id,
                      person_id=person.id)
            made.append((entry_id, status, city, person))
        return made

    def _allowed(self, judge: tuple[int, int, str, int | None], city: str,
                 person: PersonRec) -> bool:
        _user, _judge, home, institution = judge
        return home != city and not (institution and institution in self.trained_at[person.id])

    def _marks(self, event_id: int, aspects: dict[str, int],
               confirmed: list[tuple[int, str, str, PersonRec]],
               team: list[tuple[int, int, str, int | None]], state: str,
               day: Any) -> list[scoring.Mark]:
        """Each allowed judge's sheet for each confirmed entry (the measurements entered by
        the first of them); an event still being marked has sheets submitted, saved as
        drafts and not begun. Returns the submitted marks, as marking.pure_marks reads them."""
        rng = self.rng
        pure: list[scoring.Mark] = []
        for entry_id, _status, city, person in confirmed:
            quality = min(0.97, max(0.15, rng.gauss(0.66, 0.14)))
            levels = {a.id: min(0.99, max(0.05, quality + rng.gauss(0, 0.07)))
                      for a in self.scheme.aspects}
            allowed = [j for j in team[1:] if self._allowed(j, city, person)]
            for position, judge in enumerate(allowed):
                sheet = "submitted" if state != "drawn" else rng.choices(
                    ("submitted", "draft", "none"), (55, 15, 30))[0]
                if sheet == "none":
                    continue
                when = self._at(day, 15)
                for aspect in self.scheme.aspects:
                    if not aspect.is_judgement and position > 0:
                        continue  # one measurement per entry, whoever enters it
                    value = self._mark(aspect, levels[aspect.id])
                    self._row("competition_marks", Mark, entry_id=entry_id,
                              aspect_id=aspects[aspect.id], judge_id=judge[1],
                              slot=judge[1] if aspect.is_judgement else 0, value=value,
                              submitted_at=when if sheet == "submitted" else None,
                              updated_at=when)
                    if sheet == "submitted":
                        pure.append(scoring.Mark(entry_id, aspect.id, judge[1]
                                                 if aspect.is_judgement else None, value))
        return pure

    def _mark(self, aspect: scoring.Aspect, level: float) -> Decimal:
        rng = self.rng
        if aspect.is_wsos:
            return Decimal(max(0, min(3, round(3 * level + rng.gauss(0, 0.35)))))
        noise = rng.gauss(0, 0.05) if aspect.is_judgement else 0.0
        return _round_to(float(aspect.max_mark) * (level + noise), aspect.step, aspect.max_mark)

    def _after_lock(self, event_id: int, aspects: dict[str, int], marks: list[scoring.Mark],
                    confirmed: list[tuple[int, str, str, PersonRec]],
                    team: list[tuple[int, int, str, int | None]],
                    ends: datetime) -> list[scoring.Mark]:
        """A delegation's appeal, dismissed by the arbitration group; a measurement
        corrected after the lock by the chief judge, approved by an arbitrator."""
        entry_id, _status, city, _person = confirmed[0]
        self._row("competition_appeals", Appeal, event_id=event_id, entry_id=entry_id,
                  content="对本队选手的测量项目成绩有异议，申请复核。",
                  filed_by_id=self.world.officers[city], filed_at=ends + timedelta(minutes=40),
                  decision="dismissed", decision_note="经复核测量记录，成绩无误，维持原成绩。",
                  decided_by_id=self.organiser, decided_at=ends + timedelta(hours=2, minutes=30))
        measured = aspects["A1"]
        row = next((r for r in self.rows["competition_marks"]
                    if r["aspect_id"] == measured and r["submitted_at"] is not None), None)
        if row is None:
            return marks
        old = row["value"]
        new = min(Decimal(10), old + Decimal("0.5")) if old < 10 else old - Decimal("0.5")
        self._row("competition_corrections", Correction, mark_id=row["id"], old_value=old,
                  new_value=new, reason="计时记录誊写错误，按原始记录更正。",
                  requested_by_id=team[0][0], requested_at=ends + timedelta(hours=1, minutes=20),
                  status="approved", approved_by_id=self.world.officers["3601"],
                  decided_at=ends + timedelta(hours=2))
        row["value"] = new
        row["updated_at"] = ends + timedelta(hours=2)
        return [scoring.Mark(m.entry_id, m.aspect_id, m.judge_id, new)
                if m.entry_id == row["entry_id"] and m.aspect_id == "A1" else m for m in marks]

    def _settle(self, event_id: int, aspects: dict[str, int], marks: list[scoring.Mark],
                team: list[tuple[int, int, str, int | None]], ends: datetime) -> None:
        """The chief judge confirms every disagreement before the lock."""
        for flag in scoring.disagreement_flags(self.scheme, marks, self.wsos, self.percent):
            resolution = flag.confirm(CONFIRM_REASON)
            self._row("competition_resolutions", Resolution, entry_id=flag.entry_id,
                      aspect_id=aspects[flag.aspect_id], action=resolution.action.value,
                      reason=CONFIRM_REASON,
                      marks={str(j): str(v) for j, v in sorted(resolution.marks)},
                      resolved_by_id=team[0][0], resolved_at=ends + timedelta(minutes=30))

    def _publish(self, event_id: int, name: str, ratio: bool,
                 confirmed: list[tuple[int, str, str, PersonRec]],
                 marks: list[scoring.Mark], published: datetime) -> None:
        """results.standings and publish: totals, ranks, awards, the 700 score, and an award
        certificate for each award."""
        world = self.world
        by_id = {e[0]: e for e in confirmed}
        scores = scoring.score_entries(self.scheme, marks, self.trim, list(by_id))
        ranked = scoring.rank_entries(self.scheme, scores, list(scoring.DEFAULT_TIE_BREAKS))
        awards = scoring.awards_by_ratio(ranked, [("一等奖", Decimal(10)), ("二等奖", Decimal(20)),
                                                  ("三等奖", Decimal(30))]) if ratio else \
            scoring.awards_by_bands(ranked, self.bands)
        award_of = {a.entry_id: a.award for a in awards}
        standard = scoring.standardised_scores({s.entry_id: s.total for s in ranked}) \
            if len(ranked) > 1 else {}
        with force_locale("zh_Hans_CN"):
            for standing in ranked:
                entry_id, _status, city, person = by_id[int(standing.entry_id)]
                award = award_of.get(standing.entry_id)
                code = None
                if award:
                    code = world.code(self.rng)
                    self.rows["verifications"].append({
                        "id": self.bulk.next_id(Verification.__table__),
                        "code": code, "kind": "award", "document_number": None,
                        "facts": [[N_("Name"), person.name],
                                  [N_("Delegation"), f"{world.cities[city]}代表队"],
                                  [N_("Competition"), "江西省第八届残疾人职业技能竞赛"],
                                  [N_("Event"), name],
                                  [N_("Rank"), gettext("No. %(rank)s", rank=standing.rank)],
                                  [N_("Award"), award]],
                        "valid_from": world.today + timedelta(days=1), "valid_until": None,
                        "status": "valid", "status_reason": None, "issuer": None,
                        "region_code": "36", "issued_at": published,
                        "updated_at": published})
                self._row("competition_results", Result, event_id=event_id, entry_id=entry_id,
                          rank=standing.rank, total=standing.total,
                          standardised=standard.get(standing.entry_id), award=award,
                          breakdown={k: None if v is None else str(v)
                                     for k, v in standing.score.breakdown.items()},
                          verification_code=code)

    def write(self) -> None:
        for table, model in (("competitions", Competition),
                             ("competition_delegations", Delegation),
                             ("competition_arbitrators", Arbitrator),
                             ("competition_judges", Judge), ("competition_events", Event),
                             ("competition_aspects", Aspect),
                             ("competition_assignments", Assignment),
                             ("competition_entries", Entry),
                             ("competition_entry_members", EntryMember),
                             ("competition_marks", Mark),
                             ("competition_resolutions", Resolution),
                             ("competition_corrections", Correction),
                             ("competition_appeals", Appeal),
                             ("verifications", Verification),
                             ("competition_results", Result)):
            name = "verifications (awards)" if table == "verifications" else table
            self.bulk.done(name, self.bulk.insert(model.__table__, self.rows[table]))

