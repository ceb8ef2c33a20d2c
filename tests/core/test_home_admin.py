"""The system administrator's home page counts the accounts locked now and links to the
account list showing only those."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import sign_in
from trainhub.core.accounts.models import User
from trainhub.core.timeutil import utcnow
from trainhub.extensions import db


def test_locked_accounts_are_counted_and_listed_alone(app, client, make):
    locked = make.user("institution_staff")
    was_locked = make.user("institution_staff")
    free = make.user("institution_staff")
    with app.app_context():
        for name, until in ((locked, utcnow() + timedelta(minutes=10)),
                            (was_locked, utcnow() - timedelta(minutes=10))):
            db.session.query(User).filter_by(username=name).one().locked_until = until
        db.session.commit()
    sign_in(client, make.user("admin"))
    home = client.get("/").get_data(as_text=True)
    assert ('<a href="/admin/users?locked=1"><span class="waiting-count">1</span>'
            in home)
    def listed(path: str) -> set[str]:
        html = client.get(path).get_data(as_text=True)
        return {name for name in (locked, was_locked, free)
                if f'<span translate="no">{name}</span>' in html}

    assert listed("/admin/users?locked=1") == {locked}
    assert listed("/admin/users") == {locked, was_locked, free}
