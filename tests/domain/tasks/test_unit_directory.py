"""The unit directory: aliases, short forms, governments and classes expanded from the region list."""

from __future__ import annotations

import pytest

from gengbao.adapters.region_data import load_catalog
from gengbao.domain.tasks.organisations import Unit, UnitDirectory, UnitKind, name_key, region_in_title

CAT = load_catalog()
UNITS = [
    Unit("市自然资源局", "4419"),
    Unit("市住房和城乡建设局", "4419"),
    Unit("市纪委监委机关", "4419", aliases=("市纪委监委",)),
    Unit("市自然资源规划局", "3602"),
    Unit("市农业农村局", "6405"),
    Unit("市检察院", "6405", aliases=("市人民检察院",)),
    Unit("中卫工业园区管委会", "6405", aliases=("工业园区管委会",)),
    Unit("县自然资源和规划局", "512021"),
]


def directory(scope: str) -> UnitDirectory:
    return UnitDirectory(UNITS, CAT, scope)


def test_name_key_ignores_he_and_bracket_style() -> None:
    assert name_key("市住房和城乡建设局") == name_key("市住房城乡建设局")
    assert name_key("县(市、区)党委") == name_key("县（市、区）党委") == name_key("县〔市、区〕党委")
    assert name_key("市自然资源局") != name_key("市自然资源规划局")


def test_same_bureau_written_two_ways_in_one_document() -> None:
    d = directory("4419")
    long, short = d.resolve("市住房和城乡建设局", "4419"), d.resolve("市住房城乡建设局", "4419")
    assert long.unit == short.unit and long.unit is not None and long.unit.name == "市住房和城乡建设局"
    assert d.resolve("市纪委监委", "4419").how == "别名"


def test_different_cities_name_their_bureau_differently() -> None:
    d = UnitDirectory(UNITS, CAT, "36")
    assert d.resolve("市自然资源规划局", "3602").found
    assert not d.resolve("市自然资源局", "3602").found  # 东莞's name is not 景德镇's unit
    assert d.resolve("市自然资源局", "4419").unit == Unit("市自然资源局", "4419")


def test_short_forms_inherit_the_level_prefix() -> None:
    d = directory("6405")
    rs = d.resolve_list(["市检察院", "农业农村局", "人民检察院", "工业园区管委会"], "6405")
    assert [r.unit.name if r.unit else None for r in rs] == [
        "市检察院",
        "市农业农村局",
        "市检察院",
        "中卫工业园区管委会",
    ]
    assert rs[1].how == "简称，承前补“市”"
    assert d.resolve("中卫市农业农村局", "6405").unit == Unit("市农业农村局", "6405")


def test_township_class_expands_to_the_real_townships_of_dongguan() -> None:
    r = directory("4419").resolve("各镇街（园区）党委、政府", "4419")
    assert r.unit is not None and r.unit.kind is UnitKind.CLASS
    names = [u.name for u in r.members]
    assert len(names) == 36
    assert {
        "谢岗镇人民政府",
        "塘厦镇人民政府",
        "厚街镇人民政府",
        "洪梅镇人民政府",
        "东城街道办事处",
        "松山湖管委会",
    } <= set(names)
    assert all(u.region.startswith("441900") and len(u.region) == 9 for u in r.members)
    towns_only = directory("4419").resolve("各镇街相关部门", "4419")
    assert len(towns_only.members) == 32  # 28 镇 + 4 街道, no 园区


def test_note_narrows_a_class_to_the_towns_it_names() -> None:
    r = directory("4419").resolve("各镇街（园区）政府（目前塘厦、洪梅两个镇）", "4419")
    assert [(u.name, u.region) for u in r.members] == [
        ("塘厦镇人民政府", "441900116"),
        ("洪梅镇人民政府", "441900125"),
    ]


@pytest.mark.parametrize(
    ("written", "scope", "count", "sample"),
    [
        ("各乡镇（街道）人民政府（办事处）", "512021", 46, "岳城街道办事处"),
        ("县（市、区）党委、人民政府", "3602", 4, "乐平市人民政府"),
        ("县(市、区)党委、人民政府", "3602", 4, "浮梁县人民政府"),
        ("各县〔区〕人民政府", "6405", 3, "海原县人民政府"),
        ("各镇（街）人民政府", "500151", 28, "石鱼镇人民政府"),
        ("各镇(街道)党委、政府", "500151", 28, "巴川街道办事处"),
        ("各乡镇（街）", "512021", 46, "拱桥乡人民政府"),
    ],
)
def test_classes(written: str, scope: str, count: int, sample: str) -> None:
    r = directory(scope).resolve(written, scope)
    assert len(r.members) == count and sample in [u.name for u in r.members]


def test_villages_of_a_township() -> None:
    r = directory("500151").resolve("各村", "500151111")
    assert len(r.members) == 9 and r.members[1].name == "兴红村村民委员会"


def test_governments_come_from_the_region_list() -> None:
    d = directory("4419")
    r = d.resolve("厚街镇政府", "4419")
    assert (r.unit.name, r.unit.region, r.unit.kind) == ("厚街镇人民政府", "441900122", UnitKind.GOVERNMENT)  # type: ignore[union-attr]
    assert d.find("谢岗镇").unit == d.resolve("谢岗镇党委、政府", "4419").unit


def test_collectives_and_unknown_units() -> None:
    d = directory("4419")
    for name in ("各有关部门", "市相关法院", "市、镇街（园区）各有关单位", "各有关建设单位"):
        r = d.resolve(name, "4419")
        assert r.found and r.unit.kind is UnitKind.COLLECTIVE and r.members == ()  # type: ignore[union-attr]
    unknown = d.resolve("市不存在局", "4419")
    assert not unknown.found and [u.kind for u in unknown.members] == [UnitKind.UNKNOWN]


def test_mentions_in_text() -> None:
    d = directory("500151")
    assert d.mentions("镇职能部门和各村要提前对接，县自然资源和规划局指导", "500151111") == (
        "镇职能部门",
        "各村",
    )
    assert directory("512021").mentions("由县自然资源和规划局牵头，相关部门配合", "512021") == (
        "县自然资源和规划局",
        "相关部门",
    )


def test_region_in_title() -> None:
    assert region_in_title("石鱼镇2024年违法违规占用耕地专项整治行动工作方案", CAT, "500151") == "500151111"
    assert region_in_title("景德镇市耕地保护任务清单", CAT, "3602") == "3602"
    assert (
        region_in_title("东莞市某方案", CAT, "4419") == "4419"
    )  # not the county-level 441900 of the same name
    assert region_in_title("重点任务分工表", CAT, "4419") is None
