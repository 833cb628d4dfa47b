"""How a text search is written in SQL, so that PostgreSQL can answer it from an index and within its time.

pg_trgm indexes a word by its runs of three letters or digits ("trigrams"). A word of three or more is matched
with `icontains` (trigram GIN indexes on UPPER(column): hazards 0010, registry 0004).

A shorter word has no trigram: PostgreSQL would read the whole trigram index (a GIN "full scan", 1.7 s at 10M
hazards) and, in PostgreSQL 15, does not stop for the statement timeout that bounds a search while it does. Chinese
words are mostly two characters (消防、电梯、锅炉), so the big tables also index their text with every character
doubled ("静电接地" -> "静静电电接接地地"): a two-character word doubled has two trigrams ("静静电", "静电电"), and
it is in the doubled text exactly where the word is in the text. Models list these columns in
`pair_search_fields` (indexes: hazards 0014, registry 0007; the expression must stay the one of `Doubled`).

Which of the two ways is faster depends on how common the word is, which the planner cannot know: a common word
is found at once by reading the newest rows and checking each (STRPOS, which no index serves, so the planner
does just that); a rare one only through the pair index. A search therefore runs the first way within a time
budget and, past it, again the second way (core.pagination.search_page): `index_first()` switches how a
two-character condition is written while the fallback's SQL is compiled.
"""

import contextlib
import contextvars
import re

from django.db.models import BooleanField, Expression, F, Func, Q, TextField, Value
from django.db.models.functions import StrIndex, Upper
from django.db.models.lookups import Contains, GreaterThan

TRIGRAM_WORD = re.compile(r"\w{3}")
PAIR_WORD = re.compile(r"\w{2}")

_index_first = contextvars.ContextVar("index_first", default=False)


@contextlib.contextmanager
def index_first():
    """Within: two-character conditions are written for the pair indexes (the search's fallback)."""
    token = _index_first.set(True)
    try:
        yield
    finally:
        _index_first.reset(token)


class Doubled(Func):
    """Every character of a text twice, as the pair indexes store it."""

    template = "regexp_replace(%(expressions)s, '(.)', '\\1\\1', 'g')"
    output_field = TextField()


class ShortWordContains(Expression):
    """A column contains a word too short for a trigram: STRPOS (rows read in the page's order), or, under
    `index_first()` on PostgreSQL where the column has a pair index, LIKE on the doubled text."""

    output_field = BooleanField()

    def __init__(self, field: str, value: str, indexed: bool):
        super().__init__()
        self.by_rows = GreaterThan(StrIndex(Upper(F(field)), Upper(Value(value))), 0)
        doubled = "".join(c + c for c in value.upper())
        self.by_index = Contains(Doubled(Upper(F(field))), doubled) if indexed else None

    def get_source_expressions(self):
        return [self.by_rows, self.by_index]

    def set_source_expressions(self, exprs):
        self.by_rows, self.by_index = exprs

    def as_sql(self, compiler, connection):
        if self.by_index is not None and connection.vendor == "postgresql" and _index_first.get():
            return compiler.compile(self.by_index)
        return compiler.compile(self.by_rows)


def contains_q(model, field: str, value: str, through: str = "") -> Q:
    """`field` of `model` contains `value`, case-insensitive, written as the module docstring says. `through`: the
    foreign key by which the filtered rows reach `model` ("enterprise"), for a condition checked over a join."""
    path = f"{through}__{field}" if through else field
    if TRIGRAM_WORD.search(value):
        return Q(**{f"{path}__icontains": value})
    indexed = (
        not through and field in getattr(model, "pair_search_fields", ()) and bool(PAIR_WORD.search(value))
    )
    return Q(ShortWordContains(path, value, indexed))
