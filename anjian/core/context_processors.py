from django.conf import settings

from .navigation import Menu, menu_for


def shell(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    return {
        "site_name": settings.ANJIAN["SITE_NAME"],
        "menu": menu_for(user) if authenticated else Menu(),
    }
