"""Import of existing hazard ledgers (.xlsx) through core.importing: preview with row-level errors, then an
all-or-nothing commit. Each row becomes a hazard through services (numbers, history, scope), with source 台账导入.

Rows marked as rectified in the old ledger (整改情况 "已整改"/"已销号" or a 销号时间) are imported as closed, the
old reviewer and dates kept in the record's text: the history says "按原台账导入" so nobody mistakes them for a
re-inspection done in this system.
"""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.core.audit import record_action
from anjian.core.importing import ImportColumn, Importer, register
from anjian.core.scope import restrict

from .models import Grade, Hazard, Source, Status
from .workflow import can_register

GRADES = {
    "一般": Grade.GENERAL,
    "一般事故隐患": Grade.GENERAL,
    "一般隐患": Grade.GENERAL,
    "重大": Grade.MAJOR,
    "重大事故隐患": Grade.MAJOR,
    "重大隐患": Grade.MAJOR,
}
DONE_WORDS = ("已整改", "已销号", "整改完成", "已完成")


def parse_date(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValidationError("日期格式应为 2026-03-15。")


def parse_grade(text: str) -> str:
    if text.strip() not in GRADES:
        raise ValidationError("级别只能填写“一般”或“重大”。")
    return GRADES[text.strip()]


class HazardImportForm(forms.Form):
    external_ref = forms.CharField(max_length=60, required=False)
    enterprise = forms.CharField(max_length=200)
    description = forms.CharField()
    grade = forms.ChoiceField(choices=Grade.choices)
    major_clause = forms.CharField(required=False)
    found_on = forms.DateField()
    inspector_names = forms.CharField(max_length=200, required=False)
    measures = forms.CharField(required=False)
    responsible_person = forms.CharField(max_length=100, required=False)
    deadline = forms.DateField(required=False)
    rectification_note = forms.CharField(required=False)
    reviewer_name = forms.CharField(max_length=100, required=False)
    reviewed_on = forms.DateField(required=False)
    closed_on = forms.DateField(required=False)

    def __init__(self, *args, instance=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.user = user

    def has_changed(self):
        return True

    def clean_enterprise(self):
        from django.db.models import Q

        from anjian.registry.models import Enterprise

        value = self.cleaned_data["enterprise"].strip()
        matches = list(
            restrict(Enterprise.objects.filter(Q(name=value) | Q(credit_code=value)), self.user)[:2]
        )
        if not matches:
            raise ValidationError(f"找不到单位“{value}”（或不在您的数据范围内），请先在企业名录中登记。")
        if len(matches) > 1:
            raise ValidationError(f"单位“{value}”有重名，请改填统一社会信用代码。")
        return matches[0]

    def clean(self):
        data = super().clean()
        if self.instance is not None:
            raise ValidationError(f"原台账编号已导入（隐患编号 {self.instance.number}），请勿重复导入。")
        if data.get("grade") == Grade.MAJOR and not (data.get("major_clause") or "").strip():
            self.add_error("major_clause", "重大事故隐患须填写判定依据（判定标准及条款）。")
        enterprise = data.get("enterprise")
        if enterprise is not None:
            sectors = list(enterprise.sectors.all()[:2])
            reason = can_register(
                self.user, enterprise, sectors[0] if len(sectors) == 1 else None, Source.IMPORT
            )
            if reason:
                raise ValidationError(reason)
        return data


@register
class HazardImporter(Importer):
    key = "hazards"
    title = "隐患台账导入"
    permission = "hazards.import_hazard"
    form_class = HazardImportForm
    model = Hazard
    key_field = "external_ref"
    list_url = "hazards:hazard_list"
    columns = [
        ImportColumn("原编号", "external_ref", help="原台账中的编号，用于防止重复导入", example="2025-031"),
        ImportColumn(
            "单位", "enterprise", required=True, help="单位名称或统一社会信用代码", example="甲化工有限公司"
        ),
        ImportColumn("隐患描述", "description", required=True, example="储罐区静电接地线断开"),
        ImportColumn(
            "级别", "grade", required=True, choices=("一般", "重大"), parse=parse_grade, example="一般"
        ),
        ImportColumn("判定依据", "major_clause", help="重大隐患必填：判定标准及条款"),
        ImportColumn("发现时间", "found_on", required=True, parse=parse_date, example="2026-03-15"),
        ImportColumn("排查人", "inspector_names", example="张三、李四"),
        ImportColumn("整改措施", "measures", example="重新敷设接地线并检测"),
        ImportColumn("整改责任人", "responsible_person", example="王五"),
        ImportColumn("整改期限", "deadline", parse=parse_date, example="2026-03-30"),
        ImportColumn(
            "整改情况", "rectification_note", help="填“已整改”或“已销号”的按已销号导入", example="已整改"
        ),
        ImportColumn("复查人", "reviewer_name"),
        ImportColumn("复查时间", "reviewed_on", parse=parse_date),
        ImportColumn("销号时间", "closed_on", parse=parse_date),
    ]

    def find_existing(self, data):
        ref = data.get("external_ref")
        if not ref:
            return None
        return restrict(Hazard.objects.filter(external_ref=ref), self.user).first()

    def save_row(self, form):
        from .services import next_hazard_number

        data = form.cleaned_data
        enterprise = data["enterprise"]
        sectors = list(enterprise.sectors.all()[:2])
        note = (data.get("rectification_note") or "").strip()
        done = bool(data.get("closed_on")) or any(word in note for word in DONE_WORDS)
        with transaction.atomic():
            hazard = Hazard(
                number=next_hazard_number(data["found_on"].year),
                external_ref=data.get("external_ref") or "",
                enterprise=enterprise,
                territory_id=enterprise.territory_id,
                sector=sectors[0] if len(sectors) == 1 else None,
                description=data["description"],
                grade=data["grade"],
                major_clause=data.get("major_clause") or "",
                source=Source.IMPORT,
                found_on=data["found_on"],
                found_by=None,
                inspector_names=data.get("inspector_names") or "",
                measures=data.get("measures") or "",
                responsible_person=data.get("responsible_person") or "",
                deadline=data.get("deadline"),
                rectification_note=note,
                status=Status.CLOSED
                if done
                else (Status.RECTIFYING if data.get("measures") else Status.REGISTERED),
            )
            if done:
                closed = (
                    data.get("closed_on")
                    or data.get("reviewed_on")
                    or data.get("deadline")
                    or data["found_on"]
                )
                hazard.closed_at = timezone.make_aware(datetime.combine(closed, datetime.min.time()))
                reviewer = data.get("reviewer_name")
                if reviewer or data.get("reviewed_on"):
                    hazard.rectification_note = f"{note}（原台账复查人：{reviewer or '—'}，复查时间：{data.get('reviewed_on') or '—'}）"
            hazard.is_overdue = hazard.overdue_now()
            hazard.save()
            record_action(hazard, "hazard.registered", "按原台账导入" + ("（原台账已销号）" if done else ""))
        return hazard
