"""Report attachments in the workspace's evidence store: content-addressed by SHA-256, never
overwritten (``evidence/sha256/ab/abcdef….ext``)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from gengbao.domain.errors import InputError


def store_attachment(evidence_root: Path, source: Path) -> dict[str, object]:
    src = Path(source)
    if not src.is_file():
        raise InputError(f"附件不存在：{src}", code="file.not_found", file=str(src))
    h = hashlib.sha256()
    with src.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    rel = Path("sha256") / digest[:2] / (digest + src.suffix.lower())
    dest = Path(evidence_root) / rel
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_suffix(dest.suffix + ".tmp")
        shutil.copyfile(src, tmp)
        tmp.replace(dest)
    return {"name": src.name, "sha256": digest, "path": rel.as_posix(), "bytes": src.stat().st_size}
