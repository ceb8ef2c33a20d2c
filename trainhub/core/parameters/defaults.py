"""The parameters TrainHub ships, with their default values (DESIGN: every *(param)*).

`load_defaults()` is idempotent: it creates missing parameters with their default value
(province-wide, from the spec's date), refreshes the descriptive fields of existing ones, and
never touches a value staff have entered. Amounts are in fen, rates in percent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from trainhub.core.audit.service import record
from trainhub.core.errors import N_
from trainhub.core.parameters import values
from trainhub.core.parameters.models import PROVINCE, Domain, Parameter, ParameterValue
from trainhub.extensions import db

SHIPPED = date(2022, 1, 1)
PLAN = "赣府厅字〔2022〕90号"
BASES_REF = f"{PLAN} 二(十)3"
SUBSIDY_REF = f"赣人社发〔2019〕3号；{PLAN} 二(十)1"
COMPETITION_REF = f"{PLAN} 二(十)5"
REWARD_REF = f"{PLAN} 二(三)4；《江西省超比例安排残疾人就业企业奖励的办法(试行)》"
DOUBLE_COUNT_REF = "财税〔2015〕72号 第八条"
MIN_WAGE_REF = "江西省最低工资标准（2021年4月1日起执行）"


@dataclass(frozen=True)
class Spec:
    key: str
    domain: Domain
    label: str  # English msgid
    unit: str
    value_type: str
    default: values.Value
    legal_reference: str = ""
    description: str = ""
    effective_from: date = SHIPPED
    constraints: Mapping[str, Any] = field(default_factory=dict)

    def default_text(self) -> str:
        return values.check(self.value_type, self.unit, self.constraints,
                            values.to_text(self.value_type, self.default))


def _int(key: str, domain: Domain, label: str, unit: str, default: int, ref: str = "",
         description: str = "", **constraints: Any) -> Spec:
    return Spec(key, domain, label, unit, "int", default, ref, description,
                constraints=constraints)


def _pct(key: str, domain: Domain, label: str, default: str, ref: str = "",
         description: str = "") -> Spec:
    return Spec(key, domain, label, "percent", "decimal", Decimal(default), ref, description)


def _fen(key: str, label: str, default: int, ref: str = SUBSIDY_REF,
         domain: Domain = Domain.SUBSIDIES, effective_from: date = SHIPPED) -> Spec:
    return Spec(key, domain, label, "fen", "int", default, ref, effective_from=effective_from)


def _criterion(code: str, question: str, kind: str, unit: str = "", minimum: int | None = 0,
               maximum: int | None = None, *, at_least: int | None = None,
               at_most: int | None = None) -> dict[str, Any]:
    """A question; min and max bound the answers accepted, at_least and at_most are the
    threshold a number must reach to meet the criterion (bases.criteria.judge)."""
    item: dict[str, Any] = {"code": code, "question": question, "kind": kind, "unit": unit,
                            "min": minimum}
    if maximum is not None:
        item["max"] = maximum
    if at_least is not None:
        item["at_least"] = at_least
    if at_most is not None:
        item["at_most"] = at_most
    return item


REGISTERED = _criterion("registered_years", "依法登记注册年限", "number", "年", 1, at_least=1)
ACCESSIBLE = _criterion("accessible_facilities", "培训场地具备无障碍设施（坡道、无障碍卫生间、"
                        "盲道等）", "boolean", "", 1)

TRAINING_BASE_CRITERIA = [
    REGISTERED,
    _criterion("site_area", "培训场地面积", "number", "平方米", at_least=200),
    ACCESSIBLE,
    _criterion("trainer_count", "专兼职培训教师人数", "number", "人", 1, at_least=5),
    _criterion("trainees_last_year", "上一年度培训残疾人人数", "number", "人", at_least=50),
    _criterion("employment_rate_last_year", "上一年度参训残疾人就业率", "number", "%", 0, 100,
               at_least=50),
]

INCUBATOR_CRITERIA = [
    REGISTERED,
    _criterion("incubation_area", "孵化场地面积", "number", "平方米", at_least=500),
    ACCESSIBLE,
    _criterion("resident_enterprises", "在孵残疾人创业企业（实体）数量", "number", "家",
               at_least=5),
    _criterion("incubation_period_years", "在孵企业孵化期限", "number", "年", 0, 3, at_most=3),
    _criterion("incubation_success_rate", "上一年度孵化成功率", "number", "%", 0, 100,
               at_least=50),
]

# Which counties have the minimum wage of tier 1 or 2 (the others: tier 3); to be filled in
# by the province from the current minimum wage notice.
MIN_WAGE_TIERS: list[dict[str, Any]] = [{"tier": 1, "counties": []}, {"tier": 2, "counties": []}]

ANNUAL_REVIEW_SHEET = [
    {"item": "制度建设", "max_points": 15},
    {"item": "师资队伍", "max_points": 15},
    {"item": "培训场地与无障碍设施", "max_points": 15},
    {"item": "培训人数与质量", "max_points": 20},
    {"item": "就业成效", "max_points": 20},
    {"item": "资金管理与档案", "max_points": 15},
]

AWARD_BANDS = [
    {"min_entries": 7, "max_entries": None, "awards": ["一等奖", "二等奖", "三等奖"]},
    {"min_entries": 4, "max_entries": 6, "awards": ["一等奖", "二等奖"]},
    {"min_entries": 1, "max_entries": 3, "awards": ["一等奖"]},
]

B, S, C, T = Domain.BASES, Domain.SUBSIDIES, Domain.COMPETITIONS, Domain.TRAINING
R = Domain.REWARDS

BASES = [
    _int("bases.notice_days", B, N_("Public notice period"), "days", 7, BASES_REF,
         N_("Days a base is publicly announced before certification; objections are recorded "
            "during this period."), min=1),
    _int("bases.validity_years", B, N_("Validity of a base certification"), "years", 3,
         BASES_REF, min=1),
    _int("bases.annual_review_pass_score", B, N_("Annual review: pass score"), "points", 60,
         BASES_REF, N_("Out of 100 points on the annual review score sheet."), max=100),
    Spec("bases.annual_review_sheet", B, N_("Annual review score sheet"), "", "json",
         ANNUAL_REVIEW_SHEET, BASES_REF,
         N_("A JSON list of {“item”, “max_points”}; the points add up to 100."),
         constraints={"shape": "score_sheet", "total": 100}),
    _int("bases.incubation_max_years", B, N_("Longest incubation of a resident enterprise"),
         "years", 3, BASES_REF, min=1),
    _int("bases.evidence_max_mb", B, N_("Largest evidence file"), "mb", 10, "",
         N_("PDF, JPEG or PNG files; at most 20 MB, the limit of one upload."), min=1, max=20),
    Spec("bases.criteria.training_base", B, N_("Certification criteria: vocational training "
         "base"), "", "json", TRAINING_BASE_CRITERIA, BASES_REF,
         N_("A JSON list of {“code”, “question”, “kind” (number, boolean or text), “unit”, "
            "“min”, optional “max”}."), constraints={"shape": "criteria"}),
    Spec("bases.criteria.incubator", B, N_("Certification criteria: entrepreneurship "
         "incubation base"), "", "json", INCUBATOR_CRITERIA, BASES_REF,
         N_("A JSON list of {“code”, “question”, “kind” (number, boolean or text), “unit”, "
            "“min”, optional “max”}."), constraints={"shape": "criteria"}),
]

CORE = [
    _fen("core.min_wage_tier1", N_("Monthly minimum wage, tier 1"), 185000, MIN_WAGE_REF,
         Domain.CORE, date(2021, 4, 1)),
    _fen("core.min_wage_tier2", N_("Monthly minimum wage, tier 2"), 173000, MIN_WAGE_REF,
         Domain.CORE, date(2021, 4, 1)),
    _fen("core.min_wage_tier3", N_("Monthly minimum wage, tier 3"), 161000, MIN_WAGE_REF,
         Domain.CORE, date(2021, 4, 1)),
    Spec("core.min_wage_tiers", Domain.CORE, N_("Minimum wage tier of each county"), "",
         "json", MIN_WAGE_TIERS, MIN_WAGE_REF,
         N_("A JSON list of {“tier” (1 or 2), “counties” (a list of 6-digit county codes)}: "
            "the counties whose monthly minimum wage is that of tier 1 or 2. A county not "
            "listed has tier 3, the lowest wage, so that no lawful wage is refused."),
         date(2021, 4, 1), {"shape": "wage_tiers"}),
    _int("privacy.retention_years", Domain.CORE,
         N_("Retention of sensitive personal information"), "years", 5,
         "《个人信息保护法》第十九条、第四十七条",
         N_("Years after a person's last enrolment, subsidy, voucher or competition entry; "
            "then the name, the numbers, the phone and the exact birth date are removed "
            "(flask privacy anonymise)."), min=1, max=30),
]

TRAINING = [
    _int("training.followup_months", T, N_("Employment follow-up after completion"),
         "months", 6, PLAN, min=1),
    _int("training.min_average_daily_hours", T, N_("Planned hours per day below which a "
         "batch is flagged"), "hours", 2, PLAN,
         N_("The planned hours divided by the days from the first to the last day of the "
            "batch; below this, staff and the approving officer are warned (it does not "
            "refuse the batch)."), min=0, max=24),
    _pct("training.attendance_warning_percent", T, N_("Attendance below which a trainee is "
         "flagged while the batch runs"), "80", PLAN,
         N_("Share of the batch's planned hours attended; reaching it exactly is not "
            "flagged.")),
]

SUBSIDIES = [
    _fen("subsidies.fee_junior", N_("Training-fee subsidy: junior level"), 120000),
    _fen("subsidies.fee_intermediate", N_("Training-fee subsidy: intermediate level"), 150000),
    _fen("subsidies.fee_senior", N_("Training-fee subsidy: senior level"), 200000),
    _fen("subsidies.fee_technician", N_("Training-fee subsidy: technician"), 400000),
    _fen("subsidies.fee_senior_technician", N_("Training-fee subsidy: senior technician"), 500000),
    _fen("subsidies.fee_special", N_("Training-fee subsidy: special vocational ability or "
                                     "training certificate"), 100000),
    _pct("subsidies.attendance_threshold_percent", S, N_("Attendance needed for the full fee "
         "subsidy"), "80", SUBSIDY_REF, N_("Share of the planned hours attended; reaching it "
                                           "exactly counts.")),
    _fen("subsidies.day_rule_per_day", N_("Fee subsidy per day attended, below the attendance "
                                          "threshold"), 10000),
    _int("subsidies.hours_per_day", S, N_("Hours that count as one training day"), "hours", 8,
         SUBSIDY_REF, min=1, max=24),
    _pct("subsidies.day_rule_cap_percent", S, N_("Cap of the day rule, as a share of the "
         "standard subsidy"), "60", SUBSIDY_REF),
    _fen("subsidies.living_per_day", N_("Living allowance per in-person day attended"), 6000),
    _fen("subsidies.transport_per_day", N_("Transport allowance per in-person day attended"),
         2000),
    _int("subsidies.living_max_days", S, N_("Most days of living allowance per batch"), "days",
         30, SUBSIDY_REF),
    _int("subsidies.living_batches_per_year", S, N_("Batches with a living allowance per "
         "person per year"), "count", 1, SUBSIDY_REF),
    _int("subsidies.max_per_year", S, N_("Training subsidies per person per calendar year"),
         "count", 3, SUBSIDY_REF),
    _int("subsidies.claim_deadline_months", S, N_("Claim deadline after the certificate date"),
         "months", 12, SUBSIDY_REF, min=1),
    _int("subsidies.working_age_min", S, N_("Working age: lowest age"), "age", 16, SUBSIDY_REF,
         N_("Age in completed years on the batch's start date.")),
    _int("subsidies.working_age_limit_male", S, N_("Working age of men: younger than"), "age",
         60, SUBSIDY_REF, N_("A man is of working age while his age is below this number.")),
    _int("subsidies.working_age_limit_female", S, N_("Working age of women: younger than"),
         "age", 55, SUBSIDY_REF,
         N_("A woman is of working age while her age is below this number.")),
]

COMPETITIONS = [
    _int("competitions.min_entries", C, N_("Fewest entries for an event to take place"),
         "count", 3, COMPETITION_REF, N_("An event with fewer entries is cancelled."), min=1),
    _int("competitions.age_min", C, N_("Lowest age of contestants"), "age", 16,
         COMPETITION_REF),
    _int("competitions.age_max_male", C, N_("Highest age of men (inclusive)"), "age", 59,
         COMPETITION_REF),
    _int("competitions.age_max_female", C, N_("Highest age of women (inclusive)"), "age", 54,
         COMPETITION_REF),
    _int("competitions.appeal_window_hours", C, N_("Appeal window after the event"), "hours",
         2, COMPETITION_REF),
    _int("competitions.trim_min_judges", C, N_("Judges needed to drop the highest and lowest "
         "mark"), "count", 5, COMPETITION_REF, min=3),
    Spec("competitions.disagreement_wsos_points", C, N_("Judges disagree by more than (0–3 "
         "scale)"), "points", "decimal", Decimal("1"), COMPETITION_REF,
         constraints={"max": "3"}),
    _pct("competitions.disagreement_percent", C, N_("Judges disagree by more than (points "
         "scale, share of the maximum)"), "20", COMPETITION_REF),
    Spec("competitions.award_bands", C, N_("Awards by number of entries"), "", "json",
         AWARD_BANDS, COMPETITION_REF,
         N_("A JSON list of {“min_entries”, “max_entries” (null: no upper limit), “awards”}."),
         constraints={"shape": "award_bands"}),
]

# The over-quota employment reward (DESIGN §8). Its working-age bounds are the subsidies'
# (DESIGN §5) and its minimum wage the core tiers', on 31 December of the previous year.
REWARDS = [
    _pct("rewards.quota_percent", R, N_("Quota of employees with disabilities"), "1.5",
         REWARD_REF, N_("Share of the enterprise's average staff count; the quota is not "
                        "rounded, and the reward is for each whole person above it.")),
    _int("rewards.multiple", R, N_("Reward per person above the quota, in monthly minimum "
         "wages"), "count", 3, REWARD_REF,
         N_("The county's monthly minimum wage in force on 31 December of the year before "
            "the reward year, times this number, for each person above the quota."), min=1),
    _int("rewards.severe_grade_max", R, N_("Disability grades that count as more than one "
         "person: grade 1 to"), "count", 2, DOUBLE_COUNT_REF, min=0, max=4),
    _int("rewards.severe_grade_weight", R, N_("Persons that an employee with such a grade "
         "counts as"), "count", 2, DOUBLE_COUNT_REF, min=1),
    _int("rewards.min_contract_years", R, N_("Shortest labour contract that counts"), "years",
         1, REWARD_REF, min=1),
    _int("rewards.min_insurance_months", R, N_("Months of social insurance in the year that "
         "an employee needs to count"), "months", 12, REWARD_REF, min=0, max=12),
    _int("rewards.notice_days", R, N_("Public notice period of a reward"), "days", 7,
         REWARD_REF, N_("Days an enterprise's reward is publicly announced, with its amount "
                        "and never its employees, before approval; objections are recorded "
                        "during this period."), min=1, max=60),
]

DEFAULTS: list[Spec] = [*CORE, *BASES, *TRAINING, *SUBSIDIES, *COMPETITIONS, *REWARDS]


def spec_for(key: str) -> Spec:
    return next(spec for spec in DEFAULTS if spec.key == key)


def _describe(parameter: Parameter, spec: Spec) -> None:
    parameter.domain = spec.domain.value
    parameter.label_msgid = spec.label
    parameter.description_msgid = spec.description
    parameter.legal_reference = spec.legal_reference
    parameter.constraints = dict(spec.constraints)


def load_defaults(specs: Iterable[Spec] = DEFAULTS) -> int:
    """Create the missing parameters with their default values; returns how many were new.

    The type and unit of an existing parameter are never changed: its stored values are
    read by them."""
    existing = {p.key: p for p in db.session.scalars(select(Parameter))}
    created = []
    for spec in specs:
        parameter = existing.get(spec.key)
        if parameter is None:
            parameter = Parameter(key=spec.key, unit=spec.unit, value_type=spec.value_type)
            parameter.values.append(ParameterValue(
                region_code=PROVINCE, effective_from=spec.effective_from,
                value=spec.default_text(), note=""))
            db.session.add(parameter)
            created.append(spec.key)
        _describe(parameter, spec)
    db.session.flush()
    if created:
        record("parameter.load_defaults", object_type="parameter",
               details={"created": created})
    return len(created)
