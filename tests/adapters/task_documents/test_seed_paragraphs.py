"""The paragraph layouts (seeds 002, 003, 004): every task's unit list, read by hand from the seeds."""

from __future__ import annotations

from datetime import date

import pytest

from gengbao.adapters.task_documents import read_task_document
from gengbao.domain.tasks import DeadlineKind, TaskDocument
from tests.conftest import seed_path


@pytest.fixture(scope="module")
def doc002() -> TaskDocument:
    return read_task_document(seed_path("002"))


@pytest.fixture(scope="module")
def doc003() -> TaskDocument:
    return read_task_document(seed_path("003"))


@pytest.fixture(scope="module")
def doc004() -> TaskDocument:
    return read_task_document(seed_path("004"))


ANYUE_DEPTS = ["县发展和改革局", "县经济科技信息化局"]
TOWNSHIPS_002 = "各乡镇（街道）人民政府（办事处）"
LEAD_002 = {
    1: [
        "龙台发展区管委会",
        *ANYUE_DEPTS,
        "县自然资源和规划局",
        "县住房和城乡建设局",
        "县交通运输局",
        "县水务局",
        "县农业农村局",
        "资阳市安岳生态环境局",
        "县乡村振兴局",
        "县柠檬产业发展中心",
        TOWNSHIPS_002,
    ],
    2: ["县自然资源和规划局", TOWNSHIPS_002],
    3: [
        "龙台发展区管委会",
        "县自然资源和规划局",
        "县农业农村局",
        *ANYUE_DEPTS,
        "资阳市安岳生态环境局",
        "县住房和城乡建设局",
        "县交通运输局",
        "县水务局",
        "县乡村振兴局",
        "县柠檬产业发展中心",
        TOWNSHIPS_002,
    ],
    4: [
        "县农业农村局",
        "县自然资源和规划局",
        "县发展和改革局",
        "县财政局",
        "县统计局",
        "龙台发展区管委会",
        TOWNSHIPS_002,
    ],
    5: ["县自然资源和规划局", "县农业农村局", TOWNSHIPS_002],
    6: [
        "龙台发展区管委会",
        "县自然资源和规划局",
        *ANYUE_DEPTS,
        "县住房和城乡建设局",
        "县交通运输局",
        TOWNSHIPS_002,
    ],
    7: ["县农业农村局", "龙台发展区管委会", TOWNSHIPS_002],
}


def test_002_tasks_units_and_phases(doc002: TaskDocument) -> None:
    assert doc002.layout == "bracket_paragraphs"
    assert doc002.title == "安岳县耕地保护专项整治行动工作方案"
    assert {m.number: list(m.lead.names) for m in doc002.measures} == LEAD_002
    assert [m.label for m in doc002.measures] == [
        "（一）",
        "（二）",
        "（三）",
        "（四）",
        "（五）",
        "（六）",
        "（七）",
    ]
    assert [(p.name, p.start, p.end) for p in doc002.phases] == [
        ("全面排查阶段", date(2022, 6, 10), date(2022, 7, 10)),
        ("集中整治阶段", date(2022, 7, 11), date(2022, 12, 15)),
        ("巩固提升阶段", date(2022, 12, 16), date(2023, 1, 15)),
    ]
    for m in doc002.measures:
        assert (m.deadline.kind, m.deadline.start, m.deadline.due) == (
            DeadlineKind.RANGE,
            date(2022, 6, 10),
            date(2023, 1, 15),
        )
        assert not m.text.endswith(("〕", "）"))  # the unit list is not part of the text
        assert m.key_task.startswith("三、")


def test_003_numbered_sections(doc003: TaskDocument) -> None:
    assert doc003.layout == "numbered_sections"
    assert len(doc003.measures) == 12
    labels = [m.label for m in doc003.measures]
    assert labels == [
        "（一）1.",
        "（一）2.",
        "（一）3.",
        "（一）4.",
        "（一）5.",
        "（一）6.",
        "（二）1.",
        "（二）2.",
        "（二）3.",
        "（三）1.",
        "（三）2.",
        "（三）3.",
    ]
    assert [m.group_no for m in doc003.measures].count("（一）") == 6
    assert len(doc003.groups()) == 3
    assert all(not m.lead and not m.cooperating and not m.implementing for m in doc003.measures)
    assert all(m.deadline.kind is DeadlineKind.NONE for m in doc003.measures)
    assert all(m.key_task.startswith("三、") for m in doc003.measures)


CITY_004 = "市自然资源局"
COUNTIES_004 = "各县〔区〕人民政府"
LEAD_004 = {
    1: [
        CITY_004,
        "农业农村局",
        "发展和改革委员会",
        "工业和信息化局",
        "生态环境局",
        "住房和城乡建设局",
        "交通运输局",
        COUNTIES_004,
    ],
    2: [CITY_004, "农业农村局", COUNTIES_004],
    3: [CITY_004, "农业农村局", "发展和改革委员会", "交通运输局", "水务局", COUNTIES_004],
    4: [CITY_004, "农业农村局", "财政局", COUNTIES_004],
    5: [CITY_004, "农业农村局", "发展和改革委员会", "财政局", "水务局", COUNTIES_004],
    6: [CITY_004, "农业农村局", COUNTIES_004],
    7: [CITY_004, "农业农村局", COUNTIES_004],
    8: [CITY_004, "发展和改革委员会", "工业园区管委会", COUNTIES_004],
    9: ["市农业农村局", "财政局", "自然资源局", COUNTIES_004],
    10: [CITY_004, "农业农村局", COUNTIES_004],
    11: [CITY_004, "农业农村局", COUNTIES_004],
    12: [CITY_004, "农业农村局", "检察院", "公安局", COUNTIES_004],
}


def test_004_tasks_and_units(doc004: TaskDocument) -> None:
    assert doc004.layout == "bracket_paragraphs"
    assert doc004.title == "关于进一步加强耕地保护工作的通知"
    assert {m.number: list(m.lead.names) for m in doc004.measures} == LEAD_004
    assert [m.label for m in doc004.measures][9:] == ["（十）", "（十一）", "（十二）"]
    assert doc004.phases == ()
    assert all(m.deadline.kind is DeadlineKind.NONE for m in doc004.measures)
