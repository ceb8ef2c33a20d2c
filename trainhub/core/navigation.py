"""The main menu: every page once, shown to each user whom the policy lets open it.

Which role sees which link is not written anywhere else: a link is shown when the page's
declared permission (core.policy: @signed_in, or @permission(action) and may(user, action))
lets the user in, so the menu and the pages cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from trainhub.core import policy

# (endpoint, label), in the order shown; a public page names the action it serves.
MENU: tuple[tuple[str, Any] | tuple[str, Any, str], ...] = (
    # Public (the front door for visitors), in the menu of everyone signed in.
    ("home.index", _l("Home"), policy.SIGNED_IN),
    ("training.courses", _l("Find a course"), "training.apply"),
    ("training.mine", _l("My training")),
    ("subsidies.mine", _l("My subsidies")),
    ("competitions.my_results", _l("My competition results")),
    ("people.me", _l("My record")),
    ("privacy.mine", _l("My personal information")),
    ("admin.users", _l("Accounts")),
    ("admin.roles", _l("Roles")),
    ("admin.security_settings", _l("Security settings")),
    ("people.index", _l("People")),
    ("institutions.index", _l("Institutions")),
    ("bases.applications", _l("Base applications")),
    ("bases.index", _l("Bases")),
    ("bases.coverage", _l("Coverage")),
    ("training.batch_list", _l("Training batches")),
    ("training.demand_list", _l("Demands")),
    ("training.outcomes", _l("Hired versus committed")),
    ("competitions.competition_list", _l("Competitions")),
    ("competitions.marking_events", _l("Marking")),
    ("subsidies.vouchers", _l("Training vouchers")),
    ("subsidies.batches", _l("Subsidy claims")),
    ("subsidies.approvals", _l("Subsidy approval")),
    ("subsidies.budget_list", _l("Budgets")),
    ("subsidies.reports", _l("Reconciliation reports")),
    ("rewards.new", _l("Declare an over-quota reward")),
    ("rewards.index", _l("Over-quota rewards")),
    ("reports.plan", _l("Plan report")),
    ("audit.search", _l("Audit log")),
    ("parameters.index", _l("Parameters")),
    ("accounts.tokens", _l("API tokens")),
    ("accounts.change_password", _l("Change password")),
)


@dataclass(frozen=True)
class Link:
    endpoint: str
    label: Any


def action_of(endpoint: str, serves: str | None = None) -> str | None:
    """The permission a menu page is shown by: its declared one, or for a public page (open
    to anyone, so in no one's menu by itself) the action it serves."""
    declared = policy.declared_permission(current_app.view_functions.get(endpoint))
    return serves if declared == policy.PUBLIC else declared


def may_open(user: Any, endpoint: str, serves: str | None = None) -> bool:
    """Whether the page's permission lets `user` in (objects aside)."""
    if not getattr(user, "is_authenticated", False):
        return False
    action = action_of(endpoint, serves)
    if action is None:
        return False
    return action == policy.SIGNED_IN or policy.may(user, action)


def menu(user: Any) -> list[Link]:
    """The menu's pages `user` may open, in menu order."""
    return [Link(entry[0], entry[1]) for entry in MENU
            if may_open(user, entry[0], entry[2] if len(entry) > 2 else None)]


def init_app(app: Flask) -> None:
    @app.context_processor
    def main_menu() -> dict[str, Any]:
        return {"main_menu": lambda: menu(current_user)}
