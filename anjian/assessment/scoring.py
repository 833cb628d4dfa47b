"""Pure rules of the assessment result: grade bands, one-vote veto precedence, ranking, part combination.

No Django here: tested as tables (tests/test_scoring.py). rules.md §7.1 KH-01, KH-02, KH-03.
"""

from decimal import ROUND_HALF_UP, Decimal

TWO = Decimal("0.01")


def grade_for(
    total: Decimal, vetoed: bool, excellent_min: Decimal, good_min: Decimal, pass_min: Decimal
) -> str:
    """KH-01 ✅ 优秀/良好/合格/不合格; KH-02 🟡 < 60 = 不合格 and 一票否决 → 不合格 regardless of score.
    Band lower bounds are inclusive ("以上含本数", rules.md R-0.1)."""
    if vetoed:
        return "fail"
    if total >= excellent_min:
        return "excellent"
    if total >= good_min:
        return "good"
    if total >= pass_min:
        return "pass"
    return "fail"


def part_score(points: list[Decimal | None], full: list[Decimal]) -> Decimal | None:
    """A part on a 100-point scale: Σ points / Σ full points × 100; items not scored yet count zero."""
    total_full = sum(full, Decimal(0))
    if not total_full:
        return None
    got = sum((p or Decimal(0) for p in points), Decimal(0))
    return (got * 100 / total_full).quantize(TWO, rounding=ROUND_HALF_UP)


def combine(process: Decimal | None, result: Decimal | None, process_weight: Decimal, result_weight: Decimal):
    """过程考核与结果考核相结合: weighted sum; a missing part leaves the other on its own (re-weighted)."""
    parts = [(s, w) for s, w in ((process, process_weight), (result, result_weight)) if s is not None]
    weights = sum((w for _s, w in parts), Decimal(0))
    if not weights:
        return Decimal(0)
    return (sum((s * w for s, w in parts), Decimal(0)) / weights).quantize(TWO, rounding=ROUND_HALF_UP)


def average(scores: list[Decimal]) -> Decimal | None:
    if not scores:
        return None
    return (sum(scores, Decimal(0)) / len(scores)).quantize(TWO, rounding=ROUND_HALF_UP)


def ranks(rows: list[tuple[object, Decimal, bool]]) -> dict[object, int]:
    """Competition ranking (1, 2, 2, 4) by total, highest first; vetoed bodies rank after all others."""
    ordered = sorted(rows, key=lambda r: (r[2], -r[1]))
    result, previous, previous_rank = {}, None, 0
    for index, (key, total, vetoed) in enumerate(ordered, start=1):
        if (vetoed, total) != previous:
            previous_rank = index
            previous = (vetoed, total)
        result[key] = previous_rank
    return result
