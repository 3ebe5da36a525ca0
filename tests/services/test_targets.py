"""Target import and check on SQLite and PostgreSQL: seed 001's tables, re-imports, bad input."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from gengbao.adapters.db import audit_store as audit
from gengbao.adapters.db.all_models import metadata
from gengbao.adapters.db.models import ImportRecord
from gengbao.adapters.db.models_targets import TargetValueRecord
from gengbao.domain.errors import GengbaoError, InputError, NotFoundError
from gengbao.domain.regions import RegionLevel
from gengbao.domain.targets import FARMLAND, PBF, ChangeKind, TargetKind, task_key
from gengbao.services.survey import stats as survey_stats
from gengbao.services.survey.stats import RegionStat
from gengbao.services.targets import use_cases as service
from gengbao.services.workspace import Workspace, init_workspace, open_workspace
from tests.adapters.test_target_tables import (
    ANNEX2_HEADERS,
    ANNEX3_HEADERS,
    seed_tables,
    write_csv,
    write_xlsx,
)
from tests.conftest import seed_path
from tests.domain.test_targets import ANNEX2, ANNEX3, CODE_OF, SEED_ANNEX2_FINDINGS, SEED_ANNEX3_FINDINGS

D = Decimal
SEED_VALUES = 5 * 2 + 5 * 5  # 附件2: 5 regions × 2 figures; 附件3: 5 regions × 5 figures


def expected_store() -> dict[tuple[str, str, int | None], str]:
    out: dict[tuple[str, str, int | None], str] = {}
    for name, (farmland, pbf) in ANNEX2.items():
        out[(CODE_OF[name], "farmland", None)] = farmland
        out[(CODE_OF[name], "pbf", None)] = pbf
    for name, (old, new, gap, t23, t24) in ANNEX3.items():
        code = CODE_OF[name]
        out |= {(code, "farmland_old", None): old, (code, "farmland_new", None): new, (code, "gap", None): gap,
                (code, "recovery_task", 2023): t23, (code, "recovery_task", 2024): t24}
    return out


def stored(ws: Workspace) -> dict[tuple[str, str, int | None], str]:
    return {(t.region, str(t.key.measure), t.key.year): str(t.value) for t in service.list_targets(ws)}


def counts(ws: Workspace) -> tuple[int, int, int]:
    with ws.sessions() as s:
        values = s.scalar(select(func.count()).select_from(TargetValueRecord)) or 0
        imports = s.scalar(select(func.count()).select_from(ImportRecord)) or 0
        return values, imports, audit.count(s)


def summary(findings: tuple) -> list[tuple]:  # type: ignore[type-arg]
    return [(f.code, f.region, f.measure, f.year, f.expected, f.actual) for f in findings]


@pytest.fixture
def ws(tmp_path: Path, db_url: str | None) -> Workspace:
    return init_workspace(tmp_path / "ws", "360200", db_url)


def test_migration_matches_the_model(ws: Workspace) -> None:
    with ws.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    mine = [d for d in diffs if "target_value" in repr(d)]
    assert mine == []


def test_seed_import_stores_every_figure_exactly(ws: Workspace, tmp_path: Path, db_url: str | None) -> None:
    result = service.import_targets(ws, seed_path("001"))
    assert result.counts == {"added": SEED_VALUES, "changed": 0, "removed": 0, "unchanged": 0}
    assert [(t.label, t.rows, t.kinds) for t in result.tables] == [
        ("附件2", 5, ("targets",)), ("附件3", 5, ("gap_recovery",))]
    reopened = open_workspace(tmp_path / "ws", db_url)
    assert stored(reopened) == expected_store()  # exact text: 129.45, 0, -0.1496 …
    assert counts(reopened) == (SEED_VALUES, 1, 2)
    with reopened.sessions() as s:
        assert audit.verify(s) == []
        rec = s.scalars(select(ImportRecord)).one()
        assert (rec.what, rec.ok, rec.imported) == ("targets", True, SEED_VALUES)
        zhushan = s.scalars(select(TargetValueRecord).where(
            TargetValueRecord.region == "360203", TargetValueRecord.measure == "gap")).one()
        assert (zhushan.value, zhushan.row, zhushan.source) == (
            D("-0.1496"), 484, f"{seed_path('001').name}#附件3")


def test_check_reports_the_published_mismatches(ws: Workspace) -> None:
    service.import_targets(ws, seed_path("001"))
    report = service.check_targets(ws)
    assert sorted(summary(report.findings), key=str) == sorted(SEED_ANNEX2_FINDINGS + SEED_ANNEX3_FINDINGS, key=str)
    assert (report.regions, report.values, report.counts) == (5, SEED_VALUES, {"error": 5, "warning": 1, "info": 0})
    d = report.to_dict()
    mismatch = next(f for f in d["findings"] if f["measure"] == "farmland")
    assert (mismatch["expected"], mismatch["actual"], mismatch["name"]) == ("120.2873", "120.2874", "景德镇市")


def test_reimport_of_the_same_source_says_nothing_changed(ws: Workspace) -> None:
    service.import_targets(ws, seed_path("001"))
    again = service.import_targets(ws, seed_path("001"))
    assert again.counts == {"added": 0, "changed": 0, "removed": 0, "unchanged": SEED_VALUES}
    assert again.changed == ()
    assert stored(ws) == expected_store()
    assert counts(ws) == (SEED_VALUES, 2, 3)


def test_reimport_of_a_corrected_source_updates_and_removes(ws: Workspace, tmp_path: Path) -> None:
    service.import_targets(ws, seed_path("001"))
    text = seed_path("001").read_text(encoding="utf-8")
    fixed = text.replace("\t乐平市\n\t80.4127\n\t73.5215\n", "\t乐平市\n\t80.4126\n\t73.5215\n")
    start = fixed.index("\t珠山区\n\t0.4211\n")  # drop 珠山区 from 附件3
    end = fixed.index("\t昌江区\n\t7.7618\n")
    fixed = fixed[:start] + fixed[end:]
    copy = tmp_path / seed_path("001").name
    copy.write_text(fixed, encoding="utf-8")

    result = service.import_targets(ws, copy)
    changed = [(c.region, c.name, c.key.label, c.kind, c.old, c.new) for c in result.changed]
    assert changed == [
        ("360203", "珠山区", "耕地保护目标（二调）", ChangeKind.REMOVED, D("0.4211"), None),
        ("360203", "珠山区", "耕地保护目标（三调）", ChangeKind.REMOVED, D("0.5707"), None),
        ("360203", "珠山区", "耕地恢复任务缺口", ChangeKind.REMOVED, D("-0.1496"), None),
        ("360203", "珠山区", "2023年度恢复任务", ChangeKind.REMOVED, D("0"), None),
        ("360203", "珠山区", "2024年度恢复任务", ChangeKind.REMOVED, D("0"), None),
        ("360281", "乐平市", "耕地保护目标", ChangeKind.CHANGED, D("80.4127"), D("80.4126")),
    ]
    assert result.counts == {"added": 0, "changed": 1, "removed": 5, "unchanged": SEED_VALUES - 6}
    want = {k: v for k, v in expected_store().items() if not (k[0] == "360203" and k[1] != "farmland"
                                                                 and k[1] != "pbf")}
    want[("360281", "farmland", None)] = "80.4126"
    assert stored(ws) == want
    with ws.sessions() as s:
        assert audit.verify(s) == []
    codes = {(f.code, f.region, f.measure) for f in service.check_targets(ws).findings}
    assert ("targets.children_sum_mismatch", "3602", TargetKind.FARMLAND) not in codes  # now adds up
    assert ("targets.table_mismatch", "360281", TargetKind.FARMLAND_NEW) in codes
    assert ("targets.children_incomplete", "3602", TargetKind.GAP) in codes


def test_csv_and_xlsx_from_the_seed_import_to_the_same_store(tmp_path: Path, db_url: str | None) -> None:
    a2, a3 = seed_tables()
    ws = init_workspace(tmp_path / "ws", "360200", db_url)
    r2 = service.import_targets(ws, write_csv(tmp_path / "附件2.csv", a2, ANNEX2_HEADERS))
    r3 = service.import_targets(ws, write_xlsx(tmp_path / "附件3.xlsx", [("附件3", a3, ANNEX3_HEADERS)]))
    assert (r2.counts["added"], r3.counts["added"]) == (10, 25)
    got = {k: D(v) for k, v in stored(ws).items()}
    assert got == {k: D(v) for k, v in expected_store().items()}
    assert sorted(summary(service.check_targets(ws).findings), key=str) == sorted(
        SEED_ANNEX2_FINDINGS + SEED_ANNEX3_FINDINGS, key=str)
    # the seed text on top: same figures, nothing changes
    assert service.import_targets(ws, seed_path("001")).counts["unchanged"] == SEED_VALUES


def _bad(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


HEAD = "行政区名称,耕地保护目标,永久基本农田\n"
BAD_INPUT = [
    ("unknown.csv", HEAD + "景德镇市,120.2873,106.5103\n珠山区,0.5707,0.0822\n昌江县,7.3041,5.0704\n",
     "utf-8", "targets.unknown_region", "目标表 unknown.csv 第 4 行：行政区名称“昌江县”"),
    ("dup.csv", HEAD + "珠山区,0.5707,0.0822\n昌江区,7.3041,5.0704\n珠山区,0.5707,0.0822\n",
     "utf-8", "targets.duplicate_region", "第 4 行：珠山区（360203）重复出现，第 2 行"),
    ("nan.csv", HEAD + "珠山区,0.5707,0.0822\n昌江区,七点三,5.0704\n",
     "utf-8", "targets.bad_number", "第 3 行“耕地保护目标”列的值“七点三”不是数字"),
    ("head.csv", "行政区名称,耕地保护目标\n珠山区,0.5707\n", "utf-8", "targets.missing_header", "永久基本农田"),
    ("empty.csv", "", "utf-8", "targets.empty_file", "empty.csv"),
    ("gbk.csv", HEAD + "珠山区,0.5707,0.0822\n", "gbk", "targets.encoding", "GBK"),
    ("outside.csv", HEAD + "珠山区,0.5707,0.0822\n沙坡头区,1,1\n", "utf-8", "targets.region_outside", "第 3 行：“沙坡头区”（640502）"),
]


@pytest.mark.parametrize(("name", "text", "encoding", "code", "fragment"), BAD_INPUT, ids=[b[3] for b in BAD_INPUT])
def test_bad_input_stores_nothing(ws: Workspace, tmp_path: Path, name: str, text: str, encoding: str, code: str,
                                  fragment: str) -> None:
    with pytest.raises(InputError) as exc:
        service.import_targets(ws, _bad(tmp_path, name, text, encoding))
    assert exc.value.code == code
    assert fragment in exc.value.message
    assert counts(ws) == (0, 0, 1)  # the init audit record only


def test_bad_reimport_leaves_the_stored_targets_untouched(ws: Workspace, tmp_path: Path) -> None:
    service.import_targets(ws, seed_path("001"))
    text = seed_path("001").read_text(encoding="utf-8").replace("\t乐平市\n\t86.7458", "\t乐平县\n\t86.7458")
    text = text.replace("\t昌江区\n\t7.3041\n", "\t昌江区\n\t7.3042\n")
    copy = tmp_path / seed_path("001").name
    copy.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        service.import_targets(ws, copy)
    assert exc.value.code == "targets.unknown_region" and "第 505 行" in exc.value.message
    assert stored(ws) == expected_store()
    assert counts(ws) == (SEED_VALUES, 1, 2)


def test_check_with_an_epoch_compares_with_survey_statistics(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    service.import_targets(ws, seed_path("001"))
    calls: list[tuple[object, ...]] = []

    def fake_region_stats(w: Workspace, epoch: int, by: RegionLevel = RegionLevel.COUNTY) -> list[RegionStat]:
        calls.append((w.region, epoch, by))
        return [
            RegionStat("360202", "昌江区", by, D("48694000.00"), D("33802666.66")),  # 7.3041 万亩; PBF short
            RegionStat("360203", "珠山区", by, D("3804600.00"), D("548000.00")),  # 0.57069 < 0.5707
            RegionStat("360222", "浮梁县", by, D("213400000.00"), D("185600000.00")),
            RegionStat("360281", "乐平市", by, D("536100000.00"), D("490200000.00")),
        ]

    monkeypatch.setattr(survey_stats, "region_stats", fake_region_stats)
    report = service.check_targets(ws, 2023)
    assert calls == [("3602", 2023, RegionLevel.COUNTY)]
    survey = [f for f in report.findings if f.code.startswith("targets.survey_")]
    assert summary(tuple(survey)) == [
        ("targets.survey_pbf_below_target", "360202", TargetKind.PBF, 2023, D("5.0704"), D("5.070399999")),
        ("targets.survey_farmland_below_target", "360203", TargetKind.FARMLAND, 2023, D("0.5707"), D("0.57069")),
    ]
    assert report.epoch == 2023 and len(report.findings) == 6 + 2


def test_survey_statistics_not_ready_is_a_clear_error(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    service.import_targets(ws, seed_path("001"))

    def not_yet(*_a: object, **_k: object) -> list[RegionStat]:
        raise NotImplementedError

    monkeypatch.setattr(survey_stats, "region_stats", not_yet)
    with pytest.raises(GengbaoError) as exc:
        service.check_targets(ws, 2023)
    assert exc.value.code == "targets.survey_stats_unavailable"


def test_check_without_targets(ws: Workspace) -> None:
    with pytest.raises(NotFoundError) as exc:
        service.check_targets(ws)
    assert exc.value.code == "targets.none"


def test_load_targets_gives_domain_keys(ws: Workspace) -> None:
    service.import_targets(ws, seed_path("001"))
    values = service.load_targets(ws)
    assert values["3602"][FARMLAND] == D("120.2873") and values["360281"][PBF] == D("73.5215")
    assert values["360202"][task_key(2024)] == D("0.0458")
