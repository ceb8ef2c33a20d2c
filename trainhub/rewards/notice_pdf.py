"""The reward notice (奖励通知书): a PDF of what was approved, with a QR code leading to the
public verification page, where the frozen facts are shown. Issued in the name of the city
federation that approved it; the persons are never on it."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from trainhub.bases.certification import issuer_name
from trainhub.bases.models import Level
from trainhub.core.documents import service as documents
from trainhub.core.documents.pdf import render_certificate
from trainhub.core.errors import N_, NotFound
from trainhub.core.timeutil import local_today
from trainhub.rewards.models import RewardDeclaration
from trainhub.subsidies.values import format_yuan

KIND = "reward_notice"
TITLE = N_("Over-quota employment reward notice")


def facts(declaration: RewardDeclaration) -> list[list[str]]:
    """Frozen in Chinese, the notice's language; labels are msgids shown translated."""
    with force_locale("zh_Hans_CN"):
        return [
            [N_("Enterprise"), declaration.enterprise.name],
            [N_("Unified social credit code"), declaration.enterprise.credit_code],
            [N_("Reward year"), str(declaration.year)],
            [N_("Rewarded persons"), str(declaration.rewarded_persons or 0)],
            [N_("Amount"), gettext("%(amount)s yuan",
                                   amount=format_yuan(declaration.amount_fen or 0))],
        ]


def issue(declaration: RewardDeclaration) -> str:
    """Register the notice; its code is kept on the declaration."""
    return documents.issue(
        KIND, facts(declaration), region_code=declaration.region_code,
        valid_from=local_today(), issuer=issuer_name(Level.CITY.value, declaration.region_code),
    ).code


def render(declaration: RewardDeclaration) -> bytes:
    found = documents.find(declaration.verification_code or "")
    if found is None:
        raise NotFound(N_("The page or record was not found, or it is outside your scope."))
    return render_certificate(found, TITLE)


def filename(declaration: RewardDeclaration) -> str:
    """ASCII, so every client keeps it as given."""
    return f"reward-notice-{declaration.year}-{declaration.id}.pdf"
