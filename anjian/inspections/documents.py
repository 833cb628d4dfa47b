"""The printable 现场检查记录 (on-site inspection record), rendered by anjian.core.documents."""

from django.utils import timezone

from anjian.core.documents import Heading, KeyValues, OfficialDocument, Paragraph, Table

from .models import FollowUp, Inspection, ItemResult

RESULT_MARK = {ItemResult.PASS: "符合", ItemResult.FAIL: "不符合", ItemResult.NA: "不适用", "": "未填"}


def _when(obj: Inspection) -> str:
    text = f"{obj.inspected_on:%Y年%m月%d日}"
    if obj.started_at:
        text += f" {obj.started_at:%H:%M}"
        if obj.ended_at:
            text += f" 至 {obj.ended_at:%H:%M}"
    return text


def _signed(at, name="") -> str:
    if not at:
        return "未签字"
    return f"{name + ' ' if name else ''}已签字（{timezone.localtime(at):%Y-%m-%d %H:%M}）"


def inspection_record(obj: Inspection) -> OfficialDocument:
    inspectors = "；".join(
        f"{u.get_full_name()}（执法证号：{u.certificate_no}）" if u.certificate_no else u.get_full_name()
        for u in obj.inspectors.all()
    )
    where = obj.location or obj.enterprise.address or "—"
    if obj.latitude is not None and obj.longitude is not None:
        where += f"（北纬 {obj.latitude}，东经 {obj.longitude}）"
    items = list(obj.items.select_related("hazard").order_by("order"))
    failed = [i for i in items if i.result == ItemResult.FAIL]
    blocks = [
        KeyValues(
            [
                ("被检查单位", obj.enterprise.name),
                ("地址", obj.enterprise.address or "—"),
                ("现场负责人", f"{obj.unit_contact} {obj.unit_contact_title}".strip() or "—"),
                ("检查时间", _when(obj)),
                ("检查地点", where),
                ("检查层级/类型", f"{obj.get_level_display()} / {obj.get_kind_display()}"),
                ("检查计划", obj.plan.name if obj.plan_id else "—"),
                ("检查人员", inspectors or "—"),
            ]
        ),
        Heading("检查情况"),
        Paragraph(
            obj.summary
            or f"依据{obj.checklist_template or '检查表'}逐项检查，共 {len(items)} 项，不符合 {len(failed)} 项。"
        ),
        Table(
            ["序号", "检查内容", "依据", "结果", "说明"],
            [[str(i.order), i.text, i.basis, RESULT_MARK.get(i.result, i.result), i.note] for i in items],
        ),
    ]
    if failed:
        blocks.append(Heading("发现的问题及处理"))
        rows = []
        for i in failed:
            if i.rectified_on_spot:
                handling = "已当场整改"
            else:
                handling = i.get_follow_up_display() if i.follow_up else "待定"
                if i.follow_up == FollowUp.INTERIM and i.interim_measures:
                    handling += f"：{i.interim_measures}"
                if i.rectify_deadline:
                    handling += f"（整改期限 {i.rectify_deadline:%Y-%m-%d}）"
            rows.append(
                [
                    str(i.order),
                    (i.note or i.text),
                    "重大" if i.is_major else "一般",
                    handling,
                    i.hazard.number if i.hazard_id else "—",
                ]
            )
        blocks.append(Table(["序号", "问题", "级别", "处理", "隐患编号"], rows))
    blocks.append(
        KeyValues(
            [
                ("检查人员签名", _signed(obj.inspector_signed_at)),
                (
                    "被检查单位签字",
                    (
                        _signed(obj.unit_signed_at, obj.unit_signer_name)
                        + ("（系统内确认）" if obj.unit_acknowledged_by_id else "")
                    ),
                ),
            ]
        )
    )
    issuer = obj.organisation.name if obj.organisation_id else obj.enterprise.name
    return OfficialDocument(
        issuer=issuer,
        title="现场检查记录",
        number=obj.number,
        blocks=blocks,
        signatures=["检查人员（签字）", "被检查单位现场负责人（签字）"],
        issued_on=obj.inspected_on,
        note="本记录一式两份，检查单位和被检查单位各执一份。",
    )
