"""API errors in Chinese, with field-level detail preserved; bad input is a 400, never a 500."""

import logging

from django.core.exceptions import BadRequest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

MESSAGES = {
    exceptions.NotAuthenticated: "未登录或登录已过期。",
    exceptions.AuthenticationFailed: "身份认证失败。",
    exceptions.NotFound: "记录不存在或不在您的数据范围内。",
    exceptions.MethodNotAllowed: "不支持此请求方法。",
}


class BadParameter(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "请求参数格式不正确或超出范围。"
    default_code = "bad_parameter"


def exception_handler(exc, context):
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "您的角色无权执行此操作。")
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, BadRequest):  # a parameter the view itself refused, with its reason
        exc = BadParameter(str(exc) or BadParameter.default_detail)
    elif isinstance(exc, OverflowError | ValueError):
        # A value the filters let through but the database or the calendar cannot hold: an id of 10^68
        # (OverflowError in the driver), "abc" where a number is compared, the year 8843796629.
        # Logged with its traceback, so that a real defect hidden behind a 400 is still seen.
        logger.warning("Bad parameter in %s", context["request"].get_full_path(), exc_info=exc)
        exc = BadParameter()
    response = drf_exception_handler(exc, context)
    if response is not None and type(exc) in MESSAGES and isinstance(response.data, dict):
        response.data["detail"] = MESSAGES[type(exc)]
    return response
