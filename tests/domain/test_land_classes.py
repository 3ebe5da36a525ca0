"""Land classes against DOMAIN.md §2, transcribed here by hand as the independent reference."""

from __future__ import annotations

from collections import Counter

import pytest

from gengbao.domain import land_classes as lcs
from gengbao.domain.errors import InputError
from gengbao.domain.land_classes import FARMLAND_CODES, LegalCategory

# DOMAIN.md §2, group by group (00 = 湿地, 13 = work codes, 20 = summary codes).
DOMAIN_GROUPS = {
    "01": {"0101", "0102", "0103"},
    "02": {"0201", "0202", "0203", "0204", "0201K", "0202K", "0203K", "0204K"},
    "03": {"0301", "0302", "0305", "0307", "0301K", "0302K", "0307K"},
    "04": {"0401", "0403", "0403K", "0404"},
    "00": {"0303", "0304", "0306", "0402", "0603", "1105", "1106", "1108"},
    "05": {"05H1", "0508"},
    "06": {"0601", "0602"},
    "07": {"0701", "0702"},
    "08": {"08H1", "08H2", "08H2A", "0809", "0810", "0810A"},
    "09": {"09"},
    "10": {"1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008", "1009"},
    "11": {"1101", "1102", "1103", "1104", "1104A", "1104K", "1107", "1107A", "1109", "1110"},
    "12": {"1201", "1202", "1203", "1204", "1205", "1206", "1207"},
    "13": {"1301", "1302", "1303", "1304"},
    "20": {"201", "202", "203", "204", "205"},
}

# DOMAIN.md §2 "Three legal categories", expanded by hand.
AGRICULTURAL = (
    DOMAIN_GROUPS["01"]
    | DOMAIN_GROUPS["02"]
    | DOMAIN_GROUPS["03"]
    | {"0303", "0304", "0306", "0401", "0402", "0403", "0403K", "1006", "1103"}
    | {"1104", "1104A", "1104K", "1107", "1202", "1203"}
)
CONSTRUCTION = (
    DOMAIN_GROUPS["05"]
    | {"0601", "0602", "0603"}
    | DOMAIN_GROUPS["07"]
    | DOMAIN_GROUPS["08"]
    | {"09", "1001", "1002", "1003", "1004", "1005", "1007", "1008", "1009"}
    | {"1107A", "1109", "1201"}
    | DOMAIN_GROUPS["20"]
)
UNUSED = {"0404", "1101", "1102", "1105", "1106", "1108", "1110", "1204", "1205", "1206", "1207"}


def test_every_domain_code_is_present_and_nothing_else() -> None:
    expected = set().union(*DOMAIN_GROUPS.values())
    assert {lc.code for lc in lcs.ALL} == expected
    assert len(lcs.ALL) == 78 == len(expected)


@pytest.mark.parametrize(("group", "codes"), sorted(DOMAIN_GROUPS.items()))
def test_groups(group: str, codes: set[str]) -> None:
    assert {lc.code for lc in lcs.in_group(group)} == codes


def test_group_counts() -> None:
    counts = Counter(lc.group for lc in lcs.ALL)
    assert counts == {
        "00": 8, "01": 3, "02": 8, "03": 7, "04": 4, "05": 2, "06": 2, "07": 2,
        "08": 6, "09": 1, "10": 9, "11": 10, "12": 7, "13": 4, "20": 5,
    }  # fmt: skip


def test_legal_categories_exactly_as_domain() -> None:
    assert {lc.code for lc in lcs.in_category(LegalCategory.AGRICULTURAL)} == AGRICULTURAL
    assert {lc.code for lc in lcs.in_category(LegalCategory.CONSTRUCTION)} == CONSTRUCTION
    assert {lc.code for lc in lcs.in_category(LegalCategory.UNUSED)} == UNUSED
    assert (len(AGRICULTURAL), len(CONSTRUCTION), len(UNUSED)) == (33, 30, 11)
    assert {lc.code for lc in lcs.ALL if lc.legal_category is None} == DOMAIN_GROUPS["13"]


def test_category_labels() -> None:
    assert [c.label for c in LegalCategory] == ["农用地", "建设用地", "未利用地"]
    assert LegalCategory("construction") is LegalCategory.CONSTRUCTION


def test_farmland_is_exactly_three_classes() -> None:
    assert FARMLAND_CODES == ("0101", "0102", "0103")
    assert [lc.code for lc in lcs.ALL if lc.is_farmland] == ["0101", "0102", "0103"]
    assert [lcs.get(c).name for c in FARMLAND_CODES] == ["水田", "水浇地", "旱地"]
    assert lcs.get("0102").group_name == "耕地"


@pytest.mark.parametrize(
    ("code", "base"),
    [
        ("0201K", "0201"), ("0202K", "0202"), ("0203K", "0203"), ("0204K", "0204"),
        ("0301K", "0301"), ("0302K", "0302"), ("0307K", "0307"), ("0403K", "0403"),
        ("1104K", "1104"), ("1104A", "1104"), ("1107A", "1107"), ("0810A", "0810"), ("08H2A", "08H2"),
    ],
)  # fmt: skip
def test_variants_resolve_to_base(code: str, base: str) -> None:
    lc = lcs.get(code)
    assert lc.variant_of == base
    assert lc.base_code == base
    assert lcs.get(base).variant_of is None
    assert lcs.get(base).base_code == base


def test_variants_keep_base_category_except_trunk_canal() -> None:
    differing = {
        lc.code
        for lc in lcs.ALL
        if lc.variant_of is not None and lc.legal_category is not lcs.get(lc.variant_of).legal_category
    }
    assert differing == {"1107A"}
    assert lcs.get("1107").legal_category is LegalCategory.AGRICULTURAL
    assert lcs.get("1107A").legal_category is LegalCategory.CONSTRUCTION


def test_work_codes_count_as_construction() -> None:
    work = [lc for lc in lcs.ALL if lc.is_work_code]
    assert [(lc.code, lc.name) for lc in work] == [
        ("1301", "临时用地"), ("1302", "光伏板区"), ("1303", "推土区"), ("1304", "拆除未尽区"),
    ]  # fmt: skip
    assert all(lc.counts_as_construction and lc.legal_category is None for lc in work)
    construction_like = {lc.code for lc in lcs.ALL if lc.counts_as_construction}
    assert construction_like == CONSTRUCTION | DOMAIN_GROUPS["13"]


def test_summary_codes() -> None:
    summary = [(lc.code, lc.name) for lc in lcs.ALL if lc.is_summary]
    assert summary == [
        ("201", "城市"),
        ("202", "建制镇"),
        ("203", "村庄"),
        ("204", "采矿用地"),
        ("205", "风景名胜及特殊用地"),
    ]
    assert lcs.get("203").legal_category is LegalCategory.CONSTRUCTION
    assert lcs.get("203").group_name == "城镇村及工矿用地"


def test_second_level_names_of_summary_groups() -> None:
    assert lcs.get("05H1").name == "商业服务业设施用地"
    assert lcs.get("08H1").name == "机关团体新闻出版用地"
    assert lcs.get("08H2").name == "科教文卫用地"
    assert lcs.get("08H2A").name == "高教用地"


def test_other_grassland_is_unused_and_flagged_for_verification() -> None:
    lc = lcs.get("0404")
    assert lc.legal_category is LegalCategory.UNUSED
    assert "verify" in lc.note
    assert [c.code for c in lcs.ALL if c.note] == ["0404"]


def test_wetland_group_members_keep_their_own_categories() -> None:
    cats = {lc.code: lc.legal_category for lc in lcs.in_group("00")}
    assert cats == {
        "0303": LegalCategory.AGRICULTURAL, "0304": LegalCategory.AGRICULTURAL,
        "0306": LegalCategory.AGRICULTURAL, "0402": LegalCategory.AGRICULTURAL,
        "0603": LegalCategory.CONSTRUCTION, "1105": LegalCategory.UNUSED,
        "1106": LegalCategory.UNUSED, "1108": LegalCategory.UNUSED,
    }  # fmt: skip
    assert lcs.get("0303").group_name == "湿地"


def test_lookup_normalises_case_and_space() -> None:
    assert lcs.get(" 0201k ").code == "0201K"
    assert lcs.get("05h1").code == "05H1"
    assert lcs.is_known("1104a")
    assert not lcs.is_known("0100")
    assert lcs.find("9999") is None


def test_unknown_code_raises_with_stable_code_and_chinese_message() -> None:
    with pytest.raises(InputError) as info:
        lcs.get("0105")
    assert info.value.code == "landclass.unknown"
    assert "0105" in info.value.message
    assert "地类编码" in info.value.message


def test_by_name() -> None:
    assert lcs.by_name("旱地").code == "0103"
    assert lcs.by_name("可调整果园").code == "0201K"
    assert lcs.by_name("采矿用地").code == "0602"  # detailed class wins over summary code 204
    assert lcs.by_name("建制镇").code == "202"
    with pytest.raises(InputError) as info:
        lcs.by_name("稻田")
    assert info.value.code == "landclass.unknown_name"


def test_names_unique_apart_from_the_mining_summary() -> None:
    names = Counter(lc.name for lc in lcs.ALL)
    assert {n for n, c in names.items() if c > 1} == {"采矿用地"}


def test_land_class_is_frozen() -> None:
    lc = lcs.get("0101")
    with pytest.raises(AttributeError):
        lc.name = "x"  # type: ignore[misc]
