"""Demo data never reaches a real database (issue 14, item 3).

The demo's accounts share one published password, so loading them into a production
install hands it an administrator anyone can sign in as. Refused: any demo loader under a
production configuration, and the demo accounts on a database that holds accounts of its
own (not the demo's): a real install run by mistake in development, or a copy of one.
A demo database whose users registered more accounts while trying it (registration, the
admin pages) is still a demo database: `demo load` without --force leaves it as it is.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import click
from sqlalchemy import func, select

from trainhub.core.accounts.models import User
from trainhub.extensions import db


class DemoRefused(click.ClickException):
    """Shown by click as `Error: …` with exit status 1, so `make run` stops there."""


def refuse_production(config: Mapping[str, Any]) -> None:
    if config.get("TRAINHUB_ENV") == "production":
        raise DemoRefused("demo data refused: this is a production configuration "
                          "(TRAINHUB_ENV=production); its accounts share a published password")


def _count(condition: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(User).where(condition)) or 0)


def refuse_real_accounts(demo_usernames: Collection[str], force: bool) -> None:
    """Refuse when the database holds accounts that are not the demo's and the demo would
    be loaded beside them (--force), or when it holds no demo account at all (a real
    database)."""
    others = _count(User.username.not_in(demo_usernames))
    if not others:
        return
    if force or not _count(User.username.in_(demo_usernames)):
        raise DemoRefused(f"demo data refused: the database holds {others} account(s) that "
                          "are not demo accounts; demo data is loaded only into a new "
                          "database or one holding the demo")
