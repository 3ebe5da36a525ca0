"""Body size limits, enforced before the body is read: a declared ``Content-Length`` over the limit is
refused at once with 413; a body sent without one is counted as it arrives and refused when it passes
the limit. JSON bodies 1 MB, multipart uploads (photos) 30 MB by default."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gengbao.interfaces.http.errors import RequestRejected

JSON_LIMIT = 1 * 1024 * 1024
UPLOAD_LIMIT = 30 * 1024 * 1024


def _too_large(limit: int) -> RequestRejected:
    return RequestRejected(f"请求体超过 {limit // (1024 * 1024)} MB 上限，未处理。", code="http.body_too_large",
                           limit_bytes=limit)


class BodyLimit:
    def __init__(self, app: ASGIApp, json_limit: int = JSON_LIMIT, upload_limit: int = UPLOAD_LIMIT) -> None:
        self.app, self.json_limit, self.upload_limit = app, json_limit, upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        upload = headers.get("content-type", "").startswith("multipart/form-data")
        limit = self.upload_limit if upload else self.json_limit
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await _reply(send, 400, {"code": "http.bad_length", "message": "Content-Length 无效"})
                return
            if int(declared) > limit:
                await _reply(send, 413, _too_large(limit).to_dict())
                return
        seen, over, replied = 0, False, False

        async def counted() -> Message:
            nonlocal seen, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:  # stop reading: the app sees a disconnected client and handles nothing;
                    over = True  # whatever it answers is replaced by the 413 below
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal replied
            if not over:
                await send(message)
            elif not replied:
                replied = True
                await _reply(send, 413, _too_large(limit).to_dict())

        await self.app(scope, counted, guarded)


async def _reply(send: Send, status: int, error: dict[str, Any]) -> None:
    body = json.dumps({"ok": False, "error": error}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
