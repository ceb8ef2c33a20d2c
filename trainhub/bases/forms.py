from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from trainhub.bases.display import (
    DECISION_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    OUTCOME_LABELS,
    SPECIALTY_LABELS,
)
from trainhub.core.forms import BaseForm, CheckboxesField, DecisionSelectField, choices

# Choices keep their lazy labels, so a select is shown in the reader's language (a label
# turned into text at import time would always be English).
_choices = choices


class ApplicationForm(BaseForm):
    """Kind, level and specialties; the criteria answers are added per kind at run time."""

    kind = SelectField(_l("Kind of base"), choices=_choices(KIND_LABELS))
    level_sought = SelectField(_l("Level sought"), choices=_choices(LEVEL_LABELS))
    specialties = CheckboxesField(_l("Specialties"), choices=_choices(SPECIALTY_LABELS),
                                  validators=[DataRequired()])


class EvidenceForm(BaseForm):
    file = FileField(_l("Evidence file (PDF, JPEG or PNG)"), validators=[FileRequired()])


class ReviewForm(BaseForm):
    decision = DecisionSelectField(_l("Decision"), choices=_choices(DECISION_LABELS))
    comments = TextAreaField(_l("Comments"), validators=[Length(max=4000)],
                             description=_l("Required when you return or reject."))
    inspected_on = DateField(_l("Site inspection date (optional)"), validators=[Optional()])
    inspectors = StringField(_l("Inspectors"), validators=[Length(max=200)])
    findings = TextAreaField(_l("Inspection findings"), validators=[Length(max=4000)])
    photos = MultipleFileField(_l("Inspection photos (JPEG or PNG, optional)"))


class PhotoForm(BaseForm):
    """One photo added to a review after it was made."""

    photo = FileField(_l("Add an inspection photo (JPEG or PNG)"), validators=[FileRequired()])


class ObjectionForm(BaseForm):
    received_on = DateField(_l("Received on"), validators=[DataRequired()])
    raised_by = StringField(_l("Raised by (optional)"), validators=[Length(max=100)])
    content = TextAreaField(_l("Objection"), validators=[DataRequired(), Length(max=4000)])


class ResolveObjectionForm(BaseForm):
    upheld = BooleanField(_l("The objection is upheld (the application will be rejected)"))
    resolution = TextAreaField(_l("Resolution"), validators=[DataRequired(), Length(max=4000)])



class AnnualReviewForm(BaseForm):
    """The score items come from the parameter sheet and are added at run time."""

    year = IntegerField(_l("Year reviewed"), validators=[DataRequired(),
                                                        NumberRange(min=2000, max=2100)])
    outcome = DecisionSelectField(_l("Outcome"), choices=_choices(OUTCOME_LABELS))
    rectify_by = DateField(_l("Rectify by"), validators=[Optional()],
                           description=_l("Required when the outcome is rectification."))
    comments = TextAreaField(_l("Comments"), validators=[Length(max=4000)])


class ResidentForm(BaseForm):
    name = StringField(_l("Enterprise name"), validators=[DataRequired(), Length(max=120)])
    founder_name = StringField(_l("Founder"), validators=[DataRequired(), Length(max=64)])
    entry_date = DateField(_l("Entered on"), validators=[DataRequired()])
    exit_date = DateField(_l("Left on (optional)"), validators=[Optional()])
    jobs_created = IntegerField(_l("Jobs created"), default=0,
                                validators=[NumberRange(min=0, max=100000)])
    services = TextAreaField(_l("Services given"), validators=[Length(max=2000)])
