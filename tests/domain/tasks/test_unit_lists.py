"""Splitting unit-list cells: separators at bracket depth 0 only, 党委、政府 kept whole, 等 as a flag."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gengbao.domain.tasks.unit_lists import looks_like_units, split_units, top_level_split, trailing_bracket


@pytest.mark.parametrize(
    ("cell", "names", "open_ended"),
    [
        ("市委组织部，市自然资源局、市农业农村局", ["市委组织部", "市自然资源局", "市农业农村局"], False),
        ("各乡镇（街道）人民政府（办事处）", ["各乡镇（街道）人民政府（办事处）"], False),
        ("县（市、区）党委、人民政府", ["县（市、区）党委、人民政府"], False),
        ("县(市、区)党委、人民政府", ["县(市、区)党委、人民政府"], False),
        ("各镇街（园区）党委、政府", ["各镇街（园区）党委、政府"], False),
        ("市、镇街（园区）各有关单位", ["市、镇街（园区）各有关单位"], False),
        ("厚街镇、塘厦镇、谢岗镇政府", ["厚街镇政府", "塘厦镇政府", "谢岗镇政府"], False),
        ("市城市管理综合执法局、东莞供电局等", ["市城市管理综合执法局", "东莞供电局"], True),
        ("市林业局、市水利局等单位", ["市林业局", "市水利局"], True),
        (
            "县（市、区）人民政府，市发改委、市林业局、",
            ["县（市、区）人民政府", "市发改委", "市林业局"],
            False,
        ),
        (
            "责任单位：市自然资源局、农业农村局，各县〔区〕人民政府",
            ["市自然资源局", "农业农村局", "各县〔区〕人民政府"],
            False,
        ),
        ("各镇街（园区）政府（目前塘厦、洪梅两个镇）", ["各镇街（园区）政府（目前塘厦、洪梅两个镇）"], False),
        ("A局,B局;C局", ["A局", "B局", "C局"], False),
        ("", [], False),
        ("等", ["等"], False),
    ],
)
def test_split(cell: str, names: list[str], open_ended: bool) -> None:
    units = split_units(cell)
    assert list(units.names) == names
    assert units.open_ended is open_ended
    assert units.raw == cell.strip()


def test_trailing_bracket_matches_across_nesting() -> None:
    assert trailing_bracket("正文。（责任单位：市局，各县〔区〕政府）") == (
        "正文。",
        "责任单位：市局，各县〔区〕政府",
    )
    assert trailing_bracket("正文。〔甲局〕 ") == ("正文。", "甲局")
    assert trailing_bracket("没有括号") is None


def test_bracket_without_label_is_recognised_only_when_it_reads_as_units() -> None:
    assert looks_like_units("县自然资源和规划局、县农业农村局，各乡镇（街道）人民政府（办事处）")
    assert not looks_like_units("国办发〔2020〕44 号")
    assert not looks_like_units("类型、主体、时间、位置、面积等")


NAME = st.text(alphabet="市县甲乙丙丁局委办中心", min_size=2, max_size=8).filter(
    lambda s: s not in ("市", "县") and not s.endswith("等")
)


@given(st.lists(NAME, min_size=1, max_size=6), st.lists(st.sampled_from("，、,"), min_size=6, max_size=6))
def test_names_joined_by_separators_split_back(names: list[str], seps: list[str]) -> None:
    cell = "".join(n + s for n, s in zip(names, seps, strict=False))[:-1]
    assert list(split_units(cell).names) == names


@given(st.lists(st.text(alphabet="甲乙、，（）", min_size=0, max_size=6), min_size=1, max_size=5))
def test_top_level_split_consumes_exactly_one_separator_per_cut(parts: list[str]) -> None:
    text = "、".join(parts)
    pieces = top_level_split(text)
    assert sum(len(p) for p in pieces) + len(pieces) - 1 == len(text)
