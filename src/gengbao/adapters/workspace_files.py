"""The workspace folder on disk: its layout and its small ``workspace.json`` descriptor."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gengbao.domain.errors import WorkspaceError

DESCRIPTOR = "workspace.json"
SQLITE_FILE = "gengbao.sqlite"
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
