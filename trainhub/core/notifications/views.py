"""The notification centre (/notifications), marking as read, the account's channels
(/account/notifications/settings), and the header's unread count."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField

from trainhub.core import policy, web
from trainhub.core.accounts.contact import contact_of
from trainhub.core.forms import BaseForm
from trainhub.core.notifications import kinds, service
from trainhub.core.outbox import senders
from trainhub.core.redirects import safe_target
from trainhub.extensions import db

bp = Blueprint("notifications", __name__)


class ChannelsForm(BaseForm):
    email = BooleanField(_l("Also by e-mail"))
    sms = BooleanField(_l("Also by text message (SMS)"))


@bp.get("/notifications")
@policy.signed_in
def index() -> ResponseReturnValue:
    page = web.page_number(request.args)
    rows, total = service.page_of(current_user.id, page)
    pages = max((total + service.PAGE_SIZE - 1) // service.PAGE_SIZE, 1)
    if page > pages:
        abort(404)
    shown = [(row, *kinds.render(row.kind, row.params)) for row in rows]
    return render_template("notifications/index.html", shown=shown, page=page, pages=pages,
                           total=total, unread=service.unread_count(current_user.id))


@bp.post("/notifications/<int:notification_id>/read")
@policy.signed_in
def mark_read(notification_id: int) -> ResponseReturnValue:
    if service.own(current_user.id, notification_id) is None:
        abort(404)  # another account's: not said to exist
    service.mark_read(current_user.id, notification_id)
    db.session.commit()
    return redirect(safe_target(request.form.get("next")) or url_for("notifications.index"))


@bp.post("/notifications/read-all")
@policy.signed_in
def mark_all_read() -> ResponseReturnValue:
    count = service.mark_all_read(current_user.id)
    db.session.commit()
    flash(gettext("%(count)s notifications marked as read.", count=count), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/account/notifications/settings", methods=["GET", "POST"])
@policy.signed_in
def settings() -> ResponseReturnValue:
    saved = service.preference_of(current_user.id)
    contact = contact_of(current_user)
    has = {"email": bool(contact and contact.email), "sms": bool(contact and contact.phone)}
    available = {c.value for c in senders.channels(current_app.config)}
    form = ChannelsForm(data={"email": bool(saved and saved.email),
                              "sms": bool(saved and saved.sms)})
    status = 200
    if form.validate_on_submit():
        for name in ("email", "sms"):
            if form[name].data and not has[name]:
                form[name].errors = [gettext("Add this address on the contact details page "
                                             "first.")]
        if form.email.errors or form.sms.errors:
            status = 400
        else:
            service.set_channels(current_user.id, bool(form.email.data),
                                 bool(form.sms.data), str(get_locale()))
            db.session.commit()
            flash(gettext("Your notification settings have been saved."), "success")
            return redirect(url_for("notifications.settings"))
    elif form.is_submitted():
        status = 400
    return render_template("notifications/settings.html", form=form, has=has,
                           available=available), status


def unread_notifications() -> int:
    """For the header: one COUNT, only for a signed-in user."""
    if not current_user.is_authenticated:
        return 0
    return service.unread_count(current_user.id)


def init_app(app: Flask) -> None:
    from trainhub.core.notifications import models  # noqa: F401 - the tables

    service.init_app()
    app.register_blueprint(bp)
    app.jinja_env.globals.update(unread_notifications=unread_notifications)
