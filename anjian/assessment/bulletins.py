"""Bulletins (季通报、季曝光): generated from the data, edited as a draft, frozen on issue.

`build_data` takes a JSON snapshot of the period's figures with the dashboard's own functions
(anjian.dashboard.metrics), so a bulletin says what the dashboard said for the same period. The draft's text
fields are prefilled from the snapshot; staff edit them; `issue_bulletin` takes the 文号, renders Word and PDF
once and stores them: later changes of the records never alter an issued bulletin.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from anjian.core.audit import record_action
from anjian.core.documents import (
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    format_document_number,
    next_document_number,
    render_docx,
    render_pdf,
)
from anjian.core.templatetags.anjian_tags import money

from .models import AssessmentScheme, Bulletin, BulletinKind, BulletinStatus, Evaluation, Grade
from .periods import Period

# The 文号 series of bulletins: one per issuing territory and year (GB/T 9704 §7.2.3 bracket style).
NUMBER_PREFIX = "安委办通"
# A bulletin goes to the governments one level down (and the committee's member units).
RECIPIENTS = {
    "province": "各市（州）人民政府",
    "city": "各县（市、区）人民政府",
    "county": "各镇（街道）、园区",
}


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def build_data(
    territory, period: Period, scheme: AssessmentScheme | None = None, quarter: int | None = None
) -> dict:
    """The JSON snapshot a bulletin is made from."""
    from anjian.dashboard import metrics

    area = metrics.Area(territory)
    children = area.children()
    summary = metrics.summary(area, period)
    colours = metrics.units_by_colour(area, children)
    towns = metrics.by_town(area, period, children, colours)
    data = {
        "territory": territory.name,
        "territory_id": territory.pk,
        "period": {"start": period.start, "end": period.end, "label": period.label},
        "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "hazards": {k: v for k, v in (summary.get("hazards") or {}).items()},
        "accidents": summary.get("accidents") or {},
        "enforcement": {k: v for k, v in (summary.get("enforcement") or {}).items() if k != "links"},
        "units": [{"label": c["label"], "count": c["count"]} for c in colours["totals"]],
        "towns": [
            {
                "name": row["territory"].name,
                "territory_id": row["territory"].pk,
                "hazards": row["hazards"] or {},
                "accidents": row["accidents"] or {},
            }
            for row in towns
        ],
        "exposures": metrics.exposures(area, period),
        "rankings": [],
    }
    if scheme is not None:
        q = quarter if quarter is not None else 0
        evaluations = (
            Evaluation.objects.filter(scheme=scheme, quarter=q).select_related("body").order_by("rank", "id")
        )
        data["scheme"] = {"id": scheme.pk, "name": str(scheme), "quarter": q}
        data["rankings"] = [
            {
                "rank": e.rank,
                "body": str(e.body),
                "total": e.total,
                "grade": e.get_grade_display(),
                "grade_code": e.grade,
                "vetoed": e.vetoed,
                "veto_reasons": e.veto_reasons,
            }
            for e in evaluations
        ]
    return _plain(data)


def draft_texts(data: dict) -> dict:
    """Text fields prefilled from the snapshot; staff edit them before issuing."""
    h, a, e = data.get("hazards") or {}, data.get("accidents") or {}, data.get("enforcement") or {}
    label, territory = data["period"]["label"], data["territory"]
    overview = []
    if h:
        overview.append(
            f"{label}，全{_unit(territory)}共排查登记事故隐患{h['found']}项（其中重大事故隐患{h['found_major']}项），"
            f"已整改{h['rectified']}项，整改率{h['rectification_rate']}；已销号{h['closed']}项，销号率{h['closure_rate']}。"
            f"截至统计时点，尚未销号隐患{h['open']}项，其中逾期未整改{h['overdue']}项、"
            f"重大事故隐患{h['major_open']}项（逾期{h['major_overdue']}项），挂牌督办{h['listed']}项。"
        )
    if a:
        overview.append(
            f"发生生产安全事故{a['accidents']}起、死亡{a['deaths']}人，"
            f"与上年同期（{a['accidents_prev']}起、{a['deaths_prev']}人）相比，事故起数{a['accidents_change']}，"
            f"死亡人数{a['deaths_change']}；较大及以上事故{a['larger_plus']}起。"
        )
    if e:
        overview.append(
            f"全{_unit(territory)}立案查处安全生产违法案件{e['cases']}件，作出处罚决定{e['decided']}件，罚款{money(e['fines'])}元。"
        )
    rankings = data.get("rankings") or []
    praised = [r["body"] for r in rankings if r["grade_code"] == Grade.EXCELLENT and not r["vetoed"]]
    criticised = [r for r in rankings if r["grade_code"] == Grade.FAIL]
    praise = f"{'、'.join(praised)}在{label}考核中成绩优秀，予以通报表扬。" if praised else ""
    criticism_lines = []
    for r in criticised:
        reason = "；".join(r["veto_reasons"]) if r["vetoed"] else f"考核得分{r['total']}分"
        criticism_lines.append(f"{r['body']}（{reason}）")
    exposures = data.get("exposures") or {}
    if exposures.get("major_overdue"):
        names = "、".join(sorted({x["enterprise"] for x in exposures["major_overdue"]}))
        criticism_lines.append(f"重大事故隐患逾期未整改的单位：{names}")
    criticism = (
        ("以下单位和事项予以通报批评：" + "；".join(criticism_lines) + "。") if criticism_lines else ""
    )
    return {
        "intro": f"现将{label}全{_unit(territory)}安全生产工作情况通报如下。",
        "overview": "".join(overview) or "本期无统计数据。",
        "praise": praise,
        "criticism": criticism,
        "requirements": "各单位要对照通报问题逐项整改，逾期未整改的重大事故隐患要落实挂牌督办，"
        "被通报批评的单位须在一个月内书面报送整改措施。",
    }


def _unit(territory_name: str) -> str:
    for suffix in ("省", "区", "县", "市", "镇", "街道", "园区"):
        if territory_name.endswith(suffix):
            return suffix
    return "辖区"


@transaction.atomic
def create_draft(
    territory,
    period: Period,
    user,
    kind=BulletinKind.QUARTERLY,
    scheme=None,
    quarter=None,
    issuer="",
    recipient="",
) -> Bulletin:
    data = build_data(territory, period, scheme, quarter)
    texts = draft_texts(data)
    office = getattr(user, "organisation", None)
    bulletin = Bulletin.objects.create(
        kind=kind,
        territory=territory,
        period_start=period.start,
        period_end=period.end,
        scheme=scheme,
        issuer=issuer or (office.name if office else f"{territory.name}安全生产委员会办公室"),
        title=f"关于{period.label}全{_unit(territory.name)}安全生产工作情况的通报",
        recipient=recipient
        or f"{RECIPIENTS.get(territory.kind, '各镇（街道）、园区')}，{territory.name}安委会各成员单位",
        copy_to=f"{territory.name}安全生产委员会主任、副主任",
        data=data,
        created_by=user,
        **texts,
    )
    record_action(bulletin, "bulletin.drafted", f"生成{period.label}通报草稿")
    return bulletin


@transaction.atomic
def refresh_draft(bulletin: Bulletin, user, reset_texts: bool = False) -> Bulletin:
    """Take a new data snapshot for a draft (e.g. after late records); issued bulletins never change."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.is_issued:
        raise ValidationError("已印发的通报不能更新数据。")
    period = Period(
        bulletin.period_start, bulletin.period_end, bulletin.data.get("period", {}).get("label", "")
    )
    quarter = (bulletin.data.get("scheme") or {}).get("quarter")
    bulletin.data = build_data(bulletin.territory, period, bulletin.scheme, quarter)
    if reset_texts:
        for name, value in draft_texts(bulletin.data).items():
            setattr(bulletin, name, value)
    bulletin.save()
    record_action(bulletin, "bulletin.refreshed", "重新提取统计数据")
    return bulletin


def to_document(bulletin: Bulletin) -> OfficialDocument:
    """The official document, from the bulletin's texts and its frozen snapshot only."""
    data = bulletin.data or {}
    blocks = [Paragraph(bulletin.intro), Heading("一、总体情况"), Paragraph(bulletin.overview)]
    towns = data.get("towns") or []
    if towns:
        blocks.append(
            Table(
                [
                    "区划",
                    "排查隐患",
                    "整改率",
                    "销号率",
                    "逾期未整改",
                    "重大隐患（未销号）",
                    "事故起数",
                    "死亡人数",
                ],
                [
                    [
                        t["name"],
                        t["hazards"].get("found", ""),
                        t["hazards"].get("rectification_rate", ""),
                        t["hazards"].get("closure_rate", ""),
                        t["hazards"].get("overdue", ""),
                        t["hazards"].get("major_open", ""),
                        t["accidents"].get("accidents", ""),
                        t["accidents"].get("deaths", ""),
                    ]
                    for t in towns
                ],
            )
        )
    rankings = data.get("rankings") or []
    number = 2
    titles = "二三四五六七"
    if rankings:
        blocks += [
            Heading(f"{titles[number - 2]}、考核排名"),
            Table(
                ["排名", "单位", "得分", "等次", "一票否决"],
                [
                    [
                        r["rank"],
                        r["body"],
                        r["total"],
                        r["grade"],
                        "；".join(r["veto_reasons"]) if r["vetoed"] else "",
                    ]
                    for r in rankings
                ],
            ),
        ]
        number += 1
    if bulletin.praise:
        blocks += [Heading(f"{titles[number - 2]}、通报表扬"), Paragraph(bulletin.praise)]
        number += 1
    if bulletin.criticism:
        blocks += [Heading(f"{titles[number - 2]}、通报批评"), Paragraph(bulletin.criticism)]
        number += 1
    exposures = data.get("exposures") or {}
    if any(exposures.get(k) for k in ("major_overdue", "repeat_offenders", "blacklisted")):
        blocks.append(Heading(f"{titles[number - 2]}、曝光单位"))
        number += 1
        if exposures.get("major_overdue"):
            blocks += [
                Paragraph("（一）重大事故隐患逾期未整改", bold=True),
                Table(
                    ["隐患编号", "单位", "区划", "隐患描述", "整改期限"],
                    [
                        [x["number"], x["enterprise"], x["territory"], x["description"], x["deadline"]]
                        for x in exposures["major_overdue"]
                    ],
                ),
            ]
        if exposures.get("repeat_offenders"):
            blocks += [
                Paragraph("（二）本期多次被查出隐患的单位（屡查屡犯）", bold=True),
                Table(
                    ["单位", "本期隐患数"],
                    [[x["enterprise"], x["hazards"]] for x in exposures["repeat_offenders"]],
                ),
            ]
        if exposures.get("blacklisted"):
            blocks += [
                Paragraph("（三）安全生产严重失信主体名单内单位", bold=True),
                Table(
                    ["单位", "列入事由", "列入日期", "管理期限至"],
                    [
                        [x["enterprise"], x["ground"], x["start_date"], x["end_date"]]
                        for x in exposures["blacklisted"]
                    ],
                ),
            ]
    if bulletin.requirements:
        blocks += [Heading(f"{titles[number - 2]}、工作要求"), Paragraph(bulletin.requirements)]
    return OfficialDocument(
        issuer=bulletin.issuer,
        title=bulletin.title,
        number=bulletin.number,
        recipient=bulletin.recipient,
        blocks=blocks,
        issued_on=bulletin.issued_on,
        seal=bulletin.issuer,
        copy_to=bulletin.copy_to,
        note=f"数据统计期：{data.get('period', {}).get('start', '')} 至 {data.get('period', {}).get('end', '')}；"
        f"数据提取时间：{data.get('generated_at', '')}",
    )


@transaction.atomic
def issue_bulletin(bulletin: Bulletin, user, issued_on: date | None = None) -> Bulletin:
    """Take the 文号, render Word and PDF once and keep them with the snapshot: the bulletin is frozen."""
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.is_issued:
        raise ValidationError("该通报已印发。")
    if not bulletin.data:
        raise ValidationError("通报没有统计数据，请先提取数据。")
    issued_on = issued_on or timezone.localdate()
    key = f"bulletin:{bulletin.territory_id}"
    sequence = next_document_number(key, issued_on.year)
    bulletin.number = format_document_number(NUMBER_PREFIX, issued_on.year, sequence)
    bulletin.issued_on = issued_on
    bulletin.status = BulletinStatus.ISSUED
    bulletin.issued_by, bulletin.issued_at = user, timezone.now()
    document = to_document(bulletin)
    stem = f"bulletin-{issued_on.year}-{sequence}"
    bulletin.docx.save(f"{stem}.docx", ContentFile(render_docx(document)), save=False)
    bulletin.pdf.save(f"{stem}.pdf", ContentFile(render_pdf(document)), save=False)
    bulletin.save()
    record_action(bulletin, "bulletin.issued", f"印发通报 {bulletin.number}")
    return bulletin


def check_editable(bulletin: Bulletin) -> None:
    if bulletin.is_issued:
        raise ValidationError("已印发的通报不能修改。")
