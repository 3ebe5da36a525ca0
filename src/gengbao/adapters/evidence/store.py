"""The evidence store: files under ``<workspace>/evidence/`` named by the SHA-256 of their bytes
(``ab/abcdef….jpg``), written once and never overwritten, and the HMAC check code (校验码) over the
bytes and the capture metadata with the workspace key (``workspace.key``, mode 0600; not in the
database, not in the repository; ``workspace_files.workspace_secret``). Anyone who edits a photo or its recorded
metadata without the secret cannot produce a matching code.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def relative_path(digest: str, suffix: str) -> str:
    return f"{digest[:2]}/{digest}{suffix.lower()}"


def put(root: Path, data: bytes, suffix: str) -> tuple[str, str, bool]:
    """Store ``data``; returns (sha256, path relative to ``root``, newly written). An existing file of
    the same digest is left as it is."""
    digest = sha256(data)
    rel = relative_path(digest, suffix)
    path = root / rel
    if path.exists():
        return digest, rel, False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    try:
        os.link(tmp, path)  # fails if another writer got there first: never overwrite
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    os.chmod(path, 0o444)
    return digest, rel, True


def read(root: Path, rel: str) -> bytes | None:
    path = root / rel
    return path.read_bytes() if path.is_file() else None


def check_code(key: bytes, digest: str, canonical_meta: str) -> str:
    return hmac.new(key, f"{digest}\x1f{canonical_meta}".encode(), hashlib.sha256).hexdigest()


def code_matches(key: bytes, digest: str, canonical_meta: str, code: str) -> bool:
    return hmac.compare_digest(check_code(key, digest, canonical_meta), code)
