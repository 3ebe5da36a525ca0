"""The workspace's unit directory and who reports on each measure (assignments)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gengbao.adapters.db.models_tasks import TaskDocumentRow, TaskUnitRow
from gengbao.adapters.task_documents.yaml_data import packaged_units
from gengbao.domain.errors import UsageError
from gengbao.domain.tasks.measures import UNIT_ROLES, Measure, Role
from gengbao.domain.tasks.progress import Assignment, MeasureRef
from gengbao.domain.tasks.units import Resolution, Unit, UnitDirectory, UnitKind, government, region_in_title
from gengbao.services.context import Context
from gengbao.services.tasks.store import documents, find_document, measures_of, row_to_measure


def load_directory(ws: Context, session: Session) -> UnitDirectory:
    extra = [
        Unit(r.name, r.region, UnitKind(r.kind), tuple(r.aliases or ()))
        for r in session.scalars(select(TaskUnitRow))
    ]
    return UnitDirectory([*packaged_units(), *extra], ws.catalog, ws.region)


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


def measure_assignments(directory: UnitDirectory, doc: TaskDocumentRow, m: Measure) -> list[Assignment]:
    """Who reports on a measure: lead and implementing units (classes expanded); else the units the
    text mentions; else the government of the document's region."""
    ref = MeasureRef(doc.key, m.number)
    out: dict[str, Assignment] = {}
    for role in (Role.LEAD, Role.IMPLEMENTING):
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
    directory = load_directory(ws, session)
    docs = [find_document(session, document)] if document else documents(session)
    out: list[Assignment] = []
    for doc in docs:
        for r in measures_of(session, doc):
            out.extend(measure_assignments(directory, doc, row_to_measure(r)))
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
        row = s.scalar(select(TaskUnitRow).where(TaskUnitRow.region == code, TaskUnitRow.name == name))
        if row is None:
            row = TaskUnitRow(region=code, name=name, kind=unit_kind.value, aliases=[])
            s.add(row)
        row.kind = unit_kind.value
        row.aliases = list(dict.fromkeys([*(row.aliases or []), *aliases]))
        ws.audit(s, "tasks.unit_add", f"task_unit:{code}:{name}", {"kind": row.kind, "aliases": row.aliases}
        )
        return Unit(name, code, unit_kind, tuple(row.aliases))
