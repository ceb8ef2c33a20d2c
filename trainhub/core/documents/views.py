"""The public check of a certificate: /verify/<code> (from the QR code) and /verify (typed)."""

from __future__ import annotations

import re

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response
from wtforms import Form, StringField
from wtforms.validators import InputRequired, Regexp

from trainhub.core import policy
from trainhub.core.documents import service
from trainhub.core.documents.models import Verification
from trainhub.core.timeutil import local_today, utcnow

bp = Blueprint("documents", __name__)

KIND_LABELS = {
    "base_certificate": _l("Base certificate"),
    "training_certificate": _l("Training completion certificate"),
    "award": _l("Competition award certificate"),
    "subsidy_decision": _l("Subsidy decision notice"),
    "reward_notice": _l("Over-quota employment reward notice"),
}

# The answer must always be the current status, and the page names a person: no caching
# anywhere, and no search engine index.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache",
            "X-Robots-Tag": "noindex, nofollow"}


class LookupForm(Form):
    """GET form, so it carries no CSRF token: it changes nothing."""

    code = StringField(
        _l("Verification code"),
        description=_l("Printed under the QR code, after /verify/."),
        validators=[InputRequired(message=_l("Enter the verification code.")),
                    Regexp(service.CODE_RE.pattern + "$",
                           message=_l("This is not a verification code. Check it and try "
                                      "again."))],
    )


def _typed_code(text: str) -> str:
    """Accept the code, or the whole address pasted from the certificate."""
    text = re.sub(r"\s+", "", text or "")
    if "/verify/" in text:
        text = text.rsplit("/verify/", 1)[1]
    return text.split("?", 1)[0].split("#", 1)[0].strip("/")


def _no_store(body: str, status: int) -> Response:
    return Response(body, status=status, headers=NO_STORE, mimetype="text/html")


@bp.get("/verify")
@policy.public
def lookup() -> ResponseReturnValue:
    if "code" not in request.args:
        return _no_store(render_template("documents/verify.html", form=LookupForm()), 200)
    form = LookupForm(formdata=MultiDict({"code": _typed_code(request.args.get("code", ""))}))
    if form.validate():
        return redirect(url_for("documents.verify", code=form.code.data))
    return _no_store(render_template("documents/verify.html", form=form), 400)


@bp.get("/verify/<code>")
@policy.public
def verify(code: str) -> ResponseReturnValue:
    verification = service.find(code)
    if verification is None:
        return _no_store(render_template("documents/verify.html", form=LookupForm(),
                                         not_found=True), 404)
    return _no_store(_render_found(verification), 200)


def _render_found(verification: Verification) -> str:
    return render_template(
        "documents/verify.html",
        verification=verification,
        kind=KIND_LABELS.get(verification.kind, verification.kind),
        issuer=service.issuer_of(verification),
        facts=[(gettext(label), value) for label, value in verification.facts],
        status=service.current_status(verification, local_today()),
        checked_at=utcnow(),
    )
