"""Demo data refused where it could do harm (issue 14, item 3): under a production
configuration (`demo load`, which `make run` calls, and `demo province`), and on a
database that holds accounts that are not the demo's."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from trainhub.core.accounts.models import User
from trainhub.extensions import db


def _accounts(app) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(User)))


def _invoke(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


@pytest.mark.parametrize("command", [["demo", "load"], ["demo", "load", "--force"],
                                     ["demo", "province", "--scale", "0.01"]])
def test_a_production_configuration_refuses_every_demo_loader(app, monkeypatch, command):
    monkeypatch.setitem(app.config, "TRAINHUB_ENV", "production")
    result = _invoke(app, *command)
    assert result.exit_code == 1
    assert "demo data refused: this is a production configuration" in result.output
    assert _accounts(app) == 0


def test_a_database_of_real_accounts_refuses_the_demo(app, make):
    make.user("admin", username="root.admin")
    for command in (["demo", "load"], ["demo", "load", "--force"]):
        result = _invoke(app, *command)
        assert result.exit_code == 1, result.output
        assert "1 account(s) that are not demo accounts" in result.output
        assert "Demo-Pass" not in result.output  # no demo logins listed for this database
    assert _accounts(app) == 1


def test_a_demo_database_with_accounts_made_while_trying_it_stays_a_demo(app, make):
    # `make run` on a developer's demo database after someone registered there: unchanged.
    make.user("admin", username="admin")  # a demo username: the demo is there
    make.user("trainee", username="registered.in.demo")
    result = _invoke(app, "demo", "load")
    assert result.exit_code == 0 and "not loaded again" in result.output
    forced = _invoke(app, "demo", "load", "--force")  # would load beside a real account
    assert forced.exit_code == 1 and "not demo accounts" in forced.output
    assert _accounts(app) == 2
