"""Scorecard items that compare targets with survey statistics, figures derived by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from gengbao.services.assessment import assess as assess_service
from gengbao.services.survey.importing import import_survey_file
from gengbao.services.targets.use_cases import import_targets
from gengbao.services.workspace import init_workspace
from tests.support import survey_factory as sf

WAN_MU_M2 = Decimal(10000) * Decimal(10000) / Decimal(15)  # 1 万亩 in m², exactly 6,666,666.66…

PROFILE = """
schema: gengbao.assess/1
name: 目标保有测试方案
level: county
bands:
  - {min: 90, grade: excellent, label: 优秀}
  - {min: 75, grade: good, label: 良好}
  - {min: 60, grade: pass, label: 合格}
  - {min: 0, grade: fail, label: 不合格}
items:
  - {id: farmland, name: 耕地保有, kind: targets.farmland_ratio, weight: 60, params: {epoch: 2023},
     score: {method: threshold, op: ">=", value: 1}, when_empty: zero, clause: 耕地保有量不低于目标}
  - {id: pbf, name: 永农保护, kind: targets.pbf_ratio, weight: 40, params: {epoch: 2023},
     score: {method: threshold, op: ">=", value: 1}, when_empty: zero, clause: 永久基本农田不低于目标}
vetoes:
  - id: farmland_veto
    name: 耕地保有量未完成
    match: all
    when:
      - {kind: targets.farmland_ratio, params: {epoch: 2023}, op: "<", value: 1}
    clause: 景德镇任务清单第 33 条：耕地保护目标未完成的一票否决
"""


def test_targets_against_survey_scores_and_veto(tmp_path: Path) -> None:
    items = sf.parcels()
    ws = init_workspace(tmp_path / "ws", "360200")
    sf.frame(items).to_file(tmp_path / "dltb.gpkg", driver="GPKG")
    sf.pbf_frame(items).to_file(tmp_path / "pbf.gpkg", driver="GPKG")
    import_survey_file(ws, tmp_path / "dltb.gpkg", 2023)
    import_survey_file(ws, tmp_path / "pbf.gpkg", 2023, "pbf")
    farm = {c: sum((p.tbdlmj for p in items if p.zldwdm.startswith(c) and p.dlbm in ("0101", "0102", "0103")),
                   Decimal(0)) for c in ("360202", "360222", "360281")}
    # 昌江区 keeps both targets (targets set just below its survey areas); 浮梁县 misses farmland.
    (tmp_path / "targets.csv").write_text(
        "行政区名称,耕地保护目标,永久基本农田\n昌江区,0.0005,0.0001\n浮梁县,0.0100,0.0001\n", encoding="utf-8")
    import_targets(ws, tmp_path / "targets.csv")
    prof = tmp_path / "p.yaml"
    prof.write_text(PROFILE, encoding="utf-8")

    scores = {s.region: s for s in assess_service.assess(ws, 2023, profile=prof).scores}
    ratio_cj = (farm["360202"] / (Decimal("0.0005") * WAN_MU_M2)).quantize(Decimal("0.0001"))
    ratio_fl = (farm["360222"] / (Decimal("0.0100") * WAN_MU_M2)).quantize(Decimal("0.0001"))
    assert ratio_cj >= 1 > ratio_fl
    cj, fl, lp = scores["360202"], scores["360222"], scores["360281"]
    assert [i.figure.value for i in cj.items][0] == ratio_cj
    assert [i.figure.value for i in fl.items][0] == ratio_fl
    assert (cj.total, cj.grade, cj.vetoed) == (Decimal("100.00"), "excellent", False)
    assert (fl.total, fl.grade) == (Decimal("40.00"), "fail")
    assert fl.vetoed and cj.vetoed is False
    assert lp.total == Decimal("0.00") and [i.figure.value for i in lp.items] == [None, None]  # no targets
