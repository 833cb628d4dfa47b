"""The 重大事故隐患判定标准 catalogue shipped with Anjian: standards, their clauses and the sectors they apply to.

The catalogue is `major-hazard-criteria.json` next to this file (13 standards, 319 clauses). Each clause keeps the
catalogue's `id` as its stable `code`: never reused or renumbered, because hazards recorded against a code must
keep resolving. Seeding is idempotent and never changes a clause that already exists (the office maintains the
catalogue afterwards; a revision is a new version row, see anjian/hazards/criteria/catalogue.py).
"""

import datetime
import json
import re
from functools import cache
from pathlib import Path

CATALOGUE_FILE = Path(__file__).with_name("major-hazard-criteria.json")
# The compilation date of the shipped catalogue; stored on every standard it creates.
CATALOGUE_VERSION = "2026-12-01"

# Standard → sectors it applies to (core.Sector codes); the first one is each clause's own sector unless
# CLAUSE_SECTORS says otherwise.
STANDARD_SECTORS = {
    "HC-2017-121": ["hazchem"],
    "YH-2017-121": ["fireworks"],
    "GM-2023-10": ["metallurgy", "dust", "ammonia", "confinedSpace", "commerce"],
    "MK-2020-4": ["coal"],
    "FM-2022-88": ["nonCoalMine", "tailings"],
    "HS-2022-2": ["construction"],
    "HS-2024-5": ["construction"],
    "RQ-2023-4": ["gas"],
    "DY-2023": ["roadTransport"],
    "MB-2023-337": ["explosives"],
    "MB-2024": ["explosives"],
    "XF-GB35181-2017": ["fire", "crowded"],
    "XF-GB35181-2025": ["fire", "crowded"],
}

# Clause code prefix → the clause's own sector, where it is not the standard's first sector.
CLAUSE_SECTORS = {
    "GM-2023-10-11-": "dust",  # 第十一条 粉尘防爆
    "GM-2023-10-12-": "ammonia",  # 第十二条 液氨制冷
    "GM-2023-10-13-": "confinedSpace",  # 第十三条 有限空间
    "FM-2022-88-W": "tailings",  # 三、尾矿库
}

# Standards the catalogue records as replaced, and by which one.
SUPERSEDED_BY = {
    "HS-2022-2": "HS-2024-5",
    "MB-2023-337": "MB-2024",
    "XF-GB35181-2017": "XF-GB35181-2025",
}


@cache
def load_catalogue() -> tuple:
    """The shipped catalogue as read from the JSON file (a list of standards, each with its clauses)."""
    with CATALOGUE_FILE.open(encoding="utf-8") as fh:
        return tuple(json.load(fh))


def effective_date(text: str):
    """The first full date in the catalogue's free-text 施行 field, if any ('2023-05-15（2023-04-14 公布）')."""
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", text or "")
    return datetime.date(*map(int, match.groups())) if match else None


def clause_sector_code(standard_code: str, clause_code: str) -> str:
    for prefix, sector in CLAUSE_SECTORS.items():
        if clause_code.startswith(prefix):
            return sector
    return STANDARD_SECTORS[standard_code][0]


def seed_criteria(sector_model, criterion_model, standard_model=None) -> int:
    """Create the catalogue's missing standards and clauses (idempotent); returns how many clauses were created.

    Works with the real models and with a migration's historical ones. Sectors the catalogue needs (煤矿, 民用爆炸
    物品) are created when missing.
    """
    from anjian.core.data import seed_sectors

    if standard_model is None:
        standard_model = criterion_model._meta.get_field("standard_ref").related_model
    seed_sectors(sector_model)
    sectors = {s.code: s for s in sector_model.objects.all()}
    standards = {s.code: s for s in standard_model.objects.all()}
    existing = set(criterion_model.objects.exclude(code="").values_list("code", flat=True))
    new_clauses = []
    for s_order, entry in enumerate(load_catalogue(), start=1):
        code = entry["standard_id"]
        standard = standards.get(code)
        if standard is None:
            standard = standard_model.objects.create(
                code=code,
                title=entry["title"],
                issuer=entry.get("issuer", ""),
                document_no=entry.get("doc_no", ""),
                effective_on=effective_date(entry.get("effective", "")),
                effective_note=entry.get("effective", "")[:200],
                status="superseded" if code in SUPERSEDED_BY else "current",
                status_note=entry.get("status", ""),
                confidence=entry["confidence"],  # verified / partial / memory, as Confidence
                keywords=entry.get("sector_keywords", []),
                preamble=entry.get("preamble", ""),
                note=entry.get("note", ""),
                sources=entry.get("sources", []),
                catalogue_version=CATALOGUE_VERSION,
                sort_order=s_order * 10,
            )
            standard.sectors.set([sectors[c] for c in STANDARD_SECTORS[code] if c in sectors])
            standards[code] = standard
        for c_order, clause in enumerate(entry["clauses"], start=1):
            if clause["id"] in existing:
                continue
            new_clauses.append(
                criterion_model(
                    sector=sectors[clause_sector_code(code, clause["id"])],
                    standard_ref=standard,
                    code=clause["id"],
                    version=1,
                    standard=entry["title"],
                    document_no=entry.get("doc_no", "")[:120],
                    clause=clause["no"][:80],
                    text=clause["text"],
                    examples=clause.get("examples", []),
                    confidence=clause["conf"],
                    is_summary=bool(clause.get("summary")),
                    is_active=True,
                    sort_order=s_order * 1000 + c_order,
                )
            )
    for old, new in SUPERSEDED_BY.items():
        if old in standards and new in standards and standards[old].superseded_by_id is None:
            standard_model.objects.filter(pk=standards[old].pk).update(superseded_by=standards[new])
    criterion_model.objects.bulk_create(new_clauses)
    return len(new_clauses)


def _bigrams(text: str) -> set:
    text = re.sub(r"[\s，。、；：（）()“”\"'〔〕]", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams: how alike two clause texts read."""
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def migrate_legacy_criteria(criterion_model, hazard_model) -> dict:
    """Move hazards off the clauses entered before the catalogue (rows without a code).

    A legacy clause matches a catalogue clause of the same standard whose text reads alike (the legacy rows
    numbered some items differently, so the number alone is not trusted). Hazards are moved onto the match; every
    legacy row is kept, inactive, with `replaced_by` set when it matched. The hazard's stored citation text
    (`major_clause`) is not touched: it still shows the words the hazard was judged under.
    """
    moved, matched, kept = 0, 0, 0
    current = list(criterion_model.objects.exclude(code="").filter(is_active=True))
    for legacy in criterion_model.objects.filter(code="", is_active=True):
        candidates = [c for c in current if c.standard == legacy.standard] or [
            c for c in current if legacy.document_no and c.document_no.startswith(legacy.document_no)
        ]
        best = max(candidates, key=lambda c: similarity(c.text, legacy.text), default=None)
        if best is not None and similarity(best.text, legacy.text) >= 0.6:
            moved += hazard_model.objects.filter(major_criterion=legacy).update(major_criterion=best)
            legacy.replaced_by = best
            matched += 1
        else:
            kept += 1
        legacy.is_active = False
        legacy.sort_order = 1_000_000 + legacy.sort_order
        legacy.save(update_fields=["is_active", "replaced_by", "sort_order"])
    return {"matched": matched, "kept": kept, "hazards_moved": moved}
