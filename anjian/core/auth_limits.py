"""Sign-in limits against password guessing, without letting a stranger lock an official out of their account.

Three limits, all counted from django-axes' failure records (`AccessAttempt`, one row per username, address and
browser), for the login page and the token endpoint alike (both sign in through `authenticate()`):

- address + username: after LOGIN_FAILURE_LIMIT failures that username is paused *from that address only*
  (LOGIN_LOCKOUT_MINUTES after the last failure). Whoever guesses from elsewhere does not lock the owner out.
- address: LOGIN_IP_FAILURE_LIMIT failures within LOGIN_IP_WINDOW_MINUTES, whatever the usernames, pause that
  address (password spraying: one password tried against many accounts).
- username: only when failures for it come from LOGIN_ACCOUNT_IP_LIMIT or more addresses (a distributed attack)
  is the account itself locked, everywhere, until the security administrator unlocks it or the records expire.

等保2.0 §8.1.4.1 b): "应具有登录失败处理功能，应配置并启用结束会话、限制非法登录次数和当登录连接超时自动退出等相关措施".
"""

from dataclasses import dataclass
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

PAIR, ADDRESS, ACCOUNT = "pair", "address", "account"


@dataclass(frozen=True)
class Limits:
    pair_failures: int
    lockout_minutes: int
    address_failures: int
    address_window_minutes: int
    account_addresses: int


def limits() -> Limits:
    return Limits(
        pair_failures=settings.AXES_FAILURE_LIMIT,
        lockout_minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        address_failures=settings.LOGIN_IP_FAILURE_LIMIT,
        address_window_minutes=settings.LOGIN_IP_WINDOW_MINUTES,
        account_addresses=settings.LOGIN_ACCOUNT_IP_LIMIT,
    )


def _live(now=None):
    """Failure records not yet expired (axes deletes older ones at the next failure)."""
    now = now or timezone.now()
    return AccessAttempt.objects.filter(attempt_time__gt=now - settings.AXES_COOLOFF_TIME)


def _failures(queryset) -> int:
    return queryset.aggregate(total=Sum("failures_since_start"))["total"] or 0


def lock_reason(ip_address: str | None, username: str | None, now=None) -> str:
    """PAIR, ADDRESS or ACCOUNT if signing in as `username` from `ip_address` is refused now, else ""."""
    now = now or timezone.now()
    limit = limits()
    live = _live(now)
    pair = live.filter(username=username, ip_address=ip_address)
    if username and ip_address and _failures(pair) >= limit.pair_failures:
        return PAIR
    if ip_address:
        since = now - timedelta(minutes=limit.address_window_minutes)
        if _failures(live.filter(ip_address=ip_address, attempt_time__gt=since)) >= limit.address_failures:
            return ADDRESS
    if username and account_locked(username, now):
        return ACCOUNT
    return ""


def account_locked(username: str, now=None) -> bool:
    """Failures for this username from so many addresses that the account itself is locked."""
    addresses = (
        _live(now).filter(username=username).exclude(ip_address=None).values("ip_address").distinct().count()
    )
    return addresses >= limits().account_addresses


def locked_somewhere(username: str) -> bool:
    """The account is locked, or paused from at least one address (shown to the security administrator, who may
    clear the records)."""
    if account_locked(username):
        return True
    per_address = (
        _live().filter(username=username).values("ip_address").annotate(n=Sum("failures_since_start"))
    )
    return any(row["n"] >= limits().pair_failures for row in per_address)


class LoginLimitHandler(AxesDatabaseHandler):
    """django-axes' database handler, counting with `lock_reason` instead of a single failure counter.

    Axes records failures per (username, address, browser) and asks `get_failures() >= AXES_FAILURE_LIMIT` both
    before checking a password and after a failure; answering the limit whenever any of the three limits holds
    makes axes refuse, flag the request and answer through `lockout_response`."""

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        reason = lock_reason(getattr(request, "axes_ip_address", None), username, request.axes_attempt_time)
        request.axes_lock_reason = reason
        limit = get_failure_limit(request, credentials)
        return limit if reason else min(super().get_failures(request, credentials), limit - 1)


def lockout_message(reason: str) -> tuple[str, str]:
    """(headline, explanation) in the words the person at the login page reads."""
    limit = limits()
    if reason == ADDRESS:
        return (
            "登录尝试过于频繁",
            f"本机所在网络地址在 {limit.address_window_minutes} 分钟内登录失败次数过多，已暂停从该地址登录。"
            "请稍后再试；如为单位共用出口地址，请联系安全管理员。",
        )
    if reason == ACCOUNT:
        return (
            "账号已被锁定",
            "该账号在短时间内受到来自多个网络地址的错误密码尝试，已暂时锁定。"
            f"请 {limit.lockout_minutes} 分钟后再试，或联系安全管理员核实情况并解除锁定。",
        )
    return (
        "账号已被锁定",
        f"由于从本机连续 {limit.pair_failures} 次输入错误的密码，该账号已暂停从本机登录 "
        f"{limit.lockout_minutes} 分钟。在其他电脑上登录不受影响；如需立即解除，请联系安全管理员。",
    )


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: 429 with the reason, as JSON for the API and as a page for people."""
    reason = getattr(request, "axes_lock_reason", "") or PAIR
    headline, text = lockout_message(reason)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": f"{headline}：{text}", "reason": reason}, status=429)
    return render(
        request,
        "registration/locked_out.html",
        {"headline": headline, "text": text, "reason": reason},
        status=429,
    )
