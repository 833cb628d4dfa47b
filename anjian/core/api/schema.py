"""The OpenAPI description documents the error answers every operation can give, not only its success."""

from drf_spectacular.openapi import AutoSchema

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "原因（中文）"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "description": "按字段列出的错误（对象），或不针对某一字段的错误（字符串列表）。",
    "oneOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {"type": "string"}},
    ],
}
ERRORS = {
    "400": ("请求参数或提交的数据不正确。", FIELD_ERRORS),
    "401": ("未登录或令牌无效。", DETAIL),
    "403": ("您的角色无权执行此操作。", DETAIL),
    "404": ("记录不存在或不在您的数据范围内。", DETAIL),
    "409": ("记录当前的状态不允许此操作。", DETAIL),
}


def error_response(code: str) -> dict:
    description, schema = ERRORS[code]
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class ApiSchema(AutoSchema):
    """Adds 400, 401, 403 and 404 (operations on one record) to every operation.

    A viewset names the actions that may answer 409 (a state conflict) in `conflict_actions`.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403"]
        if "{" in self.path:
            codes.append("404")
        if getattr(self.view, "action", None) in getattr(self.view, "conflict_actions", ()):
            codes.append("409")
        for code in codes:
            responses.setdefault(code, error_response(code))
        return responses
