"""API tokens: made, used, listed and revoked here, by the pages, the API and the sign-in endpoint alike.

- The key is shown once; only its SHA-256 digest and a short prefix (to tell keys apart) are stored.
- A key unused for API_TOKEN_IDLE_DAYS expires; every use moves the expiry on (written at most once a minute).
- Changing the password revokes the owner's keys (and a key made before the password changed never works, however
  the password was changed: the key carries a stamp of the password hash it was made under).
- The owner revokes their keys; the security administrator revokes the keys of accounts in their scope.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .audit import record_action, register_actions
from .models import ApiToken

KEY_START = "aj_"
PREFIX_LENGTH = 11  # "aj_" and 8 characters of the random part
# A script that asks /api/auth/token/ at every run would pile keys up: keep the most recently used ones.
MAX_ACTIVE_PER_USER = 20
TOUCH_EVERY = timedelta(minutes=1)

CREATED, REVOKED = "api_token.created", "api_token.revoked"
register_actions({CREATED: "创建API令牌", REVOKED: "吊销API令牌"})


def idle_days() -> int:
    return settings.API_TOKEN_IDLE_DAYS


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_stamp(user) -> str:
    """Changes whenever the password changes (the stored hash is salted anew each time)."""
    return hashlib.sha256(f"anjian.api_token:{user.password}".encode()).hexdigest()


def active(queryset=None, now=None):
    now = now or timezone.now()
    queryset = ApiToken.objects.all() if queryset is None else queryset
    return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)


def status(token: ApiToken, now=None) -> str:
    now = now or timezone.now()
    if token.revoked_at:
        return "已吊销"
    if token.expires_at <= now:
        return "已过期"
    if token.password_stamp != password_stamp(token.user):
        return "已失效（密码已修改）"
    return "有效"


def issue(user, name: str = "", now=None) -> tuple[ApiToken, str]:
    """Make a key for `user`; returns (the stored token, the key). The key is never stored nor shown again."""
    now = now or timezone.now()
    user = _unwrapped(user)
    key = KEY_START + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip()[:60],
            prefix=key[:PREFIX_LENGTH],
            digest=digest(key),
            password_stamp=password_stamp(user),
            created_at=now,
            expires_at=now + timedelta(days=idle_days()),
        )
        record_action(user, CREATED, f"创建API令牌 {token}")
        surplus = active(user.api_tokens.exclude(pk=token.pk), now).order_by("-last_used_at", "-created_at")
        for old in surplus[MAX_ACTIVE_PER_USER - 1 :]:
            revoke(old, "超过每人有效令牌数上限，自动吊销最久未用的令牌", now=now)
    return token, key


def revoke(token: ApiToken, reason: str, now=None) -> bool:
    """Revoke one token; False if it was already revoked."""
    now = now or timezone.now()
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason=reason[:100]
    )
    if updated:
        token.revoked_at, token.revoked_reason = now, reason[:100]
        record_action(token.user, REVOKED, f"吊销API令牌 {token}：{reason}")
    return bool(updated)


def revoke_all(user, reason: str, now=None) -> int:
    user = _unwrapped(user)
    live = user.api_tokens.filter(revoked_at__isnull=True).select_related("user")
    return sum(revoke(token, reason, now) for token in live)


def _unwrapped(user):
    """request.user is a lazy wrapper; the audit trail needs the model instance itself."""
    user.pk  # noqa: B018 (evaluates the lazy object)
    return getattr(user, "_wrapped", user)


def authenticate_key(key: str, now=None) -> ApiToken | None:
    """The usable token of this key (its user loaded), or None. A use moves the idle expiry on."""
    now = now or timezone.now()
    if not key:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
    if token is None or token.revoked_at or token.expires_at <= now or not token.user.is_active:
        return None
    if token.password_stamp != password_stamp(token.user):
        revoke(token, "密码已修改", now)
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at, token.expires_at = now, now + timedelta(days=idle_days())
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, expires_at=token.expires_at)
    return token
