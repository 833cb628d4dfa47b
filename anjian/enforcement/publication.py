"""行政处罚信息公示 (LAW-15): prepared when a case is decided, published within 7 working days, taken down with a
reason when the decision is revoked or re-made. The deadline is a deadline-engine item (enforcement.deadlines)."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.core.audit import record_action
from anjian.core.permissions import has_perm
from anjian.core.scope import ensure_in_scope

from . import rules
from .models import (
    Case,
    CaseDocument,
    DocumentKind,
    MeasureStatus,
    PartyKind,
    PenaltyPublication,
    PublicationStatus,
)

DECISION_KINDS = (DocumentKind.DECISION_UNIT, DocumentKind.DECISION_PERSON)


def prepare(case: Case, calendar: rules.WorkCalendar) -> PenaltyPublication:
    """Called inside the decision's transaction: the publication is owed from the decision day."""
    publication, _ = PenaltyPublication.objects.update_or_create(
        case=case,
        defaults={
            "territory_path": case.territory_path,
            "sector_id": case.sector_id,
            "status": PublicationStatus.PENDING,
            "decided_on": case.decided_on,
            "due_on": rules.publication_deadline(case.decided_on, calendar),
        },
    )
    return publication


def _persons(case: Case) -> list[str]:
    # 责任人员: one person per line, "姓名、职务、身份证号或联系方式" — the name is the first item.
    names = [
        re.split(r"[、，,；;：:\s（(]", line.strip(), maxsplit=1)[0]
        for line in (case.responsible_persons or "").splitlines()
    ]
    if case.party_kind == PartyKind.PERSON:
        names.append(case.party_name)
    return [n.strip() for n in names if n and n.strip()]


def snapshot(case: Case) -> dict:
    """What the public page shows, redacted by rule (rules.redact)."""
    persons = _persons(case)
    if case.party_kind == PartyKind.PERSON:
        party, credit_code = rules.masked_person_name(case.party_name), ""
    else:
        party = case.party_display
        credit_code = case.enterprise.credit_code if case.enterprise_id else ""
    measures = [m for m in case.measures.all() if m.status != MeasureStatus.CANCELLED]
    provisions = {m.provision for m in measures if m.provision_id} | set(case.provisions.all())
    decision = (
        CaseDocument.objects.filter(case=case, kind__in=DECISION_KINDS).order_by("-issued_on", "-id").first()
    )
    return {
        "document_number": decision.number if decision else "",
        "party": party,
        "credit_code": credit_code,
        "violation": rules.redact(case.facts, persons),
        "basis": "；".join(sorted(f"{p.law}{p.article}" for p in provisions)),
        "penalty": rules.redact("；".join(str(m) for m in measures), persons),
        "authority": case.organisation.name,
    }


def refusal_to_publish(publication: PenaltyPublication) -> str | None:
    if publication.status == PublicationStatus.PUBLISHED:
        return "已公示。"
    if not CaseDocument.objects.filter(case_id=publication.case_id, kind__in=DECISION_KINDS).exists():
        return "尚未制作行政处罚决定书，不能公示（公示内容以决定书为准）。"
    return None


def publish(publication: PenaltyPublication, user) -> PenaltyPublication:
    if not has_perm(user, "enforcement.change_case"):
        raise PermissionDenied("您的角色无权公示行政处罚信息。")
    with transaction.atomic():
        locked = PenaltyPublication.objects.select_for_update().select_related("case").get(pk=publication.pk)
        ensure_in_scope(user, locked)
        why = refusal_to_publish(locked)
        if why:
            raise ValidationError(why)
        for field, value in snapshot(locked.case).items():
            setattr(locked, field, value)
        locked.status = PublicationStatus.PUBLISHED
        locked.published_on = timezone.localdate()
        locked.published_by = user
        locked.withdrawn_on, locked.withdrawn_reason = None, ""
        locked.save()
        late = f"，超过公示期限{locked.due_on}" if locked.published_late else ""
        record_action(locked.case, "enforcement.decision_published", f"行政处罚信息已公示{late}")
    return locked


def withdraw(publication: PenaltyPublication, user, reason: str) -> PenaltyPublication:
    """Take a decision down (revoked in 行政复议/行政诉讼, confirmed unlawful, re-made, or corrected by the organ)."""
    if not has_perm(user, "enforcement.change_case"):
        raise PermissionDenied("您的角色无权撤下公示信息。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写撤下原因（如处罚决定被行政复议撤销、被判决撤销或重新作出）。")
    with transaction.atomic():
        locked = PenaltyPublication.objects.select_for_update().get(pk=publication.pk)
        ensure_in_scope(user, locked)
        if locked.status != PublicationStatus.PUBLISHED:
            raise ValidationError("只有已公示的信息可以撤下。")
        locked.status = PublicationStatus.WITHDRAWN
        locked.withdrawn_on = timezone.localdate()
        locked.withdrawn_reason = reason
        locked.save()
        record_action(locked.case, "enforcement.decision_withdrawn", f"公示信息已撤下：{reason}")
    return locked
