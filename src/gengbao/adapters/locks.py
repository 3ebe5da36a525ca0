"""Cross-process locks on files in the workspace (``flock``): released by the kernel when their process
dies, so a lock never outlives a crash, and a held lock proves its holder is alive."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from gengbao.domain.errors import GengbaoError

_HELD: dict[Path, int] = {}
_GUARD = threading.Lock()


@contextmanager
def held(path: Path, busy: Callable[[], GengbaoError]) -> Iterator[None]:
    """Hold the lock ``path`` (re-entrant within a process); if another process holds it, raise ``busy()``
    at once."""
    with _GUARD:
        reentered = path in _HELD
        if reentered:
            _HELD[path] += 1
    if reentered:
        try:
            yield
        finally:
            with _GUARD:
                _HELD[path] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy() from None
        with _GUARD:
            _HELD[path] = 1
        try:
            yield
        finally:
            with _GUARD:
                del _HELD[path]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def is_held(path: Path) -> bool:
    """True when a living process (this one included) holds ``path``."""
    with _GUARD:
        if path in _HELD:
            return True
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
