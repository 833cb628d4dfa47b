"""Printable documents from a hazard record (rules.md §6.3, HZ-42): 责令限期整改指令书 and 整改复查意见书.

Numbers come from core.documents.next_document_number (gap-free, per issuer and year) and are stored on the
record, so printing again gives the same 文号.
"""

from django.db import transaction
from django.utils import timezone

from anjian.core.documents import (
    Heading,
    KeyValues,
    OfficialDocument,
    Paragraph,
    format_document_number,
    next_document_number,
)

from .models import Hazard, HazardReview


def _issuer(user):
    org = getattr(user, "organisation", None)
    return org if org is not None else None


def _prefix(org, suffix):
    base = (org.short_name or org.name) if org else "安监"
    return f"{base}{suffix}"


@transaction.atomic
def ensure_order_number(hazard: Hazard) -> str:
    locked = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if not locked.order_number:
        org = _issuer(locked.found_by)
        year = locked.found_on.year
        key = f"hazards.order.{org.pk if org else 0}"
        locked.order_number = format_document_number(
            _prefix(org, "责改"), year, next_document_number(key, year)
        )
        Hazard.objects.filter(pk=locked.pk).update(order_number=locked.order_number)
    hazard.order_number = locked.order_number
    return locked.order_number


def rectification_order(hazard: Hazard) -> OfficialDocument:
    """责令限期整改指令书."""
    number = ensure_order_number(hazard)
    org = _issuer(hazard.found_by)
    issuer = str(org.name) if org else "安全生产监督管理部门"
    deadline = f"{hazard.deadline:%Y年%m月%d日}" if hazard.deadline else "（见整改方案）"
    blocks = [
        Paragraph(
            f"经查，你单位存在下列事故隐患（隐患编号 {hazard.number}，{hazard.get_grade_display()}）：",
            indent=True,
        ),
        Paragraph(f"{hazard.location + '：' if hazard.location else ''}{hazard.description}"),
    ]
    if hazard.major_clause:
        blocks.append(Paragraph(f"判定依据：{hazard.major_clause}"))
    blocks.append(
        Paragraph(
            f"依据《中华人民共和国安全生产法》第六十五条、《安全生产事故隐患排查治理暂行规定》第二十条，"
            f"责令你单位于{deadline}前整改完毕，达到有关法律法规和标准规定的要求。"
        )
    )
    if hazard.stop_order != "none":
        blocks.append(
            Paragraph(
                f"在隐患排除前或者排除过程中无法保证安全的，责令{hazard.get_stop_order_display()}；"
                "整改完成后须提出恢复生产的书面申请，经审查同意后方可恢复生产。"
            )
        )
    blocks.append(Paragraph("整改期间，你单位应当采取相应的安全防范措施，防止事故发生。"))
    blocks.append(
        KeyValues(
            [("检查人员", hazard.inspector_names or "—"), ("发现时间", f"{hazard.found_on:%Y年%m月%d日}")]
        )
    )
    return OfficialDocument(
        issuer=issuer,
        title="责令限期整改指令书",
        number=number,
        recipient=f"{hazard.enterprise.name}：",
        blocks=blocks,
        signatures=["检查人员（签字）", "被检查单位负责人（签字）"],
        issued_on=hazard.found_on,
        seal=f"{issuer}（印章）",
        note="如不服本指令，可以依法在六十日内申请行政复议或者在六个月内提起行政诉讼。",
    )


def review_opinion(review: HazardReview) -> OfficialDocument:
    """整改复查意见书 for one re-inspection."""
    hazard = review.hazard
    org = _issuer(review.reviewer)
    issuer = str(org.name) if org else "安全生产监督管理部门"
    order = hazard.order_number or "（现场检查记录）"
    result = (
        "经复查，你单位已按要求完成整改，隐患已消除。"
        if review.accepted
        else "经复查，你单位未按要求完成整改，隐患未消除，请继续整改："
    )
    blocks = [
        Paragraph(
            f"本机关于{hazard.found_on:%Y年%m月%d日}以 {order} 责令你单位整改的事故隐患（隐患编号 {hazard.number}），"
            f"于{timezone.localtime(review.reviewed_at):%Y年%m月%d日}进行了复查。"
        ),
        Heading("隐患情况"),
        Paragraph(hazard.description),
        Heading("整改情况"),
        Paragraph(hazard.rectification_note or "—"),
        Heading("复查意见"),
        Paragraph(result, bold=True),
        Paragraph(review.opinion),
        KeyValues(
            [
                ("复查人员", review.reviewer.get_full_name()),
                ("复查时间", f"{timezone.localtime(review.reviewed_at):%Y-%m-%d %H:%M}"),
            ]
        ),
    ]
    return OfficialDocument(
        issuer=issuer,
        title="整改复查意见书",
        number=review.number,
        recipient=f"{hazard.enterprise.name}：",
        blocks=blocks,
        signatures=["复查人员（签字）", "被复查单位负责人（签字）"],
        issued_on=timezone.localtime(review.reviewed_at).date(),
        seal=f"{issuer}（印章）",
    )
