"""Maintaining the 重大事故隐患判定标准 catalogue: the only functions that change standards and clauses.

Clauses are never edited in place once published: a revision adds the next version of the clause (same code) and
retires the old row, so a hazard keeps pointing at the words it was judged under (rules.md §2). Each operation
writes a named audit action beside the automatic field changes.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from anjian.core.audit import record_action, register_actions

from ..models import HazardStandard, MajorHazardCriterion, StandardStatus

register_actions(
    {
        "criterion.revised": "修订判定条款",
        "criterion.added": "新增判定条款",
        "standard.added": "新增判定标准",
        "standard.superseded": "判定标准废止",
    }
)

REVISABLE = ("clause", "text", "confidence", "is_summary", "examples", "sector")


def search(queryset, q="", standard=None, sector=None, confidence="", include_retired=False):
    """The clauses matching the catalogue page's filters (text, standard, sector, confidence)."""
    if not include_retired:
        queryset = queryset.filter(is_active=True)
    if q:
        queryset = queryset.filter(
            Q(text__icontains=q) | Q(code__icontains=q) | Q(clause__icontains=q) | Q(standard__icontains=q)
        )
    if standard is not None:
        queryset = queryset.filter(standard_ref=standard)
    if sector is not None:
        # The clause's own sector: 尾矿库 lists the tailings items of FM-2022-88, not its underground-mine ones.
        queryset = queryset.filter(sector=sector)
    if confidence:
        queryset = queryset.filter(confidence=confidence)
    return queryset


@transaction.atomic
def revise_clause(current: MajorHazardCriterion, actor, reason: str = "", **changes) -> MajorHazardCriterion:
    """Publish a new version of the clause `current` with `changes`; the old version is retired (kept for its
    hazards). Returns the new version, or the clause itself when nothing changed.
    """
    clause = MajorHazardCriterion.objects.select_for_update().get(pk=current.pk)
    if not clause.is_active:
        raise ValidationError("该条款已有新版本，请修订现行版本。")
    unknown = set(changes) - set(REVISABLE)
    if unknown:
        raise ValueError(f"not revisable: {sorted(unknown)}")
    diff = {}
    for name, value in changes.items():
        old = getattr(clause, name)
        if old != value:
            diff[name] = [str(old) if name == "sector" else old, str(value) if name == "sector" else value]
    if not diff:
        return clause
    if not (changes.get("text", clause.text) or "").strip():
        raise ValidationError({"text": "请填写条款内容。"})
    clause.is_active = False
    clause.save(update_fields=["is_active"])
    new = MajorHazardCriterion.objects.get(pk=clause.pk)
    new.pk = None
    new.version = clause.version + 1
    new.is_active = True
    new.replaced_by = None
    for name, value in changes.items():
        setattr(new, name, value)
    new.save()
    MajorHazardCriterion.objects.filter(pk=clause.pk).update(replaced_by=new)
    record_action(
        new,
        "criterion.revised",
        message=f"{new.code} 第{clause.version}版 → 第{new.version}版" + (f"：{reason}" if reason else ""),
        changes=diff,
        actor=actor,
    )
    return new


@transaction.atomic
def add_clause(standard: HazardStandard, actor, **fields) -> MajorHazardCriterion:
    code = fields.get("code", "").strip()
    if not code:
        raise ValidationError({"code": "请填写条款代码。"})
    if MajorHazardCriterion.objects.filter(code=code).exists():
        raise ValidationError({"code": "条款代码已存在；条款代码一经使用不得重复。"})
    last = standard.clauses.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    clause = MajorHazardCriterion.objects.create(
        standard_ref=standard,
        standard=standard.title,
        document_no=standard.document_no[:120],
        sort_order=last + 1,
        **fields,
    )
    record_action(clause, "criterion.added", message=f"{clause.code} {clause.clause}", actor=actor)
    return clause


@transaction.atomic
def add_standard(actor, sectors=(), **fields) -> HazardStandard:
    standard = HazardStandard(**fields)
    standard.full_clean()
    standard.save()
    standard.sectors.set(sectors)
    record_action(standard, "standard.added", message=standard.title, actor=actor)
    return standard


@transaction.atomic
def mark_superseded(standard: HazardStandard, actor, superseded_by=None, note="") -> HazardStandard:
    """已废止: the standard stays in the catalogue (old hazards cite it); its clauses rank after current ones."""
    standard = HazardStandard.objects.select_for_update().get(pk=standard.pk)
    if standard.status == StandardStatus.SUPERSEDED:
        raise ValidationError("该标准已标记为已废止。")
    if superseded_by is not None and superseded_by.pk == standard.pk:
        raise ValidationError({"superseded_by": "不能由自身替代。"})
    standard.status = StandardStatus.SUPERSEDED
    standard.superseded_by = superseded_by
    if note:
        standard.status_note = note
    standard.save()
    record_action(
        standard,
        "standard.superseded",
        message=f"{standard.title} 已废止" + (f"，由{superseded_by}替代" if superseded_by else ""),
        actor=actor,
    )
    return standard


def versions(clause: MajorHazardCriterion):
    """Every version of a clause, newest first."""
    if not clause.code:
        return MajorHazardCriterion.objects.filter(pk=clause.pk)
    return MajorHazardCriterion.objects.filter(code=clause.code).order_by("-version")
