"""The workspace's unit directory and who reports on each measure (assignments)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gengbao.adapters.db import tasks_store as store
from gengbao.adapters.db.tasks_store import StoredDocument
from gengbao.adapters.task_documents.yaml_data import packaged_units
from gengbao.domain.errors import UsageError
from gengbao.domain.tasks.measures import UNIT_ROLES, ColumnRole, Measure
from gengbao.domain.tasks.organisations import (
    Resolution,
    Unit,
    UnitDirectory,
    UnitKind,
    government,
    region_in_title,
)
from gengbao.domain.tasks.progress import Assignment, MeasureRef
from gengbao.services.context import Context

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def unit_directory(ws: Context, stored: list[Unit]) -> UnitDirectory:
    """The packaged directory plus the units stored in the workspace."""
    return UnitDirectory([*packaged_units(), *stored], ws.catalog, ws.region)


def list_units(ws: Context) -> list[Unit]:
    """The directory's units of the workspace's region and of the regions above or below it."""
    with ws.sessions() as s:
        directory = unit_directory(ws, store.units(s))
    return [
        u
        for u in directory.units
        if u.region in ws.catalog
        and (ws.catalog.contains(ws.region, u.region) or ws.catalog.contains(u.region, ws.region))
    ]


def document_region(ws: Context, title: str, given: str | None) -> str:
    if given:
        code = ws.catalog.normalise_code(given)
        ws.catalog.get(code)
        if not ws.catalog.contains(ws.region, code) and not ws.catalog.contains(code, ws.region):
            raise UsageError(f"区划 {code} 不在工作空间范围 {ws.region} 内", code="tasks.region_outside")
        return code
    return region_in_title(title, ws.catalog, ws.region) or ws.region


def resolve_measure(directory: UnitDirectory, m: Measure, context: str) -> dict[str, list[Resolution]]:
    return {r.value: directory.resolve_list(m.units(r).names, context) for r in UNIT_ROLES if m.units(r)}


def measure_assignments(directory: UnitDirectory, doc: StoredDocument, m: Measure) -> list[Assignment]:
    """Who reports on a measure: lead and implementing units (classes expanded); else the units the
    text mentions; else the government of the document's region."""
    ref = MeasureRef(doc.key, m.number)
    out: dict[str, Assignment] = {}
    for role in (ColumnRole.LEAD, ColumnRole.IMPLEMENTING):
        for r in directory.resolve_list(m.units(role).names, doc.region):
            for u in r.members:
                out.setdefault(u.name, Assignment(ref, u.name, u.region, m.deadline, role.value))
    if not out:
        for name in m.mentioned:
            for u in directory.resolve(name, doc.region).members:
                out.setdefault(u.name, Assignment(ref, u.name, u.region, m.deadline, "mentioned"))
    if not out and doc.region in directory.catalog:
        g = government(directory.catalog.get(doc.region))
        out[g.name] = Assignment(ref, g.name, g.region, m.deadline, "issuer")
    return list(out.values())


def all_assignments(
    ws: Context, session: Session, document: str | None = None
) -> tuple[UnitDirectory, list[Assignment]]:
    """The directory and every assignment of the document (or of all documents), read in ``session``."""
    directory = unit_directory(ws, store.units(session))
    docs = [store.find_document(session, document)] if document else store.documents(session)
    out: list[Assignment] = []
    for doc in docs:
        for m in store.measures_of(session, doc):
            out.extend(measure_assignments(directory, doc, m))
    return directory, out


def add_unit(
    ws: Context,
    name: str,
    *,
    region: str | None = None,
    kind: str = "department",
    aliases: tuple[str, ...] = (),
) -> Unit:
    """Add a unit (or aliases of one) to the workspace's directory."""
    code = ws.catalog.normalise_code(region) if region else ws.region
    ws.catalog.get(code)
    try:
        unit_kind = UnitKind(kind)
    except ValueError:
        raise UsageError(
            f"单位类型“{kind}”不可用（department、other、collective）", code="tasks.unit_kind"
        ) from None
    with ws.transaction() as s:
        unit = store.save_unit(s, code, name, unit_kind, aliases)
        payload = {"kind": unit.kind.value, "aliases": list(unit.aliases)}
        ws.audit(s, "tasks.unit_add", f"task_unit:{code}:{name}", payload)
        return unit
