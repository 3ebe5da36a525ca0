"""The two paragraph layouts.

- ``bracket_paragraphs`` (seeds 002, 004): each task a paragraph ``（三）标题。正文…`` ending in a
  bracketed unit list — 〔责任单位：…〕, （责任单位：…）, or a bracket of unit names with no label.
  Campaign phases ``（一）全面排查阶段（2022年6月10日—2022年7月10日）`` anywhere in the text give the
  tasks their deadline range (first phase start to last phase end).
- ``numbered_sections`` (seed 003): measures numbered ``1.`` ``2.`` under ``（一）`` sections of a
  ``三、任务分工`` part; no unit lists (units are named in the text, found later by the directory).
"""

from __future__ import annotations

import re
from dataclasses import replace

from gengbao.domain.errors import InputError
from gengbao.domain.findings import Finding, Severity
from gengbao.domain.tasks.deadlines import Deadline, DeadlineKind, parse_range, span
from gengbao.domain.tasks.measures import (
    AREA_HEADING,
    Column,
    ColumnRole,
    Measure,
    Phase,
    TaskDocument,
    clean_cell,
    split_cn_label,
    split_number,
)
from gengbao.domain.tasks.unit_lists import UnitList, looks_like_units, split_units, trailing_bracket

_CN_ITEM = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_NUM_ITEM = re.compile(r"^\d{1,3}[.．、](?!\d)")
_PHASE = re.compile(r"^[（(][一二三四五六七八九十]+[）)]\s*([^（(。]{1,20}?阶段)\s*[（(]([^）)]+)[）)]")
_TITLE_END = ("方案", "通知", "清单", "意见", "计划", "分工表", "办法", "要点")

BRACKET_COLUMNS = (
    Column(ColumnRole.GROUP_NO, "序号"),
    Column(ColumnRole.GROUP, "主要任务"),
    Column(ColumnRole.TEXT, "工作内容"),
    Column(ColumnRole.LEAD, "责任单位"),
    Column(ColumnRole.DEADLINE, "完成时限"),
)
NUMBERED_COLUMNS = (
    Column(ColumnRole.KEY_TASK, "任务分工"),
    Column(ColumnRole.GROUP, "工作任务"),
    Column(ColumnRole.TEXT, "具体举措"),
    Column(ColumnRole.LEAD, "责任单位"),
    Column(ColumnRole.DEADLINE, "完成时限"),
)


def _paragraphs(lines: list[str]) -> list[tuple[int, str]]:
    return [(i, clean_cell(ln)) for i, ln in enumerate(lines, 1) if ln.strip()]


def document_title(lines: list[str]) -> str:
    """The last short title-like line before the first 一、 heading (else the first line)."""
    paras = _paragraphs(lines)
    best = ""
    for _, p in paras:
        if AREA_HEADING.match(p):
            break
        t = p.strip("# ")
        if len(t) <= 40 and "。" not in t and t.endswith(_TITLE_END) and not t.startswith("附件"):
            best = t
    return best or (paras[0][1] if paras else "")


def _tabular(lines: list[str]) -> bool:
    """Lines of tab-separated cells are a table (perhaps without its header), never paragraphs."""
    return any(sum(1 for c in ln.split("\t") if c.strip()) >= 3 for ln in lines)


def _unit_bracket(text: str) -> tuple[str, str] | None:
    tb = trailing_bracket(text.rstrip(" 。；;"))
    if tb is not None and looks_like_units(tb[1]):
        return tb
    return None


def detect_bracket_paragraphs(lines: list[str]) -> bool:
    if _tabular(lines):
        return False
    return sum(1 for _, p in _paragraphs(lines) if _CN_ITEM.match(p) and _unit_bracket(p)) >= 2


def phases(lines: list[str]) -> tuple[Phase, ...]:
    out: list[Phase] = []
    for _, p in _paragraphs(lines):
        m = _PHASE.match(p)
        rng = parse_range(m.group(2)) if m else None
        if m and rng:
            out.append(Phase(m.group(1), rng[0], rng[1]))
    return tuple(out)


def _campaign_deadline(ph: tuple[Phase, ...]) -> Deadline:
    if not ph:
        return Deadline(DeadlineKind.NONE)
    text = "—".join(f"{d.year}年{d.month}月{d.day}日" for d in (ph[0].start, ph[-1].end))
    return span([Deadline(DeadlineKind.RANGE, "", p.end, p.start) for p in ph], text)


def parse_bracket_paragraphs(lines: list[str], source: str) -> TaskDocument:
    paras = _paragraphs(lines)
    section_of: dict[int, str] = {}
    section = ""
    for i, p in paras:
        if AREA_HEADING.match(p):
            section = p
        section_of[i] = section
    task_sections = {section_of[i] for i, p in paras if _CN_ITEM.match(p) and _unit_bracket(p)}
    ph = phases(lines)
    deadline = _campaign_deadline(ph)
    items = [(i, p) for i, p in paras if _CN_ITEM.match(p) and section_of[i] in task_sections]
    numbers = [split_cn_label(p)[0] for _, p in items]
    sequential = len(set(numbers)) != len(numbers) or None in numbers
    measures: list[Measure] = []
    findings: list[Finding] = []
    for k, (i, p) in enumerate(items, 1):
        n, label, rest = split_cn_label(p)
        ub = _unit_bracket(rest)
        body, units = (ub[0].strip(), split_units(ub[1])) if ub else (rest.rstrip(), UnitList())
        if ub is None:
            findings.append(
                Finding(
                    "tasks.units_missing",
                    f"第 {i} 行的任务 {label} 没有责任单位",
                    Severity.WARNING,
                    f"第 {i} 行",
                )
            )
        title = body.split("。", 1)[0]
        measures.append(
            Measure(
                number=k if sequential or n is None else n,
                text=body,
                label=label,
                key_task=section_of[i],
                group_no=label,
                group=title,
                lead=units,
                deadline=deadline,
                line=i,
            )
        )
    return TaskDocument(
        document_title(lines), "bracket_paragraphs", tuple(measures), BRACKET_COLUMNS, ph, tuple(findings)
    )


def detect_numbered_sections(lines: list[str]) -> bool:
    if _tabular(lines):
        return False
    in_sub = False
    count = 0
    for _, p in _paragraphs(lines):
        if AREA_HEADING.match(p):
            in_sub = False
        elif _CN_ITEM.match(p):
            in_sub = True
        elif _NUM_ITEM.match(p) and in_sub:
            count += 1
    return count >= 3


def parse_numbered_sections(lines: list[str], source: str) -> TaskDocument:
    measures: list[Measure] = []
    section = group = group_label = ""
    open_measure = False
    for i, p in _paragraphs(lines):
        if AREA_HEADING.match(p):
            section, group, group_label, open_measure = p, "", "", False
        elif _CN_ITEM.match(p):
            _, group_label, rest = split_cn_label(p)
            group, open_measure = rest.split("。", 1)[0], False
        elif _NUM_ITEM.match(p) and group_label:
            n, label, text = split_number(p)
            measures.append(
                Measure(
                    number=len(measures) + 1,
                    text=text,
                    label=f"{group_label}{label}",
                    key_task=section,
                    group_no=group_label,
                    group=group,
                    line=i,
                )
            )
            open_measure = True
        elif open_measure:
            last = measures[-1]
            measures[-1] = replace(last, text=last.text + p)
    if not measures:
        raise InputError(f"{source}：没有找到分节编号的举措", code="tasks.no_measures", file=source)
    return TaskDocument(document_title(lines), "numbered_sections", tuple(measures), NUMBERED_COLUMNS)
