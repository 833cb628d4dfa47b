from importlib import import_module

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from anjian.core.api.tokens import obtain_token
from anjian.core.media import protected_media
from anjian.core.views import pages

# Each domain app serves its pages under its own prefix and its API under /api/<prefix>/.
DOMAIN_APPS = {
    "registry": "registry",
    "inspections": "inspections",
    "hazards": "hazards",
    "enforcement": "enforcement",
    "accidents": "accidents",
    "assessment": "assessment",
    "operations": "operations",
    "notifications": "notifications",
    "dashboard": "dashboard",
    "workdays": "workdays",
    "committee": "committee",
    "supervision": "supervision",
    "oversight": "oversight",
    "reporting": "reporting",
}


def _api_patterns():
    patterns = [path("core/", include("anjian.core.api.urls"))]
    for app, prefix in DOMAIN_APPS.items():
        try:
            import_module(f"anjian.{app}.api.urls")
        except ModuleNotFoundError as exc:
            if exc.name not in (f"anjian.{app}.api", f"anjian.{app}.api.urls"):
                raise
            continue
        patterns.append(path(f"{prefix}/", include(f"anjian.{app}.api.urls")))
    return patterns


urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path(
        "login/",
        # LoginView puts the request's host in `site_name` (no sites framework): name the product instead.
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, extra_context={"site_name": settings.ANJIAN["SITE_NAME"]}
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", pages.PasswordChange.as_view(), name="password_change"),
    path("core/", include("anjian.core.urls")),
    path("public/penalties/", include("anjian.enforcement.public_urls")),
    path("public/", include("anjian.operations.public_urls")),
    *[path(f"{prefix}/", include(f"anjian.{app}.urls")) for app, prefix in DOMAIN_APPS.items()],
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file, so the page works under our strict CSP (no inline scripts).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/auth/token/", obtain_token, name="api-token"),
    path("api/", include(_api_patterns())),
]

handler400 = "anjian.core.views.pages.error_400"
handler403 = "anjian.core.views.pages.error_403"
handler404 = "anjian.core.views.pages.error_404"
handler500 = "anjian.core.views.pages.error_500"

# Uploaded files go through the scope check (core.media), in every mode: never a public directory.
urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", protected_media, name="media"))
