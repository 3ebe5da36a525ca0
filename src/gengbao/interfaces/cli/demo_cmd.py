"""``gengbao demo``: the main job end to end on the embedded default (SQLite + files).

Builds a synthetic 景德镇市 scenario (real outlines and codes, synthetic parcels, four epochs),
imports the published targets, prints survey statistics against them and the target checks, and
runs the monitoring engine over the last year with its per-county summary.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import typer
from rich.table import Table

from gengbao.api import check_targets, import_targets, run_monitoring, survey_statistics
from gengbao.domain.area_units import AreaUnit, convert, round_area
from gengbao.interfaces.cli.common import console, handle_errors, open_ws
from gengbao.services.targets.use_cases import load_targets

DEMO_REGION = "3602"
EPOCHS = [2020, 2021, 2022, 2023]


def _demo_file(name: str) -> Path:
    return Path(str(resources.files("gengbao.data") / "demo" / name))


def demo(
    ws: Path = typer.Argument(Path("demo-workspace"), help="演示工作空间文件夹（已存在时重建）"),
    parcels: int = typer.Option(40_000, "--parcels", help="图斑总数（约数）"),
    seed: int = typer.Option(1, "--seed"),
) -> None:
    """演示：生成景德镇市模拟工作空间，导入保护目标，输出统计与核查结果。"""
    from gengbao.scenario import make_scenario

    with handle_errors(False):
        if (ws / "workspace.json").exists():
            shutil.rmtree(ws)
        console.rule("[bold]耕保 gengbao 演示（数据为合成数据）")
        with console.status("生成模拟工作空间……") as status:
            make_scenario(ws, [DEMO_REGION], parcels, EPOCHS, seed, progress=lambda m: status.update(m))
        w = open_ws(ws)
        for name in ("targets_3602_2024.csv", "gap_recovery_3602_2024.csv"):
            import_targets(w, _demo_file(name))
        targets = load_targets(w)
        last = EPOCHS[-1]
        rows = survey_statistics(w, last, "county")
        t = Table(title=f"{last} 期调查统计与保护目标（万亩）")
        for col in ("代码", "名称", "耕地", "耕地目标", "永农", "永农目标"):
            t.add_column(col, justify="left" if col == "名称" else "right", overflow="fold")
        for r in rows:
            tg = {str(k): v for k, v in targets.get(r.region, {}).items()}
            t.add_row(r.region, r.name,
                      str(round_area(convert(r.farmland_m2, AreaUnit.M2, AreaUnit.WAN_MU), AreaUnit.WAN_MU)),
                      str(tg.get("farmland", "—")),
                      str(round_area(convert(r.pbf_m2, AreaUnit.M2, AreaUnit.WAN_MU), AreaUnit.WAN_MU)),
                      str(tg.get("pbf", "—")))
        console.print(t)
        report = check_targets(w, last)
        console.print(f"[bold]目标核查[/]（{len(report.findings)} 项发现）：")
        for f in report.findings:
            console.print(f" · [{f.code}] {f.message}", markup=False)
        with console.status(f"动态监测 {EPOCHS[-2]}→{last}……"):
            mon = run_monitoring(w, EPOCHS[-2], last)
        m = Table(title=f"{EPOCHS[-2]}→{last} 年度变化监测（亩）")
        for col in ("代码", "名称", "变化图斑", "新增建设占耕地", "其中疑似违法", "违法占耕比例", "非粮化流出", "流入耕地"):
            m.add_column(col, justify="left" if col == "名称" else "right", overflow="fold")
        for s in (x for x in mon.regions if x.level == "county"):
            mu = [round_area(convert(v, AreaUnit.M2, AreaUnit.MU), AreaUnit.MU) for v in (
                s.new_construction_farmland_m2, s.illegal_construction_farmland_m2, s.non_grain_outflow_m2,
                s.inflow_m2)]
            ratio = "—" if s.key_ratio is None else f"{s.key_ratio * 100:.2f}%"
            m.add_row(s.region, s.name, str(s.patches), str(mu[0]), str(mu[1]), ratio, str(mu[2]), str(mu[3]))
        console.print(m)
        console.print(f"\n工作空间：{ws}（GeoParquet 图层在 layers/，真值在 truth/）。"
                      f"可继续运行：gengbao survey stats {ws} --epoch {last} --by township")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
