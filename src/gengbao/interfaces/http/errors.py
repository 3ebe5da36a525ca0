"""The one table from errors to HTTP status, and the one envelope every error is sent in:
``{"ok": false, "error": {"code": …, "message": …, …details}}``."""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from gengbao.domain.access import AccessDenied
from gengbao.domain.errors import (
    ConflictError,
    CrsError,
    GengbaoError,
    InputError,
    NotFoundError,
    RuleError,
    UsageError,
    ValidationFailed,
    WorkspaceError,
)
from gengbao.services.users import AuthenticationError, RateLimited

log = logging.getLogger("gengbao.http")


class RequestRejected(GengbaoError):
    """A request refused by the HTTP layer itself (size, media type, unknown route); ``code`` says which."""

    code = "http.bad_request"
    default_message = "请求无效"


# Specific codes first, then classes (the first matching class wins).
CODE_STATUS: dict[str, int] = {
    "http.body_too_large": 413,
    "http.not_found": 404,
    "http.method_not_allowed": 405,
    "http.unsupported_media_type": 415,
    "http.not_acceptable": 406,
    "cases.wrong_role": 403,  # the transition table says this role may not fire it
    "cases.wrong_state": 409,  # the case is not (or no longer) in a state that allows it
}
CLASS_STATUS: tuple[tuple[type[GengbaoError], int], ...] = (
    (RateLimited, 429),
    (AuthenticationError, 401),
    (AccessDenied, 403),
    (ValidationFailed, 422),
    (CrsError, 400),
    (InputError, 400),
    (NotFoundError, 404),
    (ConflictError, 409),
    (WorkspaceError, 503),
    (RuleError, 422),
    (UsageError, 400),
    (GengbaoError, 400),
)


def status_for(exc: GengbaoError) -> int:
    if exc.code in CODE_STATUS:
        return CODE_STATUS[exc.code]
    for cls, status in CLASS_STATUS:
        if isinstance(exc, cls):
            return status
    return 400


def envelope(error: dict[str, Any], status: int, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps({"ok": False, "error": error}, ensure_ascii=False, default=str)
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def error_response(exc: GengbaoError) -> Response:
    status = status_for(exc)
    headers = {"Retry-After": str(exc.details.get("retry_after", 60))} if status == 429 else None
    if status == 401:
        headers = {"WWW-Authenticate": 'Bearer realm="gengbao"'}
    return envelope(exc.to_dict(), status, headers)


_HTTP_CODES = {404: ("http.not_found", "找不到请求的地址"), 405: ("http.method_not_allowed", "不支持此请求方法"),
               406: ("http.not_acceptable", "无法提供所请求的格式"), 413: ("http.body_too_large", "请求体过大")}


def _validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for e in errors[:5]:
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("body",)) or "请求体"
        kind = e.get("type", "")
        what = {"missing": "缺少", "json_invalid": "不是合法的 JSON", "int_parsing": "须为整数",
                "string_type": "须为文本", "int_type": "须为整数", "float_parsing": "须为数字",
                "bool_parsing": "须为布尔值", "enum": "取值不在允许范围内", "literal_error": "取值不在允许范围内",
                "string_too_long": "过长", "string_too_short": "过短", "greater_than_equal": "过小",
                "less_than_equal": "过大", "model_attributes_type": "须为 JSON 对象",
                "dict_type": "须为 JSON 对象", "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）",
                "date_parsing": "须为日期（YYYY-MM-DD）", "string_pattern_mismatch": "格式不正确",
                "extra_forbidden": "是未知字段"}.get(kind, "不正确")
        parts.append(f"{where} {what}")
    return "请求参数不正确：" + "；".join(parts)


def install(app: FastAPI) -> None:
    @app.exception_handler(GengbaoError)
    async def _gengbao(request: Request, exc: GengbaoError) -> Response:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "type": e.get("type"), "msg": e.get("msg")} for e in exc.errors()]
        return envelope({"code": "request.invalid", "message": _validation_message(errors), "errors": errors}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code, message = _HTTP_CODES.get(exc.status_code, (f"http.{exc.status_code}", str(exc.detail)))
        return envelope({"code": code, "message": message}, exc.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return envelope({"code": "server.error", "message": "服务器内部错误，已记录日志；请联系管理员。"}, 500)
