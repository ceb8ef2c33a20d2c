"""Forms of the training pages. Money is typed in yuan and kept in fen."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from trainhub.core.forms import BaseForm, CheckboxesField, DecimalField, DecisionRadioField
from trainhub.core.forms import choices as _choices
from trainhub.core.privacy.forms import GuardianFields, consent_field
from trainhub.core.privacy.notice import CURRENT
from trainhub.training.display import (
    ADMISSION_LABELS,
    CATEGORY_LABELS,
    CERTIFICATE_LEVEL_LABELS,
    CERTIFICATE_TYPE_LABELS,
    DELIVERY_LABELS,
    DELIVERY_MODEL_LABELS,
    EMPLOYMENT_FORM_LABELS,
    PROVISION_LABELS,
    RELATION_LABELS,
    SESSION_MODE_LABELS,
    TRAINING_TYPE_LABELS,
)
from trainhub.training.imports import MAX_UPLOAD_BYTES

NO_LEVEL = [SelectChoice("", _l("No level (not a levelled certificate)"))]
YUAN = [NumberRange(min=0, max=100000)]


def fen(amount: Decimal | None) -> int:
    """Yuan typed with at most two decimals → integer fen (exact)."""
    return int((amount or Decimal(0)) * 100)


class DemandForm(BaseForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    occupation = StringField(_l("Occupation"), validators=[DataRequired(), Length(max=80)],
                             description=_l("As in the national occupation classification, "
                                            "e.g. 保健按摩师."))
    category = SelectField(_l("Category"), choices=_choices(CATEGORY_LABELS))
    head_count = IntegerField(_l("Workers needed"), validators=[InputRequired(),
                                                                NumberRange(min=1, max=1000)])
    hire_commitment = IntegerField(
        _l("Workers you commit to hire"), validators=[InputRequired(), NumberRange(min=0,
                                                                                  max=1000)],
        description=_l("At most the number needed; followed up six months after training."))
    skills_required = TextAreaField(_l("Skills required"), validators=[Length(max=2000)])
    region_code = SelectField(_l("County where the work is"), choices=[])
    location = StringField(_l("Workplace address"), validators=[Length(max=200)])
    monthly_wage = DecimalField(_l("Monthly wage offered (yuan)"), places=2,
                                validators=[InputRequired(), NumberRange(min=1, max=100000)])
    deadline = DateField(_l("Deadline for institutions to take the order"),
                         validators=[DataRequired()])


class BatchForm(BaseForm):
    base_id = SelectField(_l("Certified base running the batch"), coerce=int, choices=[])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)],
                        description=_l("e.g. 2026年第一期盲人保健按摩培训班"))
    category = SelectField(_l("Category"), choices=_choices(CATEGORY_LABELS))
    occupation = StringField(_l("Occupation"), validators=[DataRequired(), Length(max=80)])
    training_type = SelectField(_l("Training type"), choices=_choices(TRAINING_TYPE_LABELS))
    certificate_type = SelectField(_l("Certificate targeted"),
                                   choices=_choices(CERTIFICATE_TYPE_LABELS))
    certificate_level = SelectField(_l("Level targeted"), choices=[
        *NO_LEVEL, *_choices(CERTIFICATE_LEVEL_LABELS)], validators=[Optional()])
    delivery = SelectField(_l("Delivery"), choices=_choices(DELIVERY_LABELS))
    delivery_models = CheckboxesField(_l("Delivery models"),
                                      choices=_choices(DELIVERY_MODEL_LABELS))
    provisions = CheckboxesField(_l("Accessibility provisions"),
                                 choices=_choices(PROVISION_LABELS))
    jiangxi_household_only = BooleanField(
        _l("Only for people with a Jiangxi household registration"),
        description=_l("Applicants whose household is registered elsewhere are refused."))
    open_to_family_members = BooleanField(
        _l("Open to family members of people with disabilities"),
        description=_l("A person without a disability certificate may apply by declaring "
                       "the relation to a person with disabilities and that person's "
                       "certificate number; family members receive no training subsidy "
                       "and no living allowance."))
    start_date = DateField(_l("First day"), validators=[DataRequired()])
    end_date = DateField(_l("Last day"), validators=[DataRequired()])
    capacity = IntegerField(_l("Capacity (seats)"), validators=[InputRequired(),
                                                                NumberRange(min=1, max=500)])
    fee = DecimalField(_l("Fee per trainee (yuan)"), places=2,
                       validators=[InputRequired(), *YUAN])
    admission = RadioField(_l("Admission"), choices=_choices(ADMISSION_LABELS),
                           default="auto")
    venue = StringField(_l("Venue"), validators=[Length(max=200)])
    description = TextAreaField(_l("Description for applicants"),
                                validators=[Length(max=4000)])


class SessionForm(BaseForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    starts = TimeField(_l("Starts at"), validators=[DataRequired()])
    ends = TimeField(_l("Ends at"), validators=[DataRequired()])
    hours = DecimalField(_l("Teaching hours"), places=2,
                         validators=[InputRequired(), NumberRange(min=0.25, max=12)],
                         description=_l("Hours that count towards attendance, breaks "
                                        "excluded."))
    mode = SelectField(_l("Mode"), choices=_choices(SESSION_MODE_LABELS))
    topic = StringField(_l("Topic"), validators=[Length(max=200)])


class ReviewBatchForm(BaseForm):
    comment = TextAreaField(_l("Comments"), validators=[Length(max=4000)],
                            description=_l("Required when you return or reject."))



class CapacityForm(BaseForm):
    capacity = IntegerField(_l("New capacity"), validators=[InputRequired(),
                                                            NumberRange(min=1, max=500)])


class DeclineForm(BaseForm):
    note = StringField(_l("Reason shown to the applicant"), validators=[DataRequired(),
                                                                        Length(max=500)])


class ImportForm(BaseForm):
    """The filled enrolment template, uploaded on the roster page."""

    file = FileField(_l("Excel file of trainees (.xlsx)"), validators=[FileRequired()],
                     description=_l("Fill in the template; at most %(mb)s MB. Nothing is "
                                    "imported unless every row is valid.",
                                    mb=MAX_UPLOAD_BYTES // (1024 * 1024)),
                     render_kw={"accept": ".xlsx,application/vnd.openxmlformats-"
                                          "officedocument.spreadsheetml.sheet"})
    # PIPL 单独同意 of everyone in the file, on paper: confirmed once for all the rows.
    consent = BooleanField(_l("Every person in the file has read the notice (version "
                              "%(version)s) and signed their consent on paper; I keep the "
                              "signed copies.", version=CURRENT.version), default=False)


class ResultForm(BaseForm):
    passed = DecisionRadioField(_l("Assessment result"),
                                choices=[SelectChoice("yes", _l("Passed")),
                                         SelectChoice("no", _l("Failed"))])
    assessed_on = DateField(_l("Assessment date"), validators=[DataRequired()])
    certificate_type = SelectField(_l("Certificate obtained"), choices=[
        SelectChoice("", _l("None")), *_choices(CERTIFICATE_TYPE_LABELS)], validators=[Optional()])
    certificate_level = SelectField(_l("Level"), choices=[
        *NO_LEVEL, *_choices(CERTIFICATE_LEVEL_LABELS)], validators=[Optional()])
    certificate_number = StringField(_l("Certificate number"), validators=[Length(max=32)])
    certificate_date = DateField(_l("Certificate date"), validators=[Optional()])


class FollowUpForm(BaseForm):
    employed = DecisionRadioField(_l("Employed at the follow-up?"),
                                  choices=[SelectChoice("yes", _l("Yes")),
                                           SelectChoice("no", _l("No"))])
    checked_on = DateField(_l("Date of the check"), validators=[DataRequired()])
    employer_name = StringField(_l("Employer"), validators=[Length(max=120)])
    employment_form = SelectField(_l("Form of employment"), validators=[Optional()], choices=[
        SelectChoice("", _l("Choose…")), *_choices(EMPLOYMENT_FORM_LABELS)])
    monthly_wage = DecimalField(_l("Monthly wage (yuan)"), places=2,
                                validators=[Optional(), *YUAN])
    hired_by_ordering_enterprise = BooleanField(
        _l("Hired by the enterprise that ordered the training"))


class FamilyTieForm(BaseForm, GuardianFields):
    """Applying as a family member of a person with disabilities (残疾人家庭成员), in a batch
    open to them: the relation and the relative's certificate number, which an officer
    checks. Both empty: applying in one's own right."""

    family_relation = SelectField(
        _l("Your relation to the person with disabilities"), validators=[Optional()],
        choices=[SelectChoice("", _l("Choose…")), *_choices(RELATION_LABELS)])
    relative_cert_number = StringField(
        _l("Their disability certificate number"), validators=[Length(max=40)],
        description=_l("20 characters, as printed on your relative's disability "
                       "certificate: their resident ID number, then the category and the "
                       "grade."))
    # Shown (with the notice) only while the person has no consent in force.
    consent = consent_field()


class CatalogueFilter(BaseForm):
    class Meta:
        csrf = False  # a GET search form

    keyword = StringField(_l("Keyword"), validators=[Optional(), Length(max=50)],
                          description=_l("Course name, occupation or institution"))
    category = SelectField(_l("Category"), choices=[SelectChoice("", _l("Any")),
                                                    *_choices(CATEGORY_LABELS)],
                           validators=[Optional()])
    city = SelectField(_l("City"), choices=[], validators=[Optional()])
    provision = SelectField(_l("Accessibility provision"), choices=[
        SelectChoice("", _l("Any")), *_choices(PROVISION_LABELS)], validators=[Optional()])
    starts_after = DateField(_l("Starting on or after"), validators=[Optional()])
    starts_before = DateField(_l("Starting on or before"), validators=[Optional()])
