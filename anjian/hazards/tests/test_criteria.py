"""The 重大事故隐患判定标准 catalogue: loaded from the shipped file with stable clause codes, mapped to sectors, the
first seed clauses moved onto it, and clauses revised as new versions so hazards keep the words they were judged
under."""

import pytest

from anjian.core.audit import history_for
from anjian.core.models import Sector
from anjian.hazards.criteria import catalogue
from anjian.hazards.data import load_catalogue, migrate_legacy_criteria, seed_criteria
from anjian.hazards.models import (
    Confidence,
    Hazard,
    HazardStandard,
    MajorHazardCriterion,
    StandardStatus,
)

from .conftest import make_hazard

HC_05 = "HC-2017-121-05"


def clause(code):
    return MajorHazardCriterion.objects.get(code=code, is_active=True)


def test_whole_catalogue_is_loaded_with_its_codes(cast):
    shipped = {c["id"]: c for s in load_catalogue() for c in s["clauses"]}
    assert len(shipped) == 319
    rows = MajorHazardCriterion.objects.filter(is_active=True).exclude(code="")
    assert {r.code for r in rows} == set(shipped)
    assert HazardStandard.objects.count() == 13
    for code in ("HC-2017-121-01", "MK-2020-4-05-02", "XF-2017-6.10", "FM-2022-88-DX-VENT"):
        row = clause(code)
        assert row.text == shipped[code]["text"] and row.examples == shipped[code]["examples"]
    # Marks: ✅ 198, 🟡 33, ❓ 88 as the catalogue states them.
    counts = {c: rows.filter(confidence=c).count() for c in Confidence.values}
    assert counts == {"verified": 198, "partial": 33, "memory": 88}


def test_seeding_is_idempotent(cast):
    assert seed_criteria(Sector, MajorHazardCriterion) == 0
    assert HazardStandard.objects.count() == 13


@pytest.mark.parametrize(
    "standard, sectors, clause_code, clause_sector",
    [
        ("HC-2017-121", {"hazchem"}, "HC-2017-121-05", "hazchem"),
        ("MK-2020-4", {"coal"}, "MK-2020-4-05-02", "coal"),
        ("MB-2024", {"explosives"}, "MB-2024-04", "explosives"),
        (
            "GM-2023-10",
            {"metallurgy", "dust", "ammonia", "confinedSpace", "commerce"},
            "GM-2023-10-11-03",
            "dust",
        ),
        ("FM-2022-88", {"nonCoalMine", "tailings"}, "FM-2022-88-W04", "tailings"),
        ("XF-GB35181-2017", {"fire", "crowded"}, "XF-2017-6.5", "fire"),
    ],
)
def test_standards_map_to_sectors(cast, standard, sectors, clause_code, clause_sector):
    row = HazardStandard.objects.get(code=standard)
    assert {s.code for s in row.sectors.all()} == sectors
    assert clause(clause_code).sector.code == clause_sector


def test_superseded_standards_and_dates(cast):
    old = HazardStandard.objects.get(code="MB-2023-337")
    assert old.status == StandardStatus.SUPERSEDED and old.superseded_by.code == "MB-2024"
    assert HazardStandard.objects.get(code="HS-2022-2").superseded_by.code == "HS-2024-5"
    current = HazardStandard.objects.get(code="GM-2023-10")
    assert current.status == StandardStatus.CURRENT and str(current.effective_on) == "2023-05-15"
    assert HazardStandard.objects.get(code="XF-GB35181-2017").confidence == Confidence.MEMORY


def test_legacy_clauses_move_onto_the_catalogue(cast):
    hazchem = cast.hazchem
    title = "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准（试行）"
    matched = MajorHazardCriterion.objects.create(
        sector=hazchem,
        standard=title,
        clause="第五项",
        text="构成一级、二级重大危险源的危险化学品罐区未实现紧急切断功能；涉及毒性气体、液化气体、剧毒液体的一级、"
        "二级重大危险源的危险化学品罐区未配备独立的安全仪表系统。",
    )
    orphan = MajorHazardCriterion.objects.create(
        sector=cast.construction,
        standard="重大火灾隐患判定规则",
        clause="直接判定要素",
        text="安全出口被封堵。",
    )
    on_match = make_hazard(cast, grade="major", major_criterion=matched)
    on_orphan = make_hazard(cast, grade="major", major_criterion=orphan, sector=cast.construction)
    cited = on_match.major_clause

    result = migrate_legacy_criteria(MajorHazardCriterion, Hazard)

    assert result == {"matched": 1, "kept": 1, "hazards_moved": 1}
    on_match.refresh_from_db()
    on_orphan.refresh_from_db()
    assert on_match.major_criterion.code == HC_05 and on_match.major_clause == cited
    assert on_orphan.major_criterion == orphan  # kept, marked superseded
    matched.refresh_from_db()
    orphan.refresh_from_db()
    assert not matched.is_active and matched.replaced_by.code == HC_05
    assert not orphan.is_active and orphan.replaced_by is None


def test_revising_a_clause_adds_a_version_and_leaves_hazards_on_theirs(cast):
    v1 = clause(HC_05)
    hazard = make_hazard(cast, grade="major", major_criterion=v1)

    v2 = catalogue.revise_clause(v1, cast.office, reason="按官方文本核对", text=v1.text + "（已核对）")

    v1.refresh_from_db()
    hazard.refresh_from_db()
    assert (v2.code, v2.version, v2.is_active) == (HC_05, 2, True)
    assert not v1.is_active and v1.replaced_by == v2
    assert hazard.major_criterion == v1  # judged under version 1
    assert clause(HC_05) == v2
    assert [v.version for v in catalogue.versions(v2)] == [2, 1]
    actions = [e.action for e in history_for(v2)]
    assert "criterion.revised" in actions
    # An old version cannot be revised again; an unchanged revision is a no-op.
    with pytest.raises(Exception, match="新版本"):
        catalogue.revise_clause(v1, cast.office, text="x")
    assert catalogue.revise_clause(v2, cast.office, text=v2.text) == v2


def test_mark_superseded_and_add_standard(cast):
    new = catalogue.add_standard(
        cast.office,
        sectors=[cast.hazchem],
        code="HC-2026-1",
        title="化工和危险化学品生产经营单位重大生产安全事故隐患判定标准",
        document_no="应急〔2026〕1号",
    )
    old = HazardStandard.objects.get(code="HC-2017-121")
    catalogue.mark_superseded(old, cast.office, superseded_by=new)
    old.refresh_from_db()
    assert old.status == StandardStatus.SUPERSEDED and old.superseded_by == new
    with pytest.raises(Exception, match="已标记"):
        catalogue.mark_superseded(old, cast.office)
    added = catalogue.add_clause(
        new, cast.office, code="HC-2026-1-01", clause="一", text="条文", sector=cast.hazchem
    )
    assert added.standard_ref == new and added.version == 1
    with pytest.raises(Exception, match="已存在"):
        catalogue.add_clause(
            new, cast.office, code="HC-2026-1-01", clause="一", text="条文", sector=cast.hazchem
        )


def test_criteria_api_returns_codes(cast, client_for):
    rows = client_for(cast.inspector).get(f"/api/hazards/hazards/criteria/?sector={cast.hazchem.pk}").json()
    codes = {r["code"] for r in rows}
    assert HC_05 in codes and len(codes) == 20
    assert {r["confidence"] for r in rows} == {"verified"}


def test_a_clause_judges_every_sector_its_standard_covers(db):
    """工贸's clauses also judge the sub-sectors the standard names (e.g. a 粉尘涉爆 unit), not only the sector
    the clause was filed under; an unrelated sector is still refused."""
    from anjian.core.models import Sector
    from anjian.hazards.models import HazardStandard, MajorHazardCriterion

    standard = next(s for s in HazardStandard.objects.all() if s.sectors.count() > 1)
    clause = MajorHazardCriterion.objects.filter(standard_ref=standard, is_active=True).first()
    other = standard.sectors.exclude(pk=clause.sector_id).first()
    unrelated = (
        Sector.objects.exclude(pk__in=standard.sectors.values("pk")).exclude(pk=clause.sector_id).first()
    )
    assert clause.applies_to(clause.sector)
    assert clause.applies_to(other)
    assert not clause.applies_to(unrelated)
    assert not clause.applies_to(None)
