"""Request-wide context: who is acting (for the audit trail), the login requirement, refusals in the log."""

import logging
import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .context import acting_as, new_request_id

# Paths reachable without signing in. The public tip page (举报) registers its prefix here too.
PUBLIC_PREFIXES = ("/login/", "/healthz", "/static/", "/public/", "/api/")


def client_ip(request) -> str | None:
    # Behind the intranet reverse proxy set TRUSTED_PROXY_HEADER=HTTP_X_REAL_IP.
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "")
    return (request.META.get(header) if header else None) or request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request.headers.get("X-Request-Id", "")[:32] or new_request_id()
        user = request.user if request.user.is_authenticated else None
        label = user.get_full_name() if user else "匿名访问"
        with acting_as(user=user, ip=client_ip(request), request_id=request.request_id, label=label):
            response = self.get_response(request)
        response["X-Request-Id"] = request.request_id
        return response


def now() -> float:
    return time.time()


# The session of a signed-in user expires SESSION_COOKIE_AGE (30 minutes) after it was last written: that is the
# idle timeout. Writing it on every request (SESSION_SAVE_EVERY_REQUEST) costs a database write per page, so it
# is written again only when its last write is older than this; the session then ends 29–30 minutes after the
# user's last request — never later than 30.
SESSION_REFRESH_SECONDS = 60
SESSION_WRITTEN_KEY = "_written_at"


class SessionIdleTimeoutMiddleware:
    """Restarts the idle timeout of a signed-in user's session, at most once a minute (after SessionMiddleware
    and AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            return response
        written_at = session.get(SESSION_WRITTEN_KEY, 0)
        stale = not isinstance(written_at, int | float) or now() - written_at >= SESSION_REFRESH_SECONDS
        if stale or session.modified:  # (written anyway, e.g. a message: note when)
            session[SESSION_WRITTEN_KEY] = now()  # marks the session modified: saved with a new expiry
        return response


class LoginRequiredMiddleware:
    """Every page needs a signed-in user unless its path is public. The API answers 401/403 by itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect(f"{reverse('login')}?next={request.get_full_path()}")
        return self.get_response(request)


class OneLineRefusals(logging.Filter):
    """django.request logs every refusal (403, 404, 405 …) with the traceback of the exception that caused it,
    which buries the real errors. A refusal is expected: keep it as one line that says who, which path and
    why; 5xx records keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is None or status >= 500 or getattr(record, "one_line", False):
            return True  # the filter may sit on several handlers: rewrite a record once
        record.one_line = True
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        who = user.get_username() if user is not None and user.is_authenticated else "anonymous"
        reason = ""
        if record.exc_info and record.exc_info[1] is not None:
            reason = " ".join(str(record.exc_info[1]).split())  # one line, whatever the message holds
        record.msg = f"{record.getMessage()} user={who}" + (f" reason={reason}" if reason else "")
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        return True
