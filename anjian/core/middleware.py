"""Request-wide context: who is acting (for the audit trail), the login requirement, refusals in the log."""

import logging

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
