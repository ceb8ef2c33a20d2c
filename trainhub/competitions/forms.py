"""Forms of the organisers' and delegations' competition pages. Forms check the shape of
what is typed; the rules (dates, eligibility, the marking scheme) are the services'."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from trainhub.competitions.display import (
    AWARD_RULE_LABELS,
    ENTRY_TYPE_LABELS,
    KIND_LABELS,
    SCALE_LABELS,
)
from trainhub.core.display import CATEGORY_LABELS, GRADE_LABELS
from trainhub.core.forms import (
    BaseForm,
    CheckboxesField,
    DecimalField,
    DecisionSelectField,
    int_or_blank,
)
from trainhub.core.forms import choices as _choices

ASPECT_ROWS = 3    # rows of a new scheme; "add another aspect" posts back with one more
MOST_ASPECTS = 20
# A resident ID has 18 characters, a disability certificate 20.
NUMBER = [Length(min=18, max=20)]


class CompetitionForm(BaseForm):
    name = StringField(_l("Name of the competition"), validators=[DataRequired(), Length(max=120)],
                       description=_l("e.g. 江西省第七届残疾人职业技能竞赛"))
    venue = StringField(_l("Competition venue"), validators=[Length(max=200)])
    registration_opens = DateField(_l("Registration opens"), validators=[DataRequired()])
    registration_closes = DateField(_l("Registration closes"), validators=[DataRequired()],
                                    description=_l("The last day on which cities can enter, "
                                                   "withdraw or substitute contestants."))
    starts_on = DateField(_l("First day of the competition"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day of the competition"), validators=[DataRequired()])


class AspectRow(BaseForm):
    """One aspect of the marking scheme; a row left blank is not part of the scheme."""

    class Meta:
        csrf = False  # a part of EventForm, which carries the token

    code = StringField(_l("Code"), validators=[Length(max=16)],
                       description=_l("Short and unique in the event, e.g. A1."))
    title = StringField(_l("What is marked"), validators=[Length(max=200)])
    kind = SelectField(_l("Kind of aspect"), choices=_choices(KIND_LABELS), default="judgement")
    scale = SelectField(_l("Scale (judgement only)"), choices=[
        SelectChoice("", _l("None (a measurement)")), *_choices(SCALE_LABELS)],
        validators=[Optional()], default="wsos")
    max_mark = DecimalField(_l("Maximum mark"), places=2, validators=[Optional()])
    step = DecimalField(_l("Mark step"), places=2, validators=[Optional()], default=None,
                        description=_l("Marks are multiples of it (measurement and points; "
                                       "0–3 marks are whole numbers)."))

    def is_blank(self) -> bool:
        return not (self.code.data or "").strip() and not (self.title.data or "").strip() \
            and self.max_mark.data is None


class EventForm(BaseForm):
    name = StringField(_l("Event"), validators=[DataRequired(), Length(max=120)],
                       description=_l("e.g. 盲人保健按摩"))
    occupation = StringField(_l("Occupation"), validators=[DataRequired(), Length(max=80)],
                             description=_l("As in the national occupation classification; "
                                            "title holders are excluded per occupation."))
    entry_type = RadioField(_l("Type of entry"), choices=_choices(ENTRY_TYPE_LABELS),
                            default="individual")
    team_size = IntegerField(_l("Contestants per team"), validators=[
        Optional(), NumberRange(min=2, max=10)], description=_l("Team events only."))
    quota = IntegerField(_l("Entries per delegation"), validators=[
        InputRequired(), NumberRange(min=1, max=50)])
    categories = CheckboxesField(_l("Disability categories admitted"), coerce=int,
                                 choices=[SelectChoice(c, label)
                                          for c, label in CATEGORY_LABELS.items()],
                                 description=_l("Tick none to admit every category."))
    grades = CheckboxesField(_l("Disability grades admitted"), coerce=int,
                             choices=[SelectChoice(g, label) for g, label in GRADE_LABELS.items()],
                             description=_l("Tick none to admit every grade."))
    age_reference_date = DateField(_l("Ages are counted on"), validators=[DataRequired()])
    exclude_title_holders = BooleanField(
        _l("Exclude earlier first-prize winners in this occupation"), default=True)
    award_rule = RadioField(_l("How awards are given"), choices=_choices(AWARD_RULE_LABELS),
                            default="bands")
    first_share = DecimalField(_l("一等奖: share of the entries (%)"), places=2,
                               validators=[Optional(), NumberRange(min=0, max=100)])
    second_share = DecimalField(_l("二等奖: share of the entries (%)"), places=2,
                                validators=[Optional(), NumberRange(min=0, max=100)])
    third_share = DecimalField(_l("三等奖: share of the entries (%)"), places=2,
                               validators=[Optional(), NumberRange(min=0, max=100)])
    aspects = FieldList(FormField(AspectRow), min_entries=ASPECT_ROWS,
                        max_entries=MOST_ASPECTS)

    def validate_team_size(self, field: Any) -> None:
        if self.entry_type.data == "team" and not field.data:
            raise ValidationError(_l("Give the number of contestants in a team."))


class ArbitratorForm(BaseForm):
    user_id = SelectField(_l("Officer or judge"), coerce=int, choices=[])


class ReasonForm(BaseForm):
    reason = StringField(_l("Reason for the refusal"), validators=[DataRequired(),
                                                                   Length(max=500)])


class RegisterForm(BaseForm):
    """An entry: one resident ID (or disability certificate) number per contestant. The
    numbers travel in the POST body only."""

    numbers = FieldList(StringField(_l("Resident ID or disability certificate number"),
                                    validators=[DataRequired(), *NUMBER]), min_entries=1,
                        max_entries=10)


class SubstituteForm(BaseForm):
    leaving = DecisionSelectField(_l("Contestant leaving"), coerce=int_or_blank, choices=[],
                                  message=_l("Choose the contestant who leaves."))
    number = StringField(_l("Resident ID or disability certificate number of the new "
                            "contestant"), validators=[DataRequired(), *NUMBER])


class JudgeForm(BaseForm):
    user_id = SelectField(_l("Account"), coerce=int, choices=[],
                          description=_l("A judge or chief-judge account, made by the "
                                         "administrator, not yet in the registry."))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64)])
    home_city = SelectField(_l("Home city"), choices=[],
                            description=_l("A judge never marks entries of this city (回避)."))
    institution_id = SelectField(_l("Institution"), choices=[], validators=[Optional()],
                                 description=_l("Where the judge works or teaches, if "
                                                "anywhere: its trainees are not marked by "
                                                "them."))
    specialties = TextAreaField(_l("Specialties"), validators=[Length(max=500)],
                                description=_l("Occupations, separated by commas or 、."))


class AssignForm(BaseForm):
    judge_id = SelectField(_l("Judge"), coerce=int, choices=[])
    chief = BooleanField(_l("Chief judge of the event"))
