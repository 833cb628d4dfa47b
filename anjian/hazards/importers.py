"""Import of existing hazard ledgers (.xlsx) through core.importing: preview with row-level errors, then an
all-or-nothing commit. Each row becomes a hazard (numbers, history, scope), with source 台账导入.

Ledgers are read as offices keep them: their words for the columns (存在问题, 隐患级别, 检查时间 …), their
spellings of dates and grades, their words for the state of rectification. Rows marked as rectified in the old
ledger (整改情况 "已整改"/"已销号" or a 销号时间) are imported as closed, the old reviewer and dates kept in the
record's text: the history says "按原台账导入" so nobody mistakes them for a re-inspection done in this system.

A row already imported (same 原编号, or without one the same unit, date and description) is left as it is, so a
corrected file, or the same file twice, imports without duplicates.
"""

import contextlib
import re
import tempfile
from collections import Counter
from datetime import datetime, timedelta
from operator import attrgetter

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.core.audit import record_bulk_creation
from anjian.core.importing import (
    ImportColumn,
    Importer,
    normalise_header,
    normalise_text,
    parse_date,
    register,
)
from anjian.core.importing.bulk import insert_rows, unsaved_instance
from anjian.core.importing.checked import CheckedRowsWriter, read_checked_rows
from anjian.core.scope import restrict
from anjian.registry.importers import EnterpriseMatcher
from anjian.registry.models import Enterprise

from .models import Grade, Hazard, Source, Status
from .numbering import format_hazard_number, release_hazard_numbers, reserve_hazard_numbers
from .workflow import can_register

# 《安全生产事故隐患排查治理暂行规定》第三条: 事故隐患分为一般事故隐患和重大事故隐患 — nothing else.
GRADES = {
    "一般": Grade.GENERAL,
    "一般隐患": Grade.GENERAL,
    "一般事故隐患": Grade.GENERAL,
    "一般安全隐患": Grade.GENERAL,
    "一般问题": Grade.GENERAL,
    "一般级": Grade.GENERAL,
    "重大": Grade.MAJOR,
    "重大隐患": Grade.MAJOR,
    "重大事故隐患": Grade.MAJOR,
    "重大安全隐患": Grade.MAJOR,
    "重大级": Grade.MAJOR,
}
# Words of the 整改情况 column, most specific first ("未整改" contains "整改").
NOT_DONE_WORDS = ("未整改", "未完成", "待整改", "尚未整改", "没有整改", "未销号", "否")
IN_PROGRESS_WORDS = ("整改中", "正在整改", "部分整改", "限期整改", "督促整改", "跟踪整改")
DONE_WORDS = (
    "已整改",
    "已销号",
    "整改完成",
    "已完成",
    "完成整改",
    "整改到位",
    "已闭环",
    "已消除",
    "完成",
    "是",
)
PENDING_BASIS_NOTE = "重大隐患未填写判定依据，将按重大隐患导入并标记“待补充判定依据”。"


def parse_grade(text: str) -> str:
    key = normalise_header(text)
    if key in GRADES:
        return GRADES[key]
    if key.startswith("较大"):
        raise ValidationError(
            f"“{text}”不是隐患级别：事故隐患只分一般和重大（《安全生产事故隐患排查治理暂行规定》第三条），"
            "“较大”是事故或风险的等级。请改为“一般”或“重大”。"
        )
    if "风险" in key:
        raise ValidationError(f"“{text}”是风险等级，不是隐患级别。请改为“一般”或“重大”。")
    raise ValidationError(f"级别“{text}”无法识别：只能填写“一般”或“重大”（也可写一般隐患、重大事故隐患）。")


_DAYS = re.compile(r"^(\d{1,3})\s*(?:个)?(?:天|日|工作日)?(?:内)?$")
IMMEDIATE_WORDS = ("立即", "立行立改", "当场", "马上", "即查即改")


def parse_deadline(text: str):
    """整改期限 as ledgers write it: a date, a number of days after discovery ("7", "15天", "30日内"), or 立即 /
    当场 (the day it was found). Days are turned into a date once the discovery date is known (form.clean)."""
    value = normalise_text(text)
    match = _DAYS.match(value)
    if match:  # at most three digits: never an Excel serial
        return int(match.group(1))
    if any(value.startswith(word) for word in IMMEDIATE_WORDS):
        return 0
    return parse_date(text)


def rectification_state(note: str) -> str | None:
    """Status the old ledger's 整改情况 describes, or None when the words say nothing about it."""
    text = normalise_header(note)
    if not text:
        return None
    if any(word in text for word in NOT_DONE_WORDS):
        return Status.REGISTERED
    if any(word in text for word in IN_PROGRESS_WORDS):
        return Status.RECTIFYING
    if any(word in text for word in DONE_WORDS):
        return Status.CLOSED
    return None


class HazardImportForm(forms.Form):
    external_ref = forms.CharField(max_length=60, required=False)
    enterprise = forms.Field()  # an Enterprise, found by the importer's matcher
    description = forms.CharField()
    grade = forms.ChoiceField(choices=Grade.choices)
    major_clause = forms.CharField(required=False)
    found_on = forms.DateField()
    location = forms.CharField(max_length=200, required=False)
    inspector_names = forms.CharField(max_length=200, required=False)
    measures = forms.CharField(required=False)
    responsible_person = forms.CharField(max_length=100, required=False)
    deadline = forms.Field(required=False)  # a date, or days after found_on (parse_deadline)
    rectification_note = forms.CharField(required=False)
    reviewer_name = forms.CharField(max_length=100, required=False)
    reviewed_on = forms.DateField(required=False)
    closed_on = forms.DateField(required=False)

    def __init__(self, *args, instance=None, user=None, **kwargs):
        kwargs.setdefault("label_suffix", "")  # never rendered; spares a translation lookup per row
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.user = user

    def has_changed(self):
        return True

    def _clean_fields(self):
        """Django's field cleaning without building a BoundField per field and row: the data is a plain dict
        keyed by field name (no prefix, no files, no disabled fields), so each field cleans its own value, then
        its clean_<name> runs, exactly as Form._clean_fields does."""
        for name, field in self.fields.items():
            try:
                self.cleaned_data[name] = field.clean(self.data.get(name))
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as exc:
                self.add_error(name, exc)

    def clean_enterprise(self):
        value = self.cleaned_data["enterprise"]
        if not isinstance(value, Enterprise):
            raise ValidationError("请填写单位名称或统一社会信用代码。")
        return value

    def clean(self):
        data = super().clean()
        found_on, deadline = data.get("found_on"), data.get("deadline")
        if isinstance(deadline, int) and found_on:
            deadline = data["deadline"] = found_on + timedelta(days=deadline)
        elif deadline in ("", None) or isinstance(deadline, int):
            deadline = data["deadline"] = None
        if found_on and found_on > (self.today or timezone.localdate()):
            self.add_error("found_on", "发现时间不能晚于今天。")
        if found_on and deadline and deadline < found_on:
            self.add_error("deadline", "整改期限不能早于发现时间。")
        enterprise = data.get("enterprise")
        if enterprise is not None and self.instance is None:
            reason = self.register_refusal(enterprise)
            if reason:
                raise ValidationError(reason)
        return data

    # The same unit's rows get the same answer: asked once per unit (the importer shares the cache).
    reasons: dict | None = None
    today = None  # the importer's day, asked once for the whole file

    def register_refusal(self, enterprise):
        return registration_refusal(self.user, enterprise, self.reasons)


def registration_refusal(user, enterprise, reasons: dict | None = None) -> str | None:
    """Why `user` may not register this unit's hazards from a ledger (None when allowed); `reasons` caches the
    answer per unit."""
    if reasons is not None and enterprise.pk in reasons:
        return reasons[enterprise.pk]
    sectors = list(enterprise.sectors.all())[:2]
    reason = can_register(user, enterprise, sectors[0] if len(sectors) == 1 else None, Source.IMPORT)
    if reasons is not None:
        reasons[enterprise.pk] = reason
    return reason


class SharedFields(dict):
    """The import form's fields, shared by the forms of every row instead of deep-copied for each (Django copies
    them per form so a form may change its own; this one never does). Copying was half the time of checking a
    100,000-row ledger."""

    def __deepcopy__(self, memo):
        return self


HazardImportForm.base_fields = SharedFields(HazardImportForm.base_fields)


def natural_key(enterprise_pk, found_on, description: str) -> tuple:
    return (enterprise_pk, found_on, normalise_header(description))


@register
class HazardImporter(Importer):
    key = "hazards"
    title = "隐患台账导入"
    permission = "hazards.import_hazard"
    form_class = HazardImportForm
    model = Hazard
    key_field = "external_ref"
    key_label = "原编号（无编号时按单位、发现时间和隐患描述）"
    existing_label = "已导入，跳过"
    list_url = "hazards:hazard_list"

    def __init__(self, user):
        super().__init__(user)
        self.matcher = EnterpriseMatcher(user)
        self._existing_refs: dict[str, int] | None = None
        self._existing_keys: dict[tuple, int] | None = None
        self._reasons: dict[int, str | None] = {}
        self._today = timezone.localdate()
        self.columns = [
            ImportColumn(
                "原编号",
                "external_ref",
                help="原台账中的编号，用于防止重复导入",
                example="2025-031",
                synonyms=("隐患编号", "台账编号", "原台账编号"),
            ),
            ImportColumn(
                "单位",
                "enterprise",
                required=True,
                help="单位名称或统一社会信用代码",
                example="甲化工有限公司",
                parse=self.matcher.get,
                synonyms=(
                    "单位名称",
                    "企业名称",
                    "被检查单位",
                    "检查对象",
                    "隐患单位",
                    "生产经营单位",
                    "统一社会信用代码",
                ),
            ),
            ImportColumn(
                "隐患描述",
                "description",
                required=True,
                example="储罐区静电接地线断开",
                synonyms=(
                    "存在问题",
                    "存在的问题",
                    "隐患内容",
                    "问题描述",
                    "隐患情况",
                    "隐患问题",
                    "检查发现问题",
                    "发现问题",
                    "存在隐患",
                    "隐患名称",
                    "事故隐患",
                ),
            ),
            ImportColumn(
                "级别",
                "grade",
                required=True,
                choices=("一般", "重大"),
                parse=parse_grade,
                example="一般",
                synonyms=("隐患级别", "隐患等级", "等级", "隐患类型级别"),
            ),
            ImportColumn(
                "判定依据",
                "major_clause",
                help="重大隐患的判定标准及条款；旧台账未填的按重大导入并标记“待补充判定依据”",
                synonyms=("判定标准", "判定依据条款", "重大隐患判定依据", "依据"),
            ),
            ImportColumn(
                "发现时间",
                "found_on",
                required=True,
                parse=parse_date,
                example="2026-03-15",
                help="2024-03-06、2024.3.6、2024/03/06、2024年3月6日均可",
                synonyms=("检查时间", "检查日期", "排查时间", "排查日期", "发现日期", "登记时间", "日期"),
            ),
            ImportColumn("隐患部位", "location", synonyms=("部位", "隐患位置", "位置", "具体部位")),
            ImportColumn(
                "排查人",
                "inspector_names",
                example="张三、李四",
                synonyms=("检查人员", "检查人", "排查人员", "检查组成员", "发现人"),
            ),
            ImportColumn(
                "整改措施",
                "measures",
                example="重新敷设接地线并检测",
                synonyms=("整改要求", "整改意见", "措施"),
            ),
            ImportColumn(
                "整改责任人",
                "responsible_person",
                example="王五",
                synonyms=("责任人", "整改负责人", "单位责任人"),
            ),
            ImportColumn(
                "整改期限",
                "deadline",
                parse=parse_deadline,
                example="2026-03-30",
                help="日期，或发现后的天数（如 15、15天、30日内），或“立即”",
                synonyms=("整改时限", "整改期限日期", "限期", "整改截止时间", "完成时限"),
            ),
            ImportColumn(
                "整改情况",
                "rectification_note",
                help="已整改/已销号按已销号导入；整改中按整改中；未整改按已登记",
                example="已整改",
                synonyms=("整改状态", "整改进度", "是否整改", "整改完成情况", "整改结果", "完成情况"),
            ),
            ImportColumn("复查人", "reviewer_name", synonyms=("验收人", "复查人员", "复核人")),
            ImportColumn(
                "复查时间", "reviewed_on", parse=parse_date, synonyms=("验收时间", "复查日期", "复核时间")
            ),
            ImportColumn(
                "销号时间", "closed_on", parse=parse_date, synonyms=("销号日期", "完成时间", "整改完成时间")
            ),
        ]

    # --- lookups in a few queries per chunk of rows -------------------------------------------------------
    def prefetch(self, rows):
        """For one chunk: its units (one query, with their sectors), the hazards already stored under its 原编号
        (one query), and under its units and dates (one query) for rows without a 原编号."""
        refs = {str(v).strip() for row in rows if (v := row.get("原编号")) not in (None, "")}
        self._existing_refs = dict(
            restrict(Hazard.objects.filter(external_ref__in=refs), self.user).values_list(
                "external_ref", "pk"
            )
        )
        pks, days = set(), set()
        for row in rows:
            text = row.get("单位")
            if text not in (None, ""):
                with contextlib.suppress(ValidationError):
                    pks.add(self.matcher.resolve(str(text).strip()))
            if row.get("原编号") in (None, "") and row.get("发现时间") not in (None, ""):
                with contextlib.suppress(ValidationError):
                    days.add(parse_date(row["发现时间"]))
        self.matcher.objects(pks)
        self._existing_keys = {}
        if pks and days:
            existing = restrict(Hazard.objects.filter(enterprise_id__in=pks, found_on__in=days), self.user)
            for pk, enterprise_id, found_on, description in existing.values_list(
                "pk", "enterprise_id", "found_on", "description"
            ).iterator():
                self._existing_keys[natural_key(enterprise_id, found_on, description)] = pk

    def find_existing(self, data):
        ref = data.get("external_ref")
        if ref:
            if self._existing_refs is not None:
                pk = self._existing_refs.get(ref)
                return Hazard(pk=pk) if pk else None
            return restrict(Hazard.objects.filter(external_ref=ref), self.user).first()
        enterprise, found_on = data.get("enterprise"), data.get("found_on")
        if not (enterprise and found_on and data.get("description")):
            return None
        key = natural_key(enterprise.pk, found_on, data["description"])
        if self._existing_keys is not None:
            pk = self._existing_keys.get(key)
            return Hazard(pk=pk) if pk else None
        for hazard in restrict(Hazard.objects.filter(enterprise=enterprise, found_on=found_on), self.user):
            if natural_key(hazard.enterprise_id, hazard.found_on, hazard.description) == key:
                return hazard
        return None

    def make_form(self, data, existing):
        form = super().make_form(data, existing)
        form.reasons = self._reasons
        form.today = self._today
        self._last_form = form
        return form

    def skip_existing(self, existing) -> bool:
        return True

    def row_key(self, row):
        data = row.values
        if data.get("external_ref"):
            return data["external_ref"]
        if data.get("enterprise") and data.get("found_on") and data.get("description"):
            return natural_key(data["enterprise"].pk, data["found_on"], data["description"])
        return None

    def confirmations(self):
        return list(self.matcher.confirmations.values())

    def validate_row(self, number, values):
        self._last_form = None
        row = super().validate_row(number, values)
        if not row.errors and self._last_form is not None:
            # What the form made of the values (a deadline in days becomes a date) is what the commit stores.
            row.values.update(self._last_form.cleaned_data)
        data = row.values
        if not row.errors and data.get("grade") == Grade.MAJOR and not data.get("major_clause"):
            row.notes.append(PENDING_BASIS_NOTE)
        return row

    # --- commit: the checked rows, numbers, bulk insert -----------------------------------------------------
    keeps_checked_rows = True

    def checked_row(self, row) -> tuple:
        return compact_row(row.values)

    def commit(self, file, progress=None) -> dict:
        """Check every row with the preview's rules, keeping the new ones in a temporary file, then save them as
        commit_checked does. (A batch the preview already checked goes to commit_checked directly.)"""
        rows = [0]

        def checking(done, estimate):
            if progress:
                progress(done // 2, estimate)  # checking is the first half of the work

        def saving(done, total):
            if progress:
                progress(rows[0] // 2 + done * (rows[0] - rows[0] // 2) // max(1, total), rows[0])

        with tempfile.TemporaryFile() as kept:
            result = self.parse(file, checking, keep=kept)
            errors = result.error_count
            if result.unknown_headers or errors or not result.total:
                return {"created": 0, "updated": 0, "unchanged": 0, "errors": max(1, errors)}
            rows[0] = result.total
            kept.seek(0)
            counts = self.commit_checked(kept, saving)
        counts["unchanged"] += result.existing
        return counts

    def commit_checked(self, source, progress=None) -> dict:
        """All or nothing, from the rows the preview checked: (1) skip the rows stored by someone else since the
        preview (same 原编号 or unit, date and description) and check the units again (still in scope, still
        registrable by this user); (2) take the hazard numbers of each year in one short transaction; (3) insert
        the rows in chunks with their audit entries and summary counts, in one transaction. Other users'
        registrations wait for the counter at most during step 2."""
        counts = {"created": 0, "updated": 0, "unchanged": 0, "errors": 0}
        years: Counter = Counter()
        units: set[int] = set()
        with tempfile.TemporaryFile() as fresh:
            writer = CheckedRowsWriter(fresh)
            for rows in read_checked_rows(source, DATE_POSITIONS):
                new = self.still_new(rows)
                counts["unchanged"] += len(rows) - len(new)
                for row in new:
                    writer.add(row)
                    years[row[FOUND_ON].year] += 1
                    units.add(row[ENTERPRISE])
            writer.close()
            refusal = self.units_refusal(units)
            if refusal:
                return {**counts, "errors": writer.rows, "failure": refusal}
            if not writer.rows:
                return counts
            blocks = {year: reserve_hazard_numbers(year, count) for year, count in sorted(years.items())}
            try:
                fresh.seek(0)
                counts["created"] = self.insert(fresh, blocks, progress)
            except BaseException:
                for year, numbers in blocks.items():
                    release_hazard_numbers(year, numbers)
                raise
        return counts

    def still_new(self, rows: list[list]) -> list[list]:
        """The rows of a chunk no hazard in the user's scope matches yet (two queries, as prefetch)."""
        refs = {row[EXTERNAL_REF] for row in rows if row[EXTERNAL_REF]}
        stored_refs = set()
        if refs:
            stored_refs = set(
                restrict(Hazard.objects.filter(external_ref__in=refs), self.user).values_list(
                    "external_ref", flat=True
                )
            )
        plain = [row for row in rows if not row[EXTERNAL_REF]]
        stored_keys = set()
        if plain:
            stored = restrict(
                Hazard.objects.filter(
                    enterprise_id__in={row[ENTERPRISE] for row in plain},
                    found_on__in={row[FOUND_ON] for row in plain},
                ),
                self.user,
            )
            stored_keys = {
                natural_key(*values)
                for values in stored.values_list("enterprise_id", "found_on", "description").iterator()
            }
        return [
            row
            for row in rows
            if (
                row[EXTERNAL_REF] not in stored_refs
                if row[EXTERNAL_REF]
                else natural_key(row[ENTERPRISE], row[FOUND_ON], row[DESCRIPTION]) not in stored_keys
            )
        ]

    def units_refusal(self, pks: set[int]) -> str:
        """Why the rows of these units cannot be saved now (a unit gone or out of scope, or the user no longer
        allowed to register its hazards), or "" — checked once per unit, not per row."""
        in_scope = set(
            restrict(Enterprise.objects.filter(pk__in=pks), self.user).values_list("pk", flat=True)
        )
        enterprises = self.matcher.objects(pks & in_scope)
        for pk in sorted(pks):
            enterprise = enterprises.get(pk)
            if pk not in in_scope or enterprise is None:
                return "预览后，表中有单位已删除或已不在您的数据范围内，未导入任何数据。请重新上传。"
            reason = registration_refusal(self.user, enterprise, self._reasons)
            if reason:
                return f"预览后情况有变（单位“{enterprise.name}”）：{reason}未导入任何数据。"
        return ""

    def insert(self, rows_file, blocks: dict[int, range], progress=None) -> int:
        from anjian.stats.counts import HAZARD_KEY_COLUMNS, record_new_hazard_columns

        numbers = {year: iter(block) for year, block in blocks.items()}
        new_rows = max(1, sum(len(block) for block in blocks.values()))
        created = 0
        key_columns = Counter()
        columns_of = attrgetter(*HAZARD_KEY_COLUMNS)
        # One hazard per (unit, territory, sector): the scope of a hazard is decided by these columns only.
        samples: dict[tuple, int] = {}
        with transaction.atomic():
            for rows in read_checked_rows(rows_file, DATE_POSITIONS):
                hazards = insert_rows(Hazard, self.build_hazards(rows, numbers))
                for hazard in hazards:
                    samples.setdefault(
                        (hazard.enterprise_id, hazard.territory_path, hazard.sector_id), hazard.pk
                    )
                record_bulk_creation(hazards, {"hazard.registered": [registered_message(h) for h in hazards]})
                key_columns.update(map(columns_of, hazards))
                created += len(hazards)
                if progress:
                    progress(created, new_rows)
            # Scope checked again after the write (as Importer.after_save does row by row).
            stored = restrict(Hazard.objects.filter(pk__in=samples.values()), self.user).count()
            if stored != len(samples):
                raise PermissionDenied("导入的隐患超出了您的数据范围。")
            # Counted once, at the end: the summary-count rows stay locked only from here to the commit, so a
            # registration by another user is not held up for the length of the import.
            record_new_hazard_columns(key_columns)
        return created

    def build_hazards(self, rows: list, numbers: dict) -> list[Hazard]:
        """Hazards of a chunk of compact rows, with the fields a registration sets (as services.register_hazard
        does, with source 台账导入). Built without Model.__init__ (bulk.unsaved_instance): at this scale Django's
        constructor costs more than the insert itself."""
        fields = Hazard._meta.concrete_fields
        defaults = {f.attname: f.get_default() for f in fields}  # registered_at: one moment for the chunk
        today = timezone.localdate()
        enterprises = self.matcher.objects({values[ENTERPRISE] for values in rows})
        sectors_of = {pk: list(enterprises[pk].sectors.all())[:2] for pk in {row[ENTERPRISE] for row in rows}}
        hazards = []
        for values in rows:
            data = dict(zip(COMPACT_FIELDS, values, strict=True))
            enterprise = enterprises[data["enterprise"]]
            sectors = sectors_of[enterprise.pk]
            note = (data.get("rectification_note") or "").strip()
            state = Status.CLOSED if data.get("closed_on") else rectification_state(note)
            if state is None:
                state = Status.RECTIFYING if data.get("measures") else Status.REGISTERED
            major_clause = (data.get("major_clause") or "").strip()
            year = data["found_on"].year
            attrs = {
                **defaults,
                "number": format_hazard_number(year, next(numbers[year])),
                "external_ref": data.get("external_ref") or "",
                "enterprise_id": enterprise.pk,
                "territory_id": enterprise.territory_id,
                "territory_path": enterprise.territory.path,
                "sector_id": sectors[0].pk if len(sectors) == 1 else None,
                "location": data.get("location") or "",
                "description": data["description"],
                "grade": data["grade"],
                "major_clause": major_clause,
                "major_basis_pending": data["grade"] == Grade.MAJOR and not major_clause,
                "source": Source.IMPORT,
                "found_on": data["found_on"],
                "inspector_names": data.get("inspector_names") or "",
                "measures": data.get("measures") or "",
                "responsible_person": data.get("responsible_person") or "",
                "deadline": data.get("deadline"),
                "rectification_note": note,
                "status": state,
            }
            if state == Status.CLOSED:
                closed = (
                    data.get("closed_on")
                    or data.get("reviewed_on")
                    or data.get("deadline")
                    or data["found_on"]
                )
                attrs["closed_at"] = timezone.make_aware(datetime.combine(closed, datetime.min.time()))
                reviewer = data.get("reviewer_name")
                if reviewer or data.get("reviewed_on"):
                    attrs["rectification_note"] = (
                        f"{note}（原台账复查人：{reviewer or '—'}，复查时间：{data.get('reviewed_on') or '—'}）"
                    )
            hazard = unsaved_instance(Hazard, attrs)
            hazard.is_overdue = hazard.overdue_now(today)
            hazards.append(hazard)
        return hazards


# What the commit keeps of a validated row between checking and inserting (the unit as its pk).
COMPACT_FIELDS = (
    "external_ref",
    "enterprise",
    "description",
    "grade",
    "major_clause",
    "found_on",
    "location",
    "inspector_names",
    "measures",
    "responsible_person",
    "deadline",
    "rectification_note",
    "reviewer_name",
    "reviewed_on",
    "closed_on",
)


EXTERNAL_REF, ENTERPRISE, DESCRIPTION, FOUND_ON = (
    COMPACT_FIELDS.index(name) for name in ("external_ref", "enterprise", "description", "found_on")
)
DATE_POSITIONS = tuple(
    COMPACT_FIELDS.index(name) for name in ("found_on", "deadline", "reviewed_on", "closed_on")
)


def compact_row(data: dict) -> tuple:
    return tuple(data["enterprise"].pk if name == "enterprise" else data.get(name) for name in COMPACT_FIELDS)


def registered_message(hazard) -> str:
    text = "按原台账导入" + ("（原台账已销号）" if hazard.status == Status.CLOSED else "")
    if hazard.major_basis_pending:
        text += "；原台账未填判定依据，待补充判定依据"
    return text
