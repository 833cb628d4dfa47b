"""Rate limits for the public pages, on Django's cache.

The default cache of the embedded mode is per-process memory: with several processes or servers each one counts
on its own. Production must set CACHE_URL (Redis) so that every process shares the counters.
"""

from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int


TIP_SUBMIT = Limit("tip-submit", 5, 3600)  # 5 tips per IP per hour
RECEIPT_LOOKUP = Limit("receipt-lookup", 10, 600)  # 10 receipt checks per IP per 10 minutes
RECEIPT_FAIL = Limit("receipt-fail", 5, 3600)  # 5 wrong codes per IP per hour: guessing stops early


def _key(limit: Limit, ident: str) -> str:
    return f"anjian:throttle:{limit.name}:{ident}"


def hit(limit: Limit, ident: str) -> bool:
    """Count one attempt; False when the limit is already used up (the attempt must be refused)."""
    key = _key(limit, ident)
    if cache.add(key, 1, limit.seconds):
        return True
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, limit.seconds)
        return True
    return value <= limit.count


def exhausted(limit: Limit, ident: str) -> bool:
    return (cache.get(_key(limit, ident)) or 0) >= limit.count
