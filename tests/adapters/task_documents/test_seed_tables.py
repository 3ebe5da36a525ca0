"""The two tabular text layouts (seeds 000 and 001): exact counts and hand-read unit lists of
measures spot-checked across the pages (expected lists written by reading the seed files)."""

from __future__ import annotations

from datetime import date

import pytest

from gengbao.adapters.task_documents import read_task_document
from gengbao.domain.tasks import DeadlineKind, Measure, TaskDocument
from tests.conftest import seed_path


@pytest.fixture(scope="module")
def doc000() -> TaskDocument:
    return read_task_document(seed_path("000"))


@pytest.fixture(scope="module")
def doc001() -> TaskDocument:
    return read_task_document(seed_path("001"))


def by_number(doc: TaskDocument) -> dict[int, Measure]:
    return {m.number: m for m in doc.measures}


def test_000_counts(doc000: TaskDocument) -> None:
    assert doc000.layout == "tab_table"
    assert doc000.title == "重点任务分工表"
    assert [m.number for m in doc000.measures] == list(range(1, 43))
    assert len(doc000.key_tasks()) == 8
    assert [k[:2] for k in doc000.key_tasks()] == [
        "一、",
        "二、",
        "三、",
        "四、",
        "五、",
        "六、",
        "七、",
        "八、",
    ]
    assert len(doc000.groups()) == 19
    assert [c.header for c in doc000.columns] == [
        "重点任务",
        "推进措施",
        "具体举措",
        "牵头单位",
        "配合单位",
        "落实单位",
        "完成时限",
    ]
    assert doc000.findings == ()


# number: (lead, cooperating, implementing, deadline kind, due)
SPOT_000 = {
    1: (
        ["各镇街（园区）党委、政府"],
        ["市委组织部", "市自然资源局", "市农业农村局"],
        ["市、镇街（园区）各有关单位"],
        "ongoing",
        None,
    ),
    3: (
        ["市自然资源局"],
        ["市委宣传部", "市农业农村局", "市文化广电旅游体育局"],
        ["各镇街（园区）政府"],
        "ongoing",
        None,
    ),
    4: (
        ["市自然资源局"],
        ["市生态环境局", "市农业农村局"],
        ["各镇街（园区）政府"],
        "date",
        date(2021, 12, 31),
    ),
    5: (["市自然资源局"], ["市农业农村局"], ["各有关建设单位", "各镇街（园区）政府"], "ongoing", None),
    6: (
        ["市自然资源局"],
        ["市农业农村局"],
        ["厚街镇政府", "塘厦镇政府", "谢岗镇政府"],
        "date",
        date(2020, 12, 31),
    ),
    8: (
        ["市自然资源局"],
        ["市发展改革局", "市交通运输局", "市轨道交通局", "市水务局", "市农业农村局"],
        ["各镇街（园区）政府"],
        "ongoing",
        None,
    ),
    9: (["市自然资源局"], [], ["各镇街（园区）政府"], "ongoing", None),
    13: (
        ["市工业和信息化局", "市自然资源局"],
        ["市生态环境局", "市应急管理局"],
        ["各镇街（园区）政府"],
        "date",
        date(2022, 12, 31),
    ),
    14: (["市自然资源局"], [], ["各镇街（园区）政府"], "external", None),
    20: (
        ["市自然资源局", "市农业农村局"],
        ["市司法局", "市住房和城乡建设局", "市检察院", "市相关法院"],
        ["各镇街（园区）党委、政府"],
        "date",
        date(2022, 12, 31),
    ),
    23: (
        ["市自然资源局"],
        ["市公安局", "市司法局", "市财政局", "市农业农村局", "市第一人民法院", "市检察院"],
        ["各镇街（园区）政府"],
        "date",
        date(2021, 12, 31),
    ),
    24: (
        ["市自然资源局", "市发展改革局"],
        ["市中级人民法院"],
        ["各镇街（园区）政府"],
        "date",
        date(2021, 12, 31),
    ),
    25: (
        ["各镇街（园区）政府"],
        ["市农业农村局", "市自然资源局", "市司法局", "市委编办"],
        ["各镇街相关部门"],
        "date",
        date(2020, 12, 31),
    ),
    27: (["市纪委监委机关"], ["市自然资源局", "市农业农村局"], ["各镇街（园区）党委、政府"], "ongoing", None),
    28: (["市自然资源局"], ["市农业农村局"], ["各镇街（园区）政府（目前塘厦、洪梅两个镇）"], "ongoing", None),
    34: (
        ["市自然资源局"],
        [
            "市城市管理综合执法局",
            "市农业农村局",
            "市公安局",
            "市生态环境局",
            "市住房城乡建设局",
            "市水务局",
            "东莞供电局",
        ],
        ["各镇街（园区）政府"],
        "ongoing",
        None,
    ),
    38: (["市自然资源局"], ["市司法局", "市农业农村局"], ["各有关部门"], "date", date(2022, 12, 31)),
    40: (["市自然资源局"], ["市农业农村局", "市统计局"], ["市各有关部门"], "ongoing", None),
    42: (["市自然资源局"], [], ["各镇街（园区）政府"], "ongoing", None),
}


@pytest.mark.parametrize("number", sorted(SPOT_000))
def test_000_spot_checks(doc000: TaskDocument, number: int) -> None:
    m = by_number(doc000)[number]
    lead, coop, impl, kind, due = SPOT_000[number]
    assert list(m.lead.names) == lead
    assert list(m.cooperating.names) == coop
    assert list(m.implementing.names) == impl
    assert (m.deadline.kind.value, m.deadline.due) == (kind, due)


def test_000_flags_groups_and_page_continuations(doc000: TaskDocument) -> None:
    ms = by_number(doc000)
    assert ms[34].cooperating.open_ended and not ms[34].lead.open_ended
    assert [
        n for n, m in ms.items() if m.cooperating.open_ended or m.lead.open_ended or m.implementing.open_ended
    ] == [34]
    # 23 and 24 sit on both sides of a repeated header and belong to the same group
    assert ms[24].key_task == ms[23].key_task and ms[24].group.replace(" ", "") == ms[23].group.replace(
        " ", ""
    )
    assert ms[2].key_task == ms[1].key_task and ms[2].group == ms[1].group  # continuation rows
    assert ms[14].deadline.text == "依照自然资源部规定的期限"
    # counted by hand from the 完成时限 column: 22 长期推进, 7 × 2020年底, 8 × 2021年底, 4 × 2022年底, 1 external
    tally: dict[object, int] = {}
    for m in doc000.measures:
        key = m.deadline.due or m.deadline.kind.value
        tally[key] = tally.get(key, 0) + 1
    assert tally == {
        "ongoing": 22,
        date(2020, 12, 31): 7,
        date(2021, 12, 31): 8,
        date(2022, 12, 31): 4,
        "external": 1,
    }
    assert [m.number for m in doc000.measures if m.deadline.due == date(2020, 12, 31)] == [
        6,
        11,
        18,
        19,
        25,
        32,
        37,
    ]


def test_001_counts(doc001: TaskDocument) -> None:
    assert doc001.layout == "cell_lines"
    assert doc001.title == "景德镇市耕地保护任务清单"
    assert [m.number for m in doc001.measures] == list(range(1, 41))
    assert [k[:2] for k in doc001.key_tasks()] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    assert len(doc001.key_tasks()) == 7
    assert len(doc001.groups()) == 29
    assert [m.group_no for m in doc001.measures][-1] == "29"
    assert [c.header for c in doc001.columns] == ["序号", "主要任务", "工作举措", "责任单位", "配合单位"]
    assert all(m.deadline.kind is DeadlineKind.NONE for m in doc001.measures)


CITY_7 = ["市发改委", "市自然资源规划局", "市交通局", "市工信局", "市生态环境局", "市水利局", "市文旅局"]
# number: (area prefix, 序号, lead, cooperating)
SPOT_001 = {
    1: (
        "一、",
        "1",
        ["县（市、区）党委、人民政府"],
        ["市自然资源规划局", "市农业农村局", "市林业局", "市水利局"],
    ),
    4: ("一、", "2", ["市农业农村局", "市自然资源规划局"], ["县（市、区）党委、人民政府"]),
    5: ("一、", "2", ["市生态环境局"], ["县（市、区）党委、人民政府"]),
    8: ("一、", "2", CITY_7, ["县（市、区）党委、人民政府"]),
    10: (
        "二、",
        "4",
        ["县（市、区）人民政府", "市自然资源规划局", "市农业农村局"],
        [
            "市发改委",
            "市林业局",
            "市生态环境局",
            "市水利局",
            "市交通局",
            "市工信局",
            "市文旅局",
            "市公路事业发展中心",
        ],
    ),
    13: (
        "二、",
        "7",
        ["县（市、区）人民政府", "市发改委", "市自然资源规划局", "市农业农村局"],
        ["市水利局", "市林业局", "市生态环境局"],
    ),
    21: (
        "四、",
        "15",
        ["市自然资源规划局", "市农业农村局"],
        ["县（市、区）人民政府", "市发改委", "市林业局", "市水利局", "市生态环境局"],
    ),
    26: ("五、", "18", ["市农业农村局"], ["县（市、区）人民政府", "市自然资源规划局"]),
    32: (
        "七、",
        "23",
        ["县(市、区)党委、人民政府"],
        [
            "市发改委",
            "市财政局",
            "市自然资源规划局",
            "市农业农村局",
            "市林业局",
            "市生态环境局",
            "市水利局",
            "市交通局",
            "市工信局",
            "市文旅局",
            "市公路事业发展中心",
        ],
    ),
    35: (
        "七、",
        "25",
        ["市自然资源规划局", "市纪委市监委", "市公安局", "市检察院", "市农业农村局"],
        ["县（市、区）党委、人民政府"],
    ),
    38: (
        "七、",
        "27",
        ["市自然资源规划局"],
        [
            "县（市、区）党委、人民政府",
            "市纪委市监委",
            "市检察院",
            "市法院",
            "市农业农村局",
            "市生态环境局",
            "市林业局",
            "市公安局",
        ],
    ),
    40: ("七、", "29", ["县（市、区）党委、人民政府", "市自然资源规划局", "市农业农村局"], ["市文旅局"]),
}


@pytest.mark.parametrize("number", sorted(SPOT_001))
def test_001_spot_checks(doc001: TaskDocument, number: int) -> None:
    m = by_number(doc001)[number]
    area, group_no, lead, coop = SPOT_001[number]
    assert m.key_task.startswith(area)
    assert m.group_no == group_no
    assert list(m.lead.names) == lead
    assert list(m.cooperating.names) == coop
    assert m.implementing.names == ()


def test_001_details(doc001: TaskDocument) -> None:
    ms = by_number(doc001)
    assert ms[8].lead.open_ended and ms[10].cooperating.open_ended
    assert "[bookmark" not in ms[13].text and ms[13].text.startswith("根据")
    assert ms[5].group == ms[4].group  # group 2 continues after a repeated header
    assert ms[26].group == ms[25].group  # group 18 likewise
    assert ms[1].label == "1." and ms[40].label == "40."
