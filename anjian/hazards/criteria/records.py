"""What was suggested and what was taken (ClauseSuggestion), and the follow-up of imported major hazards.

- `record_shown` keeps each suggestion list shown to a user (page, phone form or API);
- `link_to_hazard` ties the list shown during entry to the hazard registered from it, and notes the clause taken
  when the hazard cites one of the suggested clauses — so the table says, per hazard, what was offered and chosen;
- `cite_pending_basis` is the one step that gives an imported 重大 hazard (待补充判定依据) its clause: it sets the
  clause and its text, clears the flag and writes the audit action (rules.md HZ-03: a 重大 record cites a clause).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from anjian.core.audit import record_action, register_actions
from anjian.core.permissions import has_perm
from anjian.core.roles import Role
from anjian.core.scope import restrict

from ..models import ClauseSuggestion, Grade, Hazard, MajorHazardCriterion
from .suggest import suggest

register_actions({"hazard.basis_cited": "补充重大隐患判定依据"})


def record_shown(user, text: str, sector, suggestions: list[dict]) -> ClauseSuggestion | None:
    """Keep a suggestion list shown to the user (nothing is kept when nothing was suggested)."""
    if not suggestions:
        return None
    return ClauseSuggestion.objects.create(
        user=user, text=text, sector=sector, suggested=[s["code"] for s in suggestions]
    )


def parse_id(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isdecimal() and len(value) <= 18 else None


def link_to_hazard(user, suggestion_id, hazard: Hazard) -> ClauseSuggestion | None:
    """Give the suggestion list the user saw while entering `hazard` the hazard's id. Only the user's own list,
    and only once; when the hazard cites a suggested clause that was not explicitly taken, it counts as taken."""
    pk = parse_id(suggestion_id)
    if pk is None:
        return None
    log = ClauseSuggestion.objects.filter(pk=pk, user=user, hazard__isnull=True).first()
    if log is None:
        return None
    log.hazard = hazard
    fields = ["hazard"]
    criterion = hazard.major_criterion
    if log.chosen_id is None and criterion is not None and criterion.code in log.suggested:
        log.chosen, log.chosen_at = criterion, timezone.now()
        fields += ["chosen", "chosen_at"]
    log.save(update_fields=fields)
    return log


def may_cite_basis(user, hazard: Hazard) -> bool:
    """Government staff who may change the hazard decide its basis; a unit does not grade its own hazard."""
    return (
        hazard.major_basis_pending
        and user.role != Role.ENTERPRISE
        and has_perm(user, "hazards.change_hazard")
    )


def pending_basis_suggestions(hazard: Hazard) -> list[dict]:
    """Clauses for the hazard's description, best first, each with its catalogue row; restricted to the hazard's
    sector when it has one (an imported row may not: then the whole catalogue is searched)."""
    found = suggest(hazard.description, hazard.sector)
    rows = MajorHazardCriterion.objects.in_bulk([s["id"] for s in found])
    return [{**s, "row": rows[s["id"]]} for s in found if s["id"] in rows]


def cite_pending_basis(*, actor, hazard: Hazard, criterion: MajorHazardCriterion) -> Hazard:
    """The department picks the clause of an imported major hazard: the clause and its words are kept on the
    hazard, 待补充判定依据 is cleared, and what the page suggested and the clause taken are recorded together
    (a ClauseSuggestion for the hazard; the suggestion is deterministic for a description and catalogue)."""
    with transaction.atomic():
        hazard = restrict(Hazard.objects.select_for_update(), actor).filter(pk=hazard.pk).first()
        if hazard is None:
            raise PermissionDenied("该隐患不在您的数据范围内。")
        if not may_cite_basis(actor, hazard):
            if not hazard.major_basis_pending:
                raise ValidationError("该隐患已有判定依据，无需补充。")
            raise PermissionDenied("您的角色无权补充判定依据。")
        if hazard.grade != Grade.MAJOR:
            raise ValidationError("只有重大事故隐患需要判定依据。")
        if not criterion.is_active:
            raise ValidationError("所选条款已被修订或废止，请选择现行条款。")
        if hazard.sector_id is not None and not criterion.applies_to(hazard.sector):
            raise ValidationError("所选判定条款不属于该隐患的行业领域。")
        hazard.major_criterion = criterion
        hazard.major_clause = criterion.citation
        hazard.major_basis_pending = False
        hazard.save(update_fields=["major_criterion", "major_clause", "major_basis_pending"])
        record_action(hazard, "hazard.basis_cited", f"补充判定依据：{criterion.code or ''} {criterion}")
        ClauseSuggestion.objects.create(
            user=actor,
            text=hazard.description,
            sector=hazard.sector,
            suggested=[s["code"] for s in suggest(hazard.description, hazard.sector)],
            chosen=criterion,
            chosen_at=timezone.now(),
            hazard=hazard,
        )
    return hazard
