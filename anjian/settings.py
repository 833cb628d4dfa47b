"""Anjian settings: everything that differs between installations comes from the environment.

The defaults are the embedded mode: SQLite, tasks run in-process, mail printed to the console.
Production sets DEPLOYMENT=production, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and
CELERY_BROKER_URL (Redis); see docs/operations-deployment.md.
"""

import math
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Two deployment modes, chosen by one variable. "embedded" (the default: `make demo`, the test suite, a laptop)
# runs with a well-known key and plain-HTTP cookies. "production" refuses to start with that key, a weak key or
# DEBUG on, and turns HTTPS-only cookies, HSTS and the HTTPS redirect on unless a variable says otherwise.
DEPLOYMENT = env("DEPLOYMENT", "embedded").strip().lower()
if DEPLOYMENT not in {"embedded", "production"}:
    raise ImproperlyConfigured(f"DEPLOYMENT 只能是 embedded 或 production，而不是 {DEPLOYMENT!r}。")
PRODUCTION = DEPLOYMENT == "production"
EMBEDDED_SECRET_KEY = "insecure-embedded-mode-key-change-me-in-production"

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", EMBEDDED_SECRET_KEY)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("生产模式（DEPLOYMENT=production）不允许 DEBUG=true。")
# The same strength Django's security.W009 asks for: 50 characters, 5 distinct, not the embedded key.
if PRODUCTION and (SECRET_KEY == EMBEDDED_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "生产模式（DEPLOYMENT=production）须设置自己的 SECRET_KEY（至少 50 个字符的随机串），"
        "不能使用内置的演示密钥。"
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, not a CDN
    "django_filters",
    "django_htmx",
    "template_partials",
    "axes",
    "anjian.core",
    "anjian.stats",
    "anjian.registry",
    "anjian.inspections",
    "anjian.hazards",
    "anjian.enforcement",
    "anjian.accidents",
    "anjian.assessment",
    "anjian.operations",
    "anjian.notifications",
    "anjian.dashboard",
    "anjian.workdays",
    "anjian.committee",
    "anjian.supervision",
    "anjian.oversight",
    "anjian.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "anjian.core.middleware.SessionIdleTimeoutMiddleware",
    # Dashboards, ledgers and exports read a replica when one is configured (docs/deployment.md).
    "anjian.core.db_router.ReplicaRoutingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "anjian.core.middleware.RequestContextMiddleware",
    "anjian.core.middleware.LoginRequiredMiddleware",
    # Last, so that a lockout short-circuits after authentication ran (django-axes docs).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anjian.urls"
WSGI_APPLICATION = "anjian.wsgi.application"
ASGI_APPLICATION = "anjian.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "anjian" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anjian.core.context_processors.shell",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        # A kept connection is checked before reuse: after a database restart the first request of each
        # worker would otherwise fail on the closed connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a background scan writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Behind PgBouncer in transaction pooling, a server-side cursor (QuerySet.iterator() on PostgreSQL) would outlive
# its server connection: turn them off there (docs/deployment.md).
DISABLE_SERVER_SIDE_CURSORS = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False)
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = DISABLE_SERVER_SIDE_CURSORS

# Read replicas (anjian.core.db_router, docs/deployment.md): streaming replicas of the primary, one alias each
# (replica1, replica2, …). Dashboards, ledgers, statistics and exports read them; everything else the primary.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    _alias = f"replica{_number}"
    DATABASES[_alias] = dj_database_url.parse(
        _url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    DATABASES[_alias]["DISABLE_SERVER_SIDE_CURSORS"] = DISABLE_SERVER_SIDE_CURSORS
    if DATABASES[_alias]["ENGINE"] == "django.db.backends.postgresql":
        # A replica that is down must cost a fallback to the primary, not a request waiting on a dead host.
        DATABASES[_alias].setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", int(env("DATABASE_REPLICA_CONNECT_TIMEOUT", "2"))
        )
    # Tests create and migrate no database on a replica: the alias reads the primary's test database.
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
DATABASE_ROUTERS = ["anjian.core.db_router.ReplicaRouter"]
# A replica further behind than this (seconds) is skipped; lag is measured once per DATABASE_REPLICA_CHECK_SECONDS.
DATABASE_REPLICA_MAX_LAG = float(env("DATABASE_REPLICA_MAX_LAG", "2"))
DATABASE_REPLICA_CHECK_SECONDS = float(env("DATABASE_REPLICA_CHECK_SECONDS", "2"))
DATABASE_REPLICA_RETRY_SECONDS = float(env("DATABASE_REPLICA_RETRY_SECONDS", "30"))  # a replica found down
# After a write its author reads the primary this long. At least MAX_LAG + CHECK_SECONDS: by then any replica
# still in use has replayed the write.
_sticky_default = math.ceil(DATABASE_REPLICA_MAX_LAG + DATABASE_REPLICA_CHECK_SECONDS) + 1
DATABASE_REPLICA_STICKY_SECONDS = int(env("DATABASE_REPLICA_STICKY_SECONDS", str(_sticky_default)))
# Read-only work, by URL name: what these pages show may be a second old. Exports (`?export=` on any list or
# the dashboard) read a replica too (DATABASE_REPLICA_EXPORTS).
DATABASE_REPLICA_VIEWS = [
    "dashboard:index",
    "dashboard:map",
    "dashboard:map_data",
    "dashboard-summary",
    "hazards:ledger",
    "accidents:statistics",
    "enforcement:figures",
    "enforcement:repeat_offenders",
    "operations:counts",
    "registry:risk_map",
]
DATABASE_REPLICA_EXPORTS = env_bool("DATABASE_REPLICA_EXPORTS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 等保 2.0 identity authentication: length and character classes, no reuse of obvious passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(env("PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "anjian.core.passwords.CharacterClassValidator"},
    {"NAME": "anjian.core.passwords.SequenceValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in limits (django-axes + anjian.core.auth_limits): a username is paused per address after
# LOGIN_FAILURE_LIMIT failures; an address is paused after LOGIN_IP_FAILURE_LIMIT failures in
# LOGIN_IP_WINDOW_MINUTES whatever the usernames; an account is locked everywhere only when failures come from
# LOGIN_ACCOUNT_IP_LIMIT or more addresses. A stranger guessing from elsewhere does not lock the owner out.
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_HANDLER = "anjian.core.auth_limits.LoginLimitHandler"
AXES_LOCKOUT_CALLABLE = "anjian.core.auth_limits.lockout_response"
# The same client address as the audit trail (TRUSTED_PROXY_HEADER behind the reverse proxy): otherwise every
# sign-in would seem to come from the proxy and the per-address limit would stop everyone at once.
AXES_CLIENT_IP_CALLABLE = "anjian.core.middleware.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# API tokens (core.tokens) expire after this many days without use, and when the owner's password changes.
API_TOKEN_IDLE_DAYS = int(env("API_TOKEN_IDLE_DAYS", "30"))
LOGIN_IP_FAILURE_LIMIT = int(env("LOGIN_IP_FAILURE_LIMIT", "20"))
LOGIN_IP_WINDOW_MINUTES = int(env("LOGIN_IP_WINDOW_MINUTES", "10"))
LOGIN_ACCOUNT_IP_LIMIT = int(env("LOGIN_ACCOUNT_IP_LIMIT", "10"))

# Idle timeout: the session expires after SESSION_IDLE_MINUTES without a request. Its expiry restarts when it is
# written, which core.middleware.SessionIdleTimeoutMiddleware does at most once a minute (not on every request).
SESSION_COOKIE_AGE = int(env("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS: on by default in production. Behind a proxy that ends TLS, SECURE_PROXY_SSL_HEADER names the header
# the proxy sets (e.g. HTTP_X_FORWARDED_PROTO), or every request would be redirected again.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe speaks plain HTTP on the intranet
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (env("SECURE_PROXY_SSL_HEADER"), "https")
# Audit entries older than this are moved to archive files by `manage.py archive_audit`; never under 6 months
# (等保三级; enforced by the check anjian.E010 and by the command).
AUDIT_RETENTION_MONTHS = int(env("AUDIT_RETENTION_MONTHS", "12"))
AUDIT_ARCHIVE_DIR = Path(env("AUDIT_ARCHIVE_DIR", str(BASE_DIR / "audit-archive")))
# With Celery beat the archive runs on the first of each month at 02:30; other apps add their entries to this.
CELERY_BEAT_SCHEDULE = {
    "core-archive-audit": {
        "task": "core.archive_audit",
        "schedule": crontab(minute="30", hour="2", day_of_month="1"),
    },
    "core-expire-exports": {"task": "core.expire_exports", "schedule": crontab(minute="15", hour="3")},
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *env_list("MAP_TILE_ORIGINS")],
        # No 'unsafe-inline': templates carry no style attributes (classes in anjian/utilities.css);
        # scripts may still set element.style, which CSP allows.
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "anjian" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env("STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token class first: an API call without credentials gets 401 with `WWW-Authenticate: Token`.
        "anjian.core.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["anjian.core.api.permissions.RolePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "anjian.core.api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    # Documents 400/401/403/404 (and 409 for state conflicts) on every operation.
    "DEFAULT_SCHEMA_CLASS": "anjian.core.api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "anjian.core.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Anjian 安监 API",
    "DESCRIPTION": "安全生产监管平台 REST API。所有接口与页面使用同一套角色与辖区数据范围规则。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choices of the same name in several apps: one schema component each, named for what it is.
    "ENUM_NAME_OVERRIDES": {
        "AccidentCategoryEnum": "anjian.accidents.models.CATEGORY_CHOICES",
        "AccidentGradeEnum": "anjian.accidents.models.Grade",
        "AccidentStatusEnum": "anjian.accidents.models.AccidentStatus",
        "ReportLevelEnum": "anjian.accidents.models.Level",
        "AccidentKindEnum": "anjian.accidents.models.AccidentKind",
        "ReportVersionKindEnum": "anjian.accidents.models.VersionKind",
        "HazardGradeEnum": "anjian.hazards.models.Grade",
        "DirectReportOutcomeEnum": "anjian.hazards.models.DirectReportOutcome",
        "DirectReportStatusEnum": "anjian.hazards.models.DirectReportStatus",
        "NearMissCriterionEnum": "anjian.accidents.models.NearMissCriterion",
        "HazardNatureEnum": "anjian.hazards.models.Nature",
        "HazardSourceEnum": "anjian.hazards.models.Source",
        "DocumentKindEnum": "anjian.enforcement.models.DocumentKind",
        "RiskLevelEnum": "anjian.registry.models.RiskColour",
        "InspectionLevelEnum": "anjian.inspections.models.Level",
        "MeasureEnum": "anjian.enforcement.models.MEASURE_CHOICES",
        "SupervisionTaskStatusEnum": "anjian.supervision.models.TaskStatus",
        "SupervisionAssignmentStatusEnum": "anjian.supervision.models.AssignmentStatus",
        "SupervisionTaskKindEnum": "anjian.supervision.models.TaskKind",
        "SupervisionAssignmentRoleEnum": "anjian.supervision.models.AssignmentRole",
        "SupervisionReviewDecisionEnum": "anjian.supervision.models.ReviewDecision",
        "SupervisionSourceKindEnum": "anjian.supervision.models.SourceKind",
        "SupervisionUrgencyEnum": "anjian.supervision.models.Urgency",
        "OrganisationKindEnum": "anjian.core.models.OrganisationKind",
        "CommitteeMeetingKindEnum": "anjian.committee.models.MeetingKind",
        "CommitteePostRankEnum": "anjian.committee.models.PostRank",
        "CommitteeDutyCategoryEnum": "anjian.committee.models.DutyCategory",
        "CommitteeDutyStatusEnum": "anjian.committee.models.DutyStatus",
    },
}

# Background work: without a broker the same task functions run in-process (embedded mode).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "anjian@localhost")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_URL")}
        if env("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Product settings (per installation; national values as defaults).
ANJIAN = {
    "SITE_NAME": env("SITE_NAME", "安监 · 安全生产监管平台"),
    "LIST_PAGE_SIZE": int(env("LIST_PAGE_SIZE", "50")),
    "MAP_TILE_URL": env("MAP_TILE_URL", ""),
    # Excel exports of more rows than this are written in the background (core.export_jobs); their files are
    # kept for EXPORT_RETENTION_DAYS days.
    "EXPORT_JOB_ROWS": int(env("EXPORT_JOB_ROWS", "5000")),
    "EXPORT_RETENTION_DAYS": int(env("EXPORT_RETENTION_DAYS", "7")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Expected refusals (403 PermissionDenied, 404) as one-line warnings: who, path, reason; 5xx keep tracebacks.
    "filters": {"one_line_refusals": {"()": "anjian.core.middleware.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["one_line_refusals"]},
    },
}
CSRF_FAILURE_VIEW = "anjian.core.views.pages.csrf_failure"
SILENCED_SYSTEM_CHECKS = []
# HSTS preload is for public domains submitted to the browsers' list; intranet hosts cannot be listed.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS.append("security.W021")
