"""Use cases: add field photos to a case, and verify every stored photo.

``add_evidence`` reads each file fully first (all-or-nothing: one bad file and nothing is stored),
refuses photos without GPS position or capture time, stores the bytes content-addressed, computes
the check code, and raises findings: taken farther than ``photo_max_distance_m`` from the patch
(``evidence.too_far``), taken before the later epoch's standard date (``evidence.before_epoch``),
the same bytes (``evidence.reused``) or a near-duplicate picture (``evidence.near_duplicate``) on
another case, and a case still lacking a distant or a close view (``evidence.missing_views``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import shapely
from shapely.ops import nearest_points

from gengbao.adapters.db import case_store
from gengbao.adapters.evidence import store
from gengbao.adapters.evidence.photo import PhotoMeta, phash_distance, read_photo
from gengbao.adapters.workspace_files import workspace_secret
from gengbao.domain.access import Action
from gengbao.domain.cases.profile import CaseRules
from gengbao.domain.errors import InputError
from gengbao.domain.findings import Finding, Severity
from gengbao.services.cases.common import KIND_VIEWS, load
from gengbao.services.cases.rules import rules_for
from gengbao.services.context import Context

EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True, slots=True)
class EvidenceResult:
    case: str
    stored: tuple[dict[str, Any], ...]
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"case": self.case, "stored": list(self.stored), "findings": [f.to_dict() for f in self.findings]}


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def distance_to(geometry: bytes | None, lon: float, lat: float) -> float | None:
    if geometry is None:
        return None
    g = shapely.from_wkb(geometry)
    p = shapely.Point(lon, lat)
    if g.geom_type != "Point" and g.covers(p):
        return 0.0
    q = nearest_points(g, p)[0]
    return _metres(lon, lat, q.x, q.y)


def _kind(kind: str) -> str:
    if kind not in KIND_VIEWS:
        raise InputError(f"不认识的照片类型“{kind}”。可用：远景、近景、内景、无人机", code="evidence.unknown_kind",
                         value=kind)
    return KIND_VIEWS[kind]


def add_evidence(ctx: Context, number: str, files: Sequence[Path], kind: str, on: date,
                 rules: CaseRules | None = None) -> EvidenceResult:
    rules = rules_for(ctx, rules)
    view_kind = _kind(kind)
    photos: list[tuple[Path, bytes, PhotoMeta]] = []
    for f in files:
        try:
            data = Path(f).read_bytes()
        except OSError as exc:
            raise InputError(f"读不到照片文件“{f}”：{exc.strerror}", code="evidence.unreadable", file=str(f)) from exc
        meta = read_photo(data, Path(f).name)
        if meta.lat is None or meta.lon is None:
            raise InputError(f"照片“{Path(f).name}”没有 GPS 位置（EXIF），不能作为举证照片；未存储任何照片。"
                             "请用举证 App 或开启定位的相机重新拍摄。", code="evidence.no_gps", file=str(f))
        if meta.taken_at is None:
            raise InputError(f"照片“{Path(f).name}”没有拍摄时间（EXIF），不能作为举证照片；未存储任何照片。",
                             code="evidence.no_time", file=str(f))
        photos.append((Path(f), data, meta))
    root = ctx.layout.evidence
    key = workspace_secret(ctx.layout)
    stored: list[dict[str, Any]] = []
    findings: list[Finding] = []
    with ctx.transaction() as s:
        rec = load(s, number)
        ctx.authorise(Action.EDIT, rec.region)
        others = case_store.evidence_elsewhere(s, rec.id)
        epoch_day = date(rec.to_epoch, 12, 31) if rec.to_epoch else None
        for path, data, meta in photos:
            digest, rel, _new = store.put(root, data, path.suffix or ".jpg")
            own: list[Finding] = []
            assert meta.lon is not None and meta.lat is not None and meta.taken_at is not None
            d = distance_to(rec.geometry, meta.lon, meta.lat)
            if d is not None and d > rules.photo_max_distance_m:
                own.append(Finding("evidence.too_far", f"照片“{path.name}”拍摄点距图斑 {d:.0f} 米，超过 "
                                   f"{rules.photo_max_distance_m:.0f} 米。", Severity.WARNING, feature=number,
                                   value=f"{d:.1f}"))
            if epoch_day is not None and meta.taken_at.date() < epoch_day:
                own.append(Finding("evidence.before_epoch", f"照片“{path.name}”拍摄于 {meta.taken_at.date()}，早于后一期"
                                   f"调查时点 {epoch_day}，不能证明现状。", Severity.WARNING, feature=number))
            for _eid, other, sha, ph in others:
                if sha == digest:
                    own.append(Finding("evidence.reused", f"照片“{path.name}”与案件 {other} 的照片完全相同（同一文件）。",
                                       Severity.ERROR, feature=number, value=other))
                    break
                if phash_distance(ph, meta.phash) <= rules.near_duplicate_bits:
                    own.append(Finding("evidence.near_duplicate", f"照片“{path.name}”与案件 {other} 的照片几乎相同"
                                       "（感知哈希相近），疑似重复使用。", Severity.ERROR, feature=number, value=other))
                    break
            code = store.check_code(key, digest, meta.canonical())
            case_store.add_evidence(
                s, case_id=rec.id, sha256=digest, path=rel, file_name=path.name, kind=view_kind, format=meta.format,
                width=meta.width, height=meta.height, taken_at=meta.taken_at, lat=meta.lat, lon=meta.lon,
                azimuth=meta.azimuth, device=meta.device, phash=meta.phash, check_code=code, accepted=True,
                added_on=on, added_by=ctx.actor.user_id, findings=[f.to_dict() for f in own])
            others.append((0, number, digest, meta.phash))
            stored.append({"file": path.name, "sha256": digest, "path": rel, "check_code": code, **meta.to_dict()})
            findings += own
        kinds = {KIND_VIEWS.get(e.kind, e.kind) for e in case_store.evidence_of(s, rec.id)}
        if not {"distant", "close"} <= (kinds | ({"distant"} if "drone" in kinds else set())):
            findings.append(Finding("evidence.missing_views", f"案件 {number} 还缺少"
                                    f"{'远景' if not kinds & {'distant', 'drone'} else '近景'}照片（每个图斑至少一张远景和一张近景）。",
                                    Severity.WARNING, feature=number))
        ctx.audit(s, "evidence.add", f"case/{number}", {"date": on.isoformat(), "kind": view_kind,
                                                         "photos": [x["sha256"] for x in stored],
                                                         "findings": [f.code for f in findings]})
    return EvidenceResult(number, tuple(stored), tuple(findings))


def verify_evidence(ctx: Context) -> list[Finding]:
    """Every stored photo whose file is missing, whose bytes changed, or whose recorded metadata no
    longer matches its check code."""
    ctx.authorise(Action.READ)
    root = ctx.layout.evidence
    key = workspace_secret(ctx.layout)
    out: list[Finding] = []
    with ctx.sessions() as s:
        for e, number in case_store.all_evidence(s, ctx.actor.jurisdiction):
            data = store.read(root, e.path)
            if data is None:
                out.append(Finding("evidence.file_missing", f"案件 {number} 的照片 {e.file_name}（{e.path}）文件缺失。",
                                   feature=number, value=e.sha256))
                continue
            if store.sha256(data) != e.sha256:
                out.append(Finding("evidence.bytes_changed", f"案件 {number} 的照片 {e.file_name} 的文件内容已被修改。",
                                   feature=number, value=e.sha256))
                continue
            meta = PhotoMeta(e.format, e.width, e.height, e.taken_at, e.lat, e.lon, e.azimuth, e.device, e.phash)
            if not store.code_matches(key, e.sha256, meta.canonical(), e.check_code):
                out.append(Finding("evidence.metadata_changed", f"案件 {number} 的照片 {e.file_name} 的登记信息"
                                   "（时间、位置、方位角或设备）与校验码不符，已被修改。", feature=number, value=e.sha256))
    return out
