"""How the accident pages name things: the grading rules by the regulation's title, not its version key."""

from django import template

register = template.Library()

# Version keys of rules.GRADING_TABLES and the regulation each one follows, as officials cite it.
GRADING_RULES_TITLES = {
    "493-2007": "《生产安全事故报告和调查处理条例》（国务院令第493号）",
}


@register.filter
def grading_rules_title(version: str) -> str:
    """ "493-2007" → 《生产安全事故报告和调查处理条例》（国务院令第493号）; an unknown key is shown as it is."""
    return GRADING_RULES_TITLES.get(version, version or "—")
