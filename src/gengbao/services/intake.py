"""The one import pipeline every file import goes through (survey layers, reference layers, approvals,
delivered patches; later cases, photos, ledgers and plans).

    read (one door per medium) → CRS: classify, check, reproject to EPSG:4490, with its warnings
    → checks return findings → any error: the rejection is recorded and nothing is stored
    → all-or-nothing write + import record + audit in one transaction (the written files are removed
      when that transaction fails) → one :class:`ImportReport`.

A capability supplies only what is its own: its checks and what it stores. An :class:`Intake` is one
import in progress; it collects findings and facts and finally returns a frozen report or raises
:class:`~gengbao.domain.errors.ValidationFailed` carrying the report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
from pyproj.exceptions import CRSError

from gengbao.adapters.db import workspace_store
from gengbao.adapters.file_digest import sha256_of
from gengbao.adapters.vector_io import LayerSource, read_layer
from gengbao.domain.errors import CrsError, InputError, UnreadableInput, ValidationFailed
from gengbao.domain.findings import Finding, Severity
from gengbao.services.context import Context
from gengbao.spatial.crs import check_coordinates, classify_crs, to_cgcs2000

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Reader = Callable[[Path, str | None], tuple[gpd.GeoDataFrame, LayerSource]]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What one import did. ``what`` names it (``survey.parcels``, ``layers.redline``, ``approvals``,
    ``patches``); the optional facts are those that import has (``None``: not part of its report)."""

    what: str
    source: str
    ok: bool
    imported: int
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    epoch: int | None = None
    kind: str | None = None
    counties: list[str] | None = None
    outside: int | None = None
    kinds: dict[str, int] | None = None
    counts: dict[str, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok, "imported": self.imported}
        for name in ("epoch", "kind"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        out["source"] = self.source
        for name in ("counties", "outside", "kinds", "counts"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        out["errors"] = [f.to_dict() for f in self.errors]
        out["warnings"] = [f.to_dict() for f in self.warnings]
        return out


class Intake:
    """One import in progress: its findings, its facts, and the steps every import shares."""

    def __init__(self, ctx: Context | None, what: str, source: str, *, action: str, sha256: str = "",
                 notes: tuple[str, ...] = (), **facts: Any) -> None:
        self.ctx, self.what, self.source, self.action, self.sha256 = ctx, what, source, action, sha256
        self.errors: list[Finding] = []
        self.warnings: list[Finding] = [Finding("input.note", n, Severity.WARNING) for n in notes]
        self.facts: dict[str, Any] = facts

    # -- reading ----------------------------------------------------------------------------------
    @classmethod
    def read(cls, ctx: Context | None, path: Path, what: str, *, action: str, layer: str | None = None,
             reader: Reader | None = None, **facts: Any) -> tuple[Intake, gpd.GeoDataFrame]:
        """Read ``path`` through its door (``read_layer`` unless the capability has its own); an
        unreadable file is a recorded rejection."""
        path = Path(path)
        try:
            frame, src = (reader or (lambda p, lyr: read_layer(p, lyr, what.rsplit(".", 1)[-1])))(path, layer)
        except InputError as exc:
            failed = cls(ctx, what, path.name, action=action, **facts)
            failed.errors.append(Finding(exc.code, exc.message))
            failed.count(exc.code)
            rejected = failed.reject()
            raise UnreadableInput(exc.message, code=exc.code, report=rejected.report, what=what,
                                  **dict(exc.details)) from exc
        intake = cls(ctx, what, path.name, action=action, sha256=sha256_of(path), notes=src.notes, **facts)
        intake.facts.setdefault("undecodable", dict(src.undecodable))
        return intake, frame

    # -- findings ---------------------------------------------------------------------------------
    def add(self, findings: list[Finding] | tuple[Finding, ...]) -> None:
        for f in findings:
            (self.errors if f.severity is Severity.ERROR else self.warnings).append(f)

    def error(self, code: str, message: str, **where: Any) -> None:
        self.errors.append(Finding(code, message, **where))

    def warn(self, code: str, message: str, **where: Any) -> None:
        if not any(w.code == code and w.message == message for w in self.warnings):
            self.warnings.append(Finding(code, message, Severity.WARNING, **where))

    def count(self, code: str, n: int = 1) -> None:
        counts = self.facts.setdefault("counts", {})
        counts[code] = counts.get(code, 0) + n

    # -- coordinates ------------------------------------------------------------------------------
    def given_crs(self, crs: str | int | None) -> pyproj.CRS | None:
        """The CRS the user named (``--crs``), or None; an unknown one is a usage error, not a traceback."""
        if crs is None:
            return None
        try:
            return pyproj.CRS.from_user_input(crs)
        except (CRSError, TypeError, ValueError) as exc:
            raise CrsError(f"--crs “{crs}”不是可识别的坐标系（应为 EPSG 代码，如 4490、4548）",
                           code="crs.unknown", value=str(crs)) from exc

    def to_cgcs2000(self, frame: gpd.GeoDataFrame, given: pyproj.CRS | None, source: str | None = None) -> np.ndarray | None:
        """The frame's geometries in EPSG:4490, or None with the CRS error as a finding. Warns when the
        user's CRS replaces the layer's own and when WGS84 is taken as CGCS2000."""
        where = source or self.source
        layer_crs = pyproj.CRS(frame.crs) if frame.crs is not None else None
        if given is not None and layer_crs is not None and layer_crs != given:
            self.warn("crs.overridden", f"{self.source}：图层自带坐标系 {layer_crs.name}，已按指定的 {given.name} 处理")
        try:
            info = classify_crs(given or layer_crs)
            check_coordinates(frame.geometry.total_bounds, info, source=where)
            geoms = np.asarray(to_cgcs2000(frame.geometry.to_numpy(), info), dtype=object)
        except CrsError as exc:
            self.errors.append(Finding(exc.code, exc.message))
            return None
        if info.warning:
            self.warn("crs.approximate", info.warning)
        return geoms

    # -- the end: rejected or stored --------------------------------------------------------------
    def report(self, ok: bool, imported: int = 0) -> ImportReport:
        names = ("epoch", "kind", "counties", "outside", "kinds", "counts")
        return ImportReport(self.what, self.source, ok, imported, list(self.errors), list(self.warnings),
                            **{n: self.facts[n] for n in names if n in self.facts})

    def _summary(self) -> dict[str, Any]:
        return {k: v for k, v in self.facts.items() if k in ("epoch", "counts", "counties", "outside", "kinds")}

    def reject(self) -> ValidationFailed:
        """Record the rejected attempt (when there is a workspace) and return the error to raise."""
        report = self.report(False)
        if self.ctx is not None:
            with self.ctx.transaction() as s:
                self._record(s, report)
        first = report.errors[0].message if report.errors else ""
        return ValidationFailed(f"{self.source} 未通过检查：{len(report.errors)} 个错误，未导入任何内容。首个错误：{first}",
                                report=report, what=self.what)

    def check(self) -> None:
        """Stop here, recorded, when any error was found."""
        if self.errors:
            raise self.reject()

    def commit(self, imported: int, *, subject: str, audit: dict[str, Any],
               write: Callable[[Session], None] = lambda _s: None,
               undo: Callable[[], None] | None = None) -> ImportReport:
        """Store: ``write`` (rows of the capability), the import record and the audit entry in one
        transaction; ``undo`` removes what was written outside the database when that fails."""
        assert self.ctx is not None, "an import that stores needs a workspace"
        self.check()
        report = self.report(True, imported)
        try:
            with self.ctx.transaction() as s:
                write(s)
                self._record(s, report)
                self.ctx.audit(s, self.action, subject, {"source": self.source, "sha256": self.sha256, **audit})
        except BaseException:
            if undo is not None:
                undo()
            raise
        return report

    def _record(self, session: Session, report: ImportReport) -> None:
        workspace_store.record_import(session, what=self.what, source_file=self.source, source_sha256=self.sha256,
                                      ok=report.ok, imported=report.imported, error_count=len(report.errors),
                                      warning_count=len(report.warnings), summary=self._summary())


# -- reading fields by their (English or Chinese) names ---------------------------------------------

def find_column(columns: list[str], names: tuple[str, ...]) -> str | None:
    folded = {str(c).strip().lower(): c for c in columns}
    return next((folded[n.lower()] for n in names if n.lower() in folded), None)


def parse_date(value: Any) -> date | None:
    """A date from a date/datetime, pandas Timestamp, ``2021-05-01``, ``2021/5/1``, ``2021年5月1日`` or
    ``20210501``; None when blank. Raises ValueError when unreadable."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text or text.lower() in ("nan", "none", "nat"):
        return None
    text = text.replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-").replace(".", "-")
    if text.isdigit() and len(text) == 8:
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    y, m, d = (int(p) for p in text.split("T")[0].split(" ")[0].split("-"))
    return date(y, m, d)
