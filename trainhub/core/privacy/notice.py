"""The notice shown where consent is asked (PIPL Art. 17, 29, 30). Its text is versioned:
a consent names the version the person read, so a new wording is a new entry here, never
an edit of an old one. The text is the legal notice in Chinese, shown as is in every
interface language (the page marks it lang="zh-Hans")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Notice:
    version: str
    published: date
    title: str
    paragraphs: tuple[str, ...]


_V2026_1 = Notice(
    version="2026-1",
    published=date(2026, 12, 1),
    title="敏感个人信息处理告知书",
    paragraphs=(
        "处理者：江西省残疾人联合会及您报名的培训机构。",
        "处理的信息：您的姓名、居民身份证号码、残疾人证号码、残疾类别和等级、联系电话。"
        "其中残疾类别和等级、证件号码属于敏感个人信息。",
        "目的：确认您的身份和参加培训的资格，办理培训报名、考勤、结业和证书，"
        "计算并发放培训补贴和生活费补贴。",
        "必要性和影响：没有这些信息，无法确认您是否可以享受残疾人职业培训政策和补贴。"
        "信息加密保存，列表中只显示部分号码，查看完整号码的每一次操作都有记录。",
        "保存期限：最后一次培训或补贴办理之后按参数规定的年限（默认5年）保存，"
        "期满后删除姓名、号码和联系电话，只保留不能识别您的统计信息。",
        "您的权利：您可以在“我的个人信息”页面下载个人信息副本，可以随时撤回同意。"
        "撤回后不再为新的报名处理这些信息，但不影响撤回前已经办理的事项。"
        "需要帮助（包括手语或盲文版本）请联系您所在县（市、区）残联。",
    ),
)

NOTICES = {_V2026_1.version: _V2026_1}
CURRENT = _V2026_1


def notice(version: str) -> Notice | None:
    return NOTICES.get(version)
