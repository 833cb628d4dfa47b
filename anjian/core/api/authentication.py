"""API authentication by the platform's own tokens (core.tokens): `Authorization: Token <key>` (the header the
earlier DRF tokens used, so existing clients keep working) or `Authorization: Bearer <key>`."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .. import tokens

KEYWORDS = (b"token", b"bearer")


class TokenRefused(exceptions.AuthenticationFailed):
    """Its own type, so that the API's exception handler keeps this message instead of the generic one."""

    default_detail = "API令牌无效、已过期或已吊销，请重新获取。"


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise TokenRefused("Authorization 头格式应为：Token <令牌>。")
        try:
            key = parts[1].decode()
        except UnicodeError as exc:
            raise TokenRefused() from exc
        token = tokens.authenticate_key(key)
        if token is None:
            raise TokenRefused()
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "anjian.core.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <令牌>（通过 /api/auth/token/ 或“我的API令牌”页面获取）",
        }
