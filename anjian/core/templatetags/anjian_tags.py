"""Template helpers shared by every app: `{% load anjian_tags %}{% if user|can:"hazards.add_hazard" %}…`.

Values are shown the way officials write them: 是/否, amounts with thousands separators, large sums in 万元.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

from ..permissions import has_perm
from ..roles import Role
from ..tables import as_written

register = template.Library()

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)


@register.filter
def can(user, code: str) -> bool:
    """Whether the user's role holds the permission code (core.permissions); never decides record scope."""
    return has_perm(user, code)


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _grouped(number: Decimal) -> str:
    """Rounded to the cent (half up, as in 财务); cents shown only when there are any: 5,000 / 1,234.50."""
    cents = number.quantize(CENT, rounding=ROUND_HALF_UP)
    if not cents:
        cents = abs(cents)  # no "-0"
    if cents == cents.to_integral_value():
        return f"{cents:,.0f}"
    return f"{cents:,.2f}"


@register.filter
def money(value) -> str:
    """An amount in 元 with thousands separators: 1234567.5 → "1,234,567.50"; empty → "—"."""
    number = _decimal(value)
    return "—" if number is None else _grouped(number)


@register.filter
def wanyuan(value) -> str:
    """An amount in 元 written in 万元, as in plans and reports: 1234567.5 → "123.46万元"; empty → "—"."""
    number = _decimal(value)
    return "—" if number is None else f"{_grouped(number / TEN_THOUSAND)}万元"


@register.filter
def yes_no(value) -> str:
    """是 / 否, and "—" when unknown (None)."""
    if value is None or value == "":
        return "—"
    return "是" if value else "否"


@register.filter
def role_label(code: str) -> str:
    """A role code as its Chinese name ("office" → 安委办工作人员)."""
    return dict(Role.choices).get(code, code) or "—"


@register.filter
def written(value, empty: str = "") -> str:
    """Any stored value as people write it (是/否, local time, lists joined with 、); `empty` for none."""
    return as_written(value, empty)
