"""Rows of cells → measures. Shared by every tabular source: the tab-separated text layout, the
one-cell-per-line layout, .xlsx sheets and .docx tables.

The header row names the columns (重点任务 / 序号 / 推进措施 / 主要任务 / 具体举措 / 工作举措 / 牵头单位 /
责任单位 / 配合单位 / 落实单位 / 完成时限) and may repeat on every page. Continuation rows leave the first
columns empty: they inherit the key task and group from the row above. A row holding only a heading
(一、明细责任) starts a new key task or area. Rows before the first header are the title block.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from gengbao.domain.errors import InputError
from gengbao.domain.findings import Finding, Severity
from gengbao.domain.tasks.deadlines import Deadline, DeadlineKind, parse_deadline
from gengbao.domain.tasks.measures import (
    AREA_HEADING,
    Column,
    ColumnRole,
    Measure,
    TaskDocument,
    clean_cell,
    header_role,
    split_number,
    squash,
)
from gengbao.domain.tasks.unit_lists import split_units


@dataclass(frozen=True, slots=True)
class Row:
    cells: list[str]
    line: int
    where: str  # "第 12 行", "工作表 Sheet1 第 5 行", "表格 2 第 3 行"


def header_columns(cells: list[str]) -> tuple[Column, ...] | None:
    """The columns when ``cells`` is a header row (at least three known headers, one of them a text)."""
    filled = [c for c in cells if c.strip()]
    roles = [header_role(c) for c in filled]
    if len(filled) < 3 or any(r is None for r in roles) or ColumnRole.TEXT not in roles:
        return None
    return tuple(Column(r, squash(c)) for r, c in zip(roles, filled, strict=True) if r is not None)


def title_from(lines: Iterable[str]) -> str:
    """The title among pre-table lines: the last that is not an attachment mark (附件1)."""
    best = ""
    for raw in lines:
        t = raw.strip().lstrip("#").strip()
        if t and not t.startswith("附件") and len(t) <= 60:
            best = t
    return best


class _Builder:
    def __init__(self, source: str, strict: bool) -> None:
        self.source = source
        self.strict = strict
        self.columns: tuple[Column, ...] | None = None
        self.key_task = ""
        self.group_no = ""
        self.group = ""
        self.measures: list[Measure] = []
        self.findings: list[Finding] = []
        self.seen: dict[int, str] = {}

    def fail(self, row: Row, problem: str, code: str) -> InputError:
        return InputError(f"{self.source} {row.where}：{problem}", code=code, file=self.source, line=row.line)

    def warn(self, code: str, message: str, row: Row, value: str | None = None) -> None:
        self.findings.append(
            Finding(code, f"{row.where}：{message}", Severity.WARNING, row.where, value=value)
        )

    def fit(self, row: Row) -> list[str]:
        assert self.columns is not None
        n = len(self.columns)
        cells = [clean_cell(c) for c in row.cells]
        while len(cells) > n and not cells[-1]:
            cells.pop()
        if len(cells) < n and not self.strict:
            cells += [""] * (n - len(cells))
        if len(cells) != n:
            raise self.fail(
                row,
                f"有 {len(cells)} 列，表头有 {n} 列（{'、'.join(c.header for c in self.columns)}），无法对齐",
                "tasks.row_columns",
            )
        return cells

    def heading(self, cells: list[str]) -> str | None:
        filled = [c for c in cells if c]
        if (
            len(set(filled)) == 1
            and (cells[0] or len(filled) == len(cells))
            and AREA_HEADING.match(filled[0])
        ):
            return filled[0]
        return None

    def row(self, row: Row) -> bool:
        """Take one row; False at the end of the table (附注 / 注)."""
        raw = [clean_cell(c) for c in row.cells]
        if not any(raw):
            return True
        cols = header_columns(raw)
        if cols is not None:
            if self.columns is not None and [c.role for c in cols] != [c.role for c in self.columns]:
                raise self.fail(row, "重复的表头与第一个表头的列不同", "tasks.header_mismatch")
            self.columns = self.columns or cols
            return True
        if self.columns is None:
            return True  # title block before the table
        filled = [c for c in raw if c]
        if len(filled) == 1 and filled[0].startswith(("附注", "注：", "注:", "说明：")):
            return False
        head = self.heading(raw)
        if head is not None and (len(filled) == 1):
            self.key_task, self.group_no, self.group = head, "", ""
            return True
        self.measure(row, dict(zip([c.role for c in self.columns], self.fit(row), strict=True)))
        return True

    def measure(self, row: Row, cell: dict[ColumnRole, str]) -> None:
        if cell.get(ColumnRole.KEY_TASK) and squash(cell[ColumnRole.KEY_TASK]) != squash(self.key_task):
            self.key_task, self.group_no, self.group = cell[ColumnRole.KEY_TASK], "", ""
        if cell.get(ColumnRole.GROUP_NO):
            if cell[ColumnRole.GROUP_NO] != self.group_no:
                self.group = ""
            self.group_no = cell[ColumnRole.GROUP_NO]
        if cell.get(ColumnRole.GROUP) and squash(cell[ColumnRole.GROUP]) != squash(self.group):
            self.group = cell[ColumnRole.GROUP]
        number, label, text = split_number(cell.get(ColumnRole.TEXT, ""))
        units = [cell.get(r, "") for r in (ColumnRole.LEAD, ColumnRole.COOPERATING, ColumnRole.IMPLEMENTING, ColumnRole.DEADLINE)]
        if number is None and not any(units) and self.measures and text:
            last = self.measures[-1]
            self.measures[-1] = replace(last, text=last.text + text)
            return
        if not text:
            raise self.fail(row, "举措内容为空", "tasks.measure_empty")
        if number is None:
            number = (self.measures[-1].number if self.measures else 0) + 1
            label = ""
            self.warn("tasks.measure_unnumbered", f"举措没有编号，按顺序记为第 {number} 条", row, text[:30])
        if number in self.seen:
            raise self.fail(row, f"举措编号 {number} 与{self.seen[number]}重复", "tasks.measure_duplicate")
        self.seen[number] = row.where
        deadline = (
            parse_deadline(cell[ColumnRole.DEADLINE]) if ColumnRole.DEADLINE in cell else Deadline(DeadlineKind.NONE)
        )
        if deadline.kind is DeadlineKind.UNPARSED:
            self.warn(
                "tasks.deadline_unparsed", f"第 {number} 条的完成时限“{deadline.text}”无法识别为日期", row
            )
        self.measures.append(
            Measure(
                number=number,
                text=text,
                label=label,
                key_task=self.key_task,
                group_no=self.group_no,
                group=self.group,
                lead=split_units(cell.get(ColumnRole.LEAD)),
                cooperating=split_units(cell.get(ColumnRole.COOPERATING)),
                implementing=split_units(cell.get(ColumnRole.IMPLEMENTING)),
                deadline=deadline,
                line=row.line,
            )
        )


def rows_to_document(
    rows: Iterable[Row], *, source: str, layout: str, title: str = "", strict: bool = True
) -> TaskDocument:
    """Build a document from rows; raises InputError naming the row that cannot be read."""
    b = _Builder(source, strict)
    pre: list[str] = []
    for row in rows:
        if b.columns is None and header_columns([clean_cell(c) for c in row.cells]) is None:
            pre.extend(c for c in row.cells if c.strip())
        if not b.row(row):
            break
    if b.columns is None:
        raise InputError(
            f"{source}：找不到任务表的表头（应含 具体举措/工作举措 与 牵头单位/责任单位 等列）",
            code="tasks.no_header",
            file=source,
        )
    if not b.measures:
        raise InputError(f"{source}：表头之后没有任何举措", code="tasks.no_measures", file=source)
    numbers = [m.number for m in b.measures]
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        b.findings.append(
            Finding(
                "tasks.numbering_gap",
                f"{source}：举措编号不连续（共 {len(numbers)} 条，最大编号 {max(numbers)}）",
                Severity.WARNING,
            )
        )
    return TaskDocument(title or title_from(pre), layout, tuple(b.measures), b.columns, (), tuple(b.findings))
