"""The workspace folder on disk: its layout and its small ``workspace.json`` descriptor."""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gengbao.domain.errors import WorkspaceError

DESCRIPTOR = "workspace.json"
SQLITE_FILE = "gengbao.sqlite"
SECRET_FILE = "workspace.key"  # mode 0600; never in the database, never in a repository
AUDIT_HEAD = "audit.head"  # the audit chain's last sequence number and hash, kept outside the database
FORMAT = 1


@dataclass(frozen=True, slots=True)
class WorkspaceLayout:
    root: Path

    @property
    def descriptor(self) -> Path:
        return self.root / DESCRIPTOR

    @property
    def sqlite(self) -> Path:
        return self.root / SQLITE_FILE

    @property
    def layers(self) -> Path:
        return self.root / "layers"

    @property
    def evidence(self) -> Path:
        return self.root / "evidence"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def truth(self) -> Path:
        return self.root / "truth"

    @property
    def secret_file(self) -> Path:
        return self.root / SECRET_FILE

    @property
    def audit_head(self) -> Path:
        return self.root / AUDIT_HEAD

    def make_dirs(self) -> None:
        for d in (self.root, self.layers, self.evidence, self.exports):
            d.mkdir(parents=True, exist_ok=True)


def write_descriptor(layout: WorkspaceLayout, data: dict[str, Any]) -> None:
    payload = {"format": FORMAT, **data}
    tmp = layout.descriptor.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(layout.descriptor)


def read_descriptor(layout: WorkspaceLayout) -> dict[str, Any]:
    if not layout.descriptor.is_file():
        raise WorkspaceError(
            f"“{layout.root}”不是 gengbao 工作空间（缺少 {DESCRIPTOR}）。请先运行 gengbao init 创建工作空间。",
            code="workspace.not_found",
            path=str(layout.root),
        )
    try:
        data: dict[str, Any] = json.loads(layout.descriptor.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WorkspaceError(
            f"工作空间描述文件 {layout.descriptor} 已损坏：{exc}", code="workspace.corrupt"
        ) from exc
    if data.get("format") != FORMAT:
        raise WorkspaceError(
            f"工作空间格式版本 {data.get('format')} 不受支持（需要 {FORMAT}）。", code="workspace.format"
        )
    return data


def workspace_secret(layout: WorkspaceLayout) -> bytes:
    """The workspace's secret key (created on first use, readable by its owner only)."""
    path = layout.secret_file
    if not path.exists():
        layout.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    if path.stat().st_mode & 0o077:
        raise WorkspaceError(f"工作空间密钥文件 {path} 的权限过宽，须为 0600（chmod 600 {path}）。",
                             code="workspace.key_mode")
    return bytes.fromhex(path.read_text().strip())


def _mac(layout: WorkspaceLayout, seq: int, digest: str) -> str:
    return hmac.new(workspace_secret(layout), f"{seq}:{digest}".encode(), hashlib.sha256).hexdigest()


def read_audit_head(layout: WorkspaceLayout) -> tuple[int, str, bool] | None:
    """(sequence number, hash, whether its signature holds) of the last audit record written, or None."""
    try:
        data = json.loads(layout.audit_head.read_text(encoding="utf-8"))
        seq, digest = int(data["seq"]), str(data["hash"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return seq, digest, hmac.compare_digest(str(data.get("mac", "")), _mac(layout, seq, digest))


def advance_audit_head(layout: WorkspaceLayout, seq: int, digest: str) -> None:
    """Record ``seq``/``digest`` as the head unless a later one is recorded already (writers commit in any
    order; the head only moves forward)."""
    lock = layout.layers / ".locks" / "audit-head.lock"  # beside the layer store's writer locks
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        current = read_audit_head(layout)
        if current is not None and current[0] >= seq:
            return
        tmp = layout.audit_head.with_suffix(".tmp")
        tmp.write_text(json.dumps({"seq": seq, "hash": digest, "mac": _mac(layout, seq, digest)}), encoding="utf-8")
        tmp.replace(layout.audit_head)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
