"""Long operations started from the API run in a background thread; the client polls their progress.

Jobs live in the memory of the server process that started them (with ``--workers N`` a client polls
through the same connection or a sticky proxy); only the user who started a job can see it."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from gengbao.domain.errors import GengbaoError, NotFoundError

_FRACTION = re.compile(r"(\d+)/(\d+)")


@dataclass
class Job:
    id: str
    kind: str
    owner: str
    state: str = "queued"  # queued → running → done | failed
    done: int = 0
    total: int | None = None
    messages: list[str] = field(default_factory=list)
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    def progress(self, message: str) -> None:
        self.messages.append(message)
        m = _FRACTION.search(message)
        if m:
            self.done, self.total = int(m.group(1)), int(m.group(2))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "state": self.state, "done": self.done, "total": self.total,
                "message": self.messages[-1] if self.messages else "", "messages": self.messages[-20:],
                "result": self.result, "error": self.error, "started_at": self.started_at}


class Jobs:
    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gengbao-job")

    def start(self, kind: str, owner: str, work: Callable[[Job], dict[str, Any]]) -> Job:
        job = Job(uuid.uuid4().hex, kind, owner)
        with self._lock:
            self._jobs[job.id] = job

        def run() -> None:
            job.state = "running"
            try:
                job.result = work(job)
                job.state = "done"
            except GengbaoError as exc:
                job.error, job.state = exc.to_dict(), "failed"
            except Exception:  # noqa: BLE001 - reported to the poller, never a traceback
                job.error = {"code": "server.error", "message": "后台任务意外失败，已记录日志。"}
                job.state = "failed"

        self._pool.submit(run)
        return job

    def get(self, job_id: str, owner: str) -> Job:
        job = self._jobs.get(job_id)
        if job is None or job.owner != owner:
            raise NotFoundError("后台任务不存在", code="jobs.not_found", job=job_id[:64])
        return job

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
