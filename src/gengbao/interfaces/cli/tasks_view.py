"""Rich rendering for the task-list and assessment commands (people's output; ``--json`` is elsewhere)."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from gengbao.domain.assessment.scorecard import score_to_dict
from gengbao.domain.tasks.progress import TaskStatus
from gengbao.interfaces.cli.common import console
from gengbao.services.assessment.assess import Assessment
from gengbao.services.tasks.importing import ImportResult
from gengbao.services.tasks.progress import StatusResult

_STYLE = {
    TaskStatus.DONE: "green",
    TaskStatus.OVERDUE: "bold red",
    TaskStatus.NO_RECENT_REPORT: "yellow",
    TaskStatus.IN_PROGRESS: "cyan",
}


def show_import(r: ImportResult) -> None:
    c = r.counts
    console.print(
        f"已导入《{r.title}》（{r.key}，格式 {r.layout}，区划 {r.region}）：举措 {c['measures']} 条，"
        f"重点任务/领域 {c['key_tasks']} 项，任务组 {c['groups']} 个"
    )
    console.print(f"变化：{r.changes.summary()}")
    for w in r.warnings:
        console.print(f"[yellow]警告[/] [{w.code}] {w.message}")


def show_measures(docs: list[dict[str, Any]]) -> None:
    for d in docs:
        table = Table(
            "编号",
            "举措",
            "牵头/责任单位",
            "配合单位",
            "落实单位",
            "时限",
            title=f"{d['title']}（{d['document']}）",
        )
        for m in d["measures"]:
            table.add_row(
                str(m["number"]),
                m["text"][:40],
                "、".join(m["lead_units"]),
                "、".join(m["cooperating_units"]),
                "、".join(m["implementing_units"]),
                m["deadline"] or m["deadline_text"] or m["deadline_kind"],
            )
        console.print(table)


def show_status(res: StatusResult) -> None:
    table = Table(
        "清单",
        "编号",
        "单位",
        "状态",
        "期限",
        "最近报告",
        "说明",
        title=f"进度状态（截至 {res.as_of}，{res.cadence.label}报送）",
    )
    for r in res.rows:
        a = r.assignment
        last = r.last_report.period.label if r.last_report else ""
        style = _STYLE.get(r.status, "")
        table.add_row(
            a.measure.document,
            str(a.measure.number),
            a.unit,
            f"[{style}]{r.status.label}[/]" if style else r.status.label,
            a.deadline.due.isoformat() if a.deadline.due else a.deadline.kind.label,
            last,
            r.reason,
        )
    console.print(table)
    console.print("，".join(f"{TaskStatus(k).label} {v}" for k, v in res.counts().items()))


def assessment_json(a: Assessment) -> dict[str, Any]:
    return {
        "ok": True,
        "year": a.year,
        "profile": a.profile.name,
        "profile_origin": a.profile.origin,
        "level": a.profile.level,
        "regions": [score_to_dict(s) for s in a.scores],
    }


def show_assessment(a: Assessment) -> None:
    table = Table("区划", "名称", "得分", "等次", title=f"{a.year} 年度考核：{a.profile.name}")
    for s in a.scores:
        table.add_row(s.region, s.name, str(s.total), s.label)
    console.print(table)
    for s in a.scores:
        console.print(f"[bold]{s.name}[/] {s.total} 分，{s.label}")
        for i in s.items:
            console.print(f"  · {i.explanation}")
        for v in s.vetoes:
            console.print(f"  {'[red]✗[/]' if v.triggered else '·'} {v.explanation}")
