"""市级核查: the city re-checks a random sample of the closures (销号) made in its counties.

The fourth step of the chain 企业自查 → 镇办巡查 → 县级排查 → 市级核查. A city 安委办 user draws a sample (a
percentage or a number of the hazards closed in a period, with a recorded seed, so anyone can repeat the draw),
checks each sampled hazard (属实 / 不属实 with an opinion, photos optional) and reopens a closure that does not hold
through `services.reopen_hazard`, the 核查 being the reason. The draw, every verdict and every reopening are
written to the audit trail, on the sample, the item and the hazard (whose history the county reads).
"""

import hashlib
import math
import os
import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from anjian.core.audit import record_action
from anjian.core.documents import format_document_number, next_document_number
from anjian.core.models import TERRITORY_LEVEL, Territory, TerritoryKind
from anjian.core.roles import Role
from anjian.core.scope import restrict

from . import services
from .models import (
    Hazard,
    SampleMethod,
    Status,
    Verdict,
    VerificationItem,
    VerificationPhoto,
    VerificationSample,
)
from .workflow import TransitionRefused

ACTION_LABELS = {
    "verification.sample_drawn": "抽取市级核查样本",
    "verification.checked": "市级核查",
    "verification.reopened": "核查不属实，重新打开隐患",
    "hazard.verified": "市级核查",
}

NUMBER_SERIES = "hazards.verification"
CITY_LEVEL = TERRITORY_LEVEL[TerritoryKind.CITY]
# A sample larger than this is not a sample a city office can check by hand; the draw asks for a smaller one.
MAX_SAMPLE = 2000


@dataclass(frozen=True)
class Progress:
    total: int
    pending: int
    holds: int
    fails: int
    reopened: int

    @property
    def checked(self) -> int:
        return self.holds + self.fails

    @property
    def percent(self) -> int:
        return round(self.checked * 100 / self.total) if self.total else 0


def refusal_to_draw(user) -> str | None:
    """Why `user` may not draw a sample (None when allowed): the city 安委办 runs 市级核查."""
    if user.role != Role.OFFICE:
        return "只有市级安委办工作人员可以抽取核查样本。"
    if not user.territory_id or TERRITORY_LEVEL[user.territory.kind] != CITY_LEVEL:
        return "市级核查由市级安委办组织，您所在的区划不是地级市。"
    return None


def population(city: Territory, start: date, end: date, county: Territory | None = None):
    """The hazards closed (销号) in the city's counties between `start` and `end` (inclusive) and still closed."""
    root = county or city
    start_at = timezone.make_aware(datetime.combine(start, time.min))
    end_at = timezone.make_aware(datetime.combine(end, time.max))
    return Hazard.objects.filter(
        territory_path__startswith=root.path,
        status=Status.CLOSED,
        closed_at__gte=start_at,
        closed_at__lte=end_at,
    )


def sample_size(method: str, value: int, total: int) -> int:
    """How many to draw: a percentage rounds up (5 % of 21 closures is 2), a number is capped at the total."""
    if total == 0:
        return 0
    if method == SampleMethod.PERCENT:
        return min(total, math.ceil(total * value / 100))
    return min(total, value)


def draw_ids(ids: list[int], size: int, seed: int) -> list[int]:
    """The reproducible draw: the population sorted by id, sampled by Python's Mersenne Twister from `seed`."""
    return sorted(random.Random(seed).sample(sorted(ids), size))


def digest(ids: list[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode()).hexdigest()


def _validate_draw(actor, start, end, method, value, county, seed):
    reason = refusal_to_draw(actor)
    if reason:
        raise TransitionRefused(reason)
    errors = {}
    if not start or not end:
        errors["period_start"] = "请填写销号时间范围。"
    elif start > end:
        errors["period_end"] = "结束日期不能早于开始日期。"
    elif end > timezone.localdate():
        errors["period_end"] = "结束日期不能晚于今天。"
    if method not in SampleMethod.values:
        errors["method"] = "请选择按比例或按数量抽取。"
    elif method == SampleMethod.PERCENT and not (value and 1 <= value <= 100):
        errors["size_value"] = "抽取比例应为 1 至 100 之间的整数。"
    elif method == SampleMethod.COUNT and not (value and 1 <= value <= MAX_SAMPLE):
        errors["size_value"] = f"抽取数量应为 1 至 {MAX_SAMPLE} 之间的整数。"
    if county is not None and (
        county.kind != TerritoryKind.COUNTY or not county.path.startswith(actor.territory.path)
    ):
        errors["county"] = "所选县（区）不属于本市。"
    if seed is not None and not 0 <= seed < 2**62:
        errors["seed"] = "随机种子应为非负整数。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def draw_sample(
    *,
    actor,
    period_start: date,
    period_end: date,
    method: str,
    value: int,
    seed: int | None = None,
    county: Territory | None = None,
    note: str = "",
) -> VerificationSample:
    """Draw a 市级核查 sample of the closures in the actor's city (or one of its counties) in the period.

    Without a seed a random one is chosen; it is stored with the population's size and SHA-256 digest, so the
    draw can be repeated (`repeat_draw`). Raises TransitionRefused (not allowed) or ValidationError (bad input).
    """
    _validate_draw(actor, period_start, period_end, method, value, county, seed)
    city = actor.territory
    ids = list(population(city, period_start, period_end, county).values_list("pk", flat=True))
    if not ids:
        raise ValidationError({"period_start": "该时间范围内没有已销号的隐患，无法抽取。"})
    size = sample_size(method, value, len(ids))
    if size > MAX_SAMPLE:
        raise ValidationError({"size_value": f"按此比例将抽取 {size} 项，超过 {MAX_SAMPLE} 项，请降低比例。"})
    seed = secrets.randbelow(2**31) if seed is None else seed
    chosen = draw_ids(ids, size, seed)
    year = timezone.localdate().year
    sample = VerificationSample.objects.create(
        territory=city,
        county=county,
        number=format_document_number("市级核查", year, next_document_number(NUMBER_SERIES, year)),
        period_start=period_start,
        period_end=period_end,
        method=method,
        size_value=value,
        seed=seed,
        population=len(ids),
        population_digest=digest(ids),
        drawn_by=actor,
        note=(note or "").strip(),
    )
    hazards = Hazard.objects.filter(pk__in=chosen).order_by("pk")
    VerificationItem.objects.bulk_create(
        VerificationItem(
            sample=sample,
            hazard=h,
            territory_id=h.territory_id,
            territory_path=h.territory_path,
            closed_at=h.closed_at,
            closed_by_id=h.closed_by_id,
        )
        for h in hazards
    )
    how = f"{value}%" if method == SampleMethod.PERCENT else f"{value} 项"
    record_action(
        sample,
        "verification.sample_drawn",
        f"{period_start}至{period_end}销号隐患 {len(ids)} 项，{SampleMethod(method).label}（{how}）抽取 {size} 项，"
        f"随机种子 {seed}",
        changes={"抽取隐患": [None, [h.number for h in hazards]]},
        actor=actor,
    )
    return sample


def repeat_draw(sample: VerificationSample) -> list[int]:
    """The hazard ids the recorded seed draws from the recorded population. Raises ValueError when the
    population has changed since (e.g. a closure was reopened), so the draw cannot be repeated as it was."""
    ids = list(
        population(sample.territory, sample.period_start, sample.period_end, sample.county).values_list(
            "pk", flat=True
        )
    )
    ids += list(
        sample.items.filter(reopened_at__isnull=False).values_list("hazard_id", flat=True)
    )  # reopened by this very 核查: still part of the population it was drawn from
    ids = sorted(set(ids))
    if digest(ids) != sample.population_digest:
        raise ValueError("期内销号隐患已发生变化，无法按原样重复抽取。")
    return draw_ids(ids, sample_size(sample.method, sample.size_value, len(ids)), sample.seed)


PROGRESS = {
    "total": Count("items"),
    "pending": Count("items", filter=Q(items__verdict=Verdict.PENDING)),
    "holds": Count("items", filter=Q(items__verdict=Verdict.HOLDS)),
    "fails": Count("items", filter=Q(items__verdict=Verdict.FAILS)),
    "reopened": Count("items", filter=Q(items__reopened_at__isnull=False)),
}


def progress(sample: VerificationSample) -> Progress:
    return Progress(**VerificationSample.objects.filter(pk=sample.pk).aggregate(**PROGRESS))


def samples_with_progress(user, limit: int = 50) -> list[tuple[VerificationSample, Progress]]:
    """The user's samples, newest first, each with its progress (one grouped query)."""
    samples = samples_for(user).annotate(**{f"n_{k}": v for k, v in PROGRESS.items()})[:limit]
    return [(s, Progress(**{k: getattr(s, f"n_{k}") for k in PROGRESS})) for s in samples]


def _organised_by(user, sample: VerificationSample) -> bool:
    # The city office that drew the sample checks it: not a county office below, nor the province above.
    return user.role == Role.OFFICE and user.territory_id == sample.territory_id


def refusal_to_check(item: VerificationItem, user) -> str | None:
    """Why `user` may not record the 核查 of `item` (None when allowed): the city office that drew the sample."""
    if not _organised_by(user, item.sample):
        return "只有组织本次核查的市级安委办工作人员可以填写核查结论。"
    if item.verdict != Verdict.PENDING:
        return f"该隐患已核查（{item.get_verdict_display()}），核查结论不能更改。"
    return None


@transaction.atomic
def record_verdict(
    item: VerificationItem, *, actor, holds: bool, opinion: str, photos=(), reopen: bool = False
) -> VerificationItem:
    """Record the 核查 of one sampled closure: 属实 (the closure holds) or 不属实 (with the opinion saying why).

    With `reopen=True` a 不属实 closure is reopened at once (`reopen_closure`). Photos are optional evidence.
    """
    photos = list(photos)
    for upload in photos:
        services.validate_photo(upload)
    item = VerificationItem.objects.select_for_update().select_related("sample", "hazard").get(pk=item.pk)
    reason = refusal_to_check(item, actor)
    if reason:
        raise TransitionRefused(reason)
    opinion = (opinion or "").strip()
    if not opinion and not holds:
        raise ValidationError({"opinion": "核查不属实时须填写核查意见，说明哪些方面未整改到位。"})
    if reopen and holds:
        raise ValidationError({"reopen": "核查属实的隐患无需重新打开。"})
    item.verdict = Verdict.HOLDS if holds else Verdict.FAILS
    item.opinion = opinion or "经核查，隐患整改销号属实。"
    item.checked_by = actor
    item.checked_at = timezone.now()
    item.save()
    for upload in photos:
        VerificationPhoto.objects.create(
            item=item, file=upload, original_name=os.path.basename(upload.name)[:200], uploaded_by=actor
        )
    message = f"{item.sample.number}：{item.get_verdict_display()}。{item.opinion}"
    record_action(item, "verification.checked", message, actor=actor)
    record_action(item.hazard, "hazard.verified", message, actor=actor)
    if reopen:
        reopen_closure(item, actor=actor)
    return item


@transaction.atomic
def reopen_closure(item: VerificationItem, *, actor) -> Hazard:
    """Reopen a closure the 核查 found not to hold, through the hazard services (the 核查 is the reason)."""
    item = VerificationItem.objects.select_for_update().select_related("sample", "hazard").get(pk=item.pk)
    if not _organised_by(actor, item.sample):
        raise TransitionRefused("只有组织本次核查的市级安委办工作人员可以重新打开隐患。")
    if item.verdict != Verdict.FAILS:
        raise TransitionRefused("只有核查不属实的隐患可以重新打开。")
    if item.reopened_at is not None:
        raise TransitionRefused("该隐患已因本次核查重新打开。")
    if item.hazard.status != Status.CLOSED:
        raise TransitionRefused(f"隐患当前状态为“{item.hazard.get_status_display()}”，无需重新打开。")
    hazard = services.reopen_hazard(
        item.hazard, actor=actor, reason=f"市级核查不属实（{item.sample.number}）：{item.opinion}"
    )
    item.reopened_at = timezone.now()
    item.save()
    record_action(item, "verification.reopened", f"隐患 {hazard.number} 已重新打开", actor=actor)
    return hazard


def samples_for(user):
    return restrict(VerificationSample.objects.all(), user).select_related("territory", "county", "drawn_by")


def items_for(user):
    """Verdicts the user may see: the city sees its samples; a county or town sees those on its own hazards."""
    return restrict(VerificationItem.objects.all(), user).select_related(
        "sample", "hazard", "hazard__enterprise", "territory", "checked_by"
    )


def latest_for_hazard(hazard, user) -> list[VerificationItem]:
    return list(items_for(user).filter(hazard=hazard).exclude(verdict=Verdict.PENDING).order_by("-id")[:5])
