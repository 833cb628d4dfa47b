"""API errors in Chinese, with field-level detail preserved."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    exceptions.NotAuthenticated: "未登录或登录已过期。",
    exceptions.AuthenticationFailed: "身份认证失败。",
    exceptions.NotFound: "记录不存在或不在您的数据范围内。",
    exceptions.MethodNotAllowed: "不支持此请求方法。",
}


def exception_handler(exc, context):
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "您的角色无权执行此操作。")
    response = drf_exception_handler(exc, context)
    if response is not None and type(exc) in MESSAGES and isinstance(response.data, dict):
        response.data["detail"] = MESSAGES[type(exc)]
    return response
