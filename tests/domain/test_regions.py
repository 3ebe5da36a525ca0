"""Region codes and hierarchy, checked against the packaged NBS 2023 extract."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gengbao.adapters.region_data import load_catalog
from gengbao.domain.errors import InputError, NotFoundError
from gengbao.domain.regions import RegionLevel, normalise_code, zldwdm_problem

DATA = Path(__file__).resolve().parents[2] / "src" / "gengbao" / "data" / "regions_nbs2023.csv"


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog()


def test_extract_scope_and_counts(catalog) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(DATA.open(encoding="utf-8")))
    assert len(catalog) == len(rows) == 2964
    counties = {r.code: r.name for r in catalog if r.level is RegionLevel.COUNTY}
    assert counties == {
        "360202": "昌江区", "360203": "珠山区", "360222": "浮梁县", "360281": "乐平市", "441900": "东莞市",
        "512021": "安岳县", "500151": "铜梁区", "640502": "沙坡头区", "640521": "中宁县", "640522": "海原县",
    }
    assert catalog.get("500151111").name == "石鱼镇"
    assert len(catalog.children("441900")) == 36  # 东莞: 32 towns/streets + 4 special zones
    assert {"谢岗镇", "塘厦镇", "厚街镇", "洪梅镇"} <= {r.name for r in catalog.children("441900")}


def test_hierarchy_queries(catalog) -> None:  # type: ignore[no-untyped-def]
    v = catalog.get("360202101201")
    assert (v.name, v.level, v.parent) == ("凤岗村委会", RegionLevel.VILLAGE, "360202101")
    assert [r.code for r in catalog.ancestors(v.code)] == ["360202101", "360202", "3602", "36"]
    assert catalog.parent("360202").name == "景德镇市"
    assert catalog.contains("3602", "360202101201") and catalog.contains("360200", "360202")
    assert not catalog.contains("360202", "360222100201")
    assert [r.code for r in catalog.children("3602")] == ["360202", "360203", "360222", "360281"]
    villages = catalog.descendants("3602", RegionLevel.VILLAGE)
    assert all(r.code.startswith("3602") and len(r.code) == 12 for r in villages)
    assert len(villages) == sum(1 for r in catalog if r.level is RegionLevel.VILLAGE and r.code.startswith("3602"))
    assert [r.code for r in catalog.by_name("浮梁县")] == ["360222"]


def test_code_normalisation_and_errors(catalog) -> None:  # type: ignore[no-untyped-def]
    assert normalise_code("360200") == "3602"
    assert normalise_code("360202000000") == "360202"
    assert normalise_code("360000") == "36"
    assert normalise_code("360202101000") == "360202101"
    with pytest.raises(InputError) as e:
        normalise_code("36020")
    assert e.value.code == "region.code_format"
    with pytest.raises(NotFoundError) as n:
        catalog.get("360299")
    assert n.value.code == "region.unknown"
    assert RegionLevel.of_digits(9) is RegionLevel.TOWNSHIP
    # 441900 is a real county-level code ending in 00: the catalogue keeps it
    assert catalog.normalise_code("441900") == "441900" and catalog.get("441900").level is RegionLevel.COUNTY
    assert catalog.normalise_code("441900000000") == "441900"
    assert catalog.normalise_code("360200") == "3602"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("3602021012010000100", None),
        ("360202101201000010", "长度为 18"),
        ("36020210120100001000", "长度为 20"),
        ("36020210120A0000100", "非数字字符“A”"),
        ("3602021012一组0000010", "非数字字符“一”"),
    ],
)
def test_zldwdm_validation(value: str, problem: str | None) -> None:
    got = zldwdm_problem(value)
    assert got == problem if problem is None else problem in (got or "")


@given(st.text(alphabet="0123456789", min_size=19, max_size=19))
def test_any_19_digit_string_is_well_formed(value: str) -> None:
    assert zldwdm_problem(value) is None


@given(st.text(min_size=0, max_size=25).filter(lambda s: len(s) != 19))
def test_wrong_length_is_always_refused(value: str) -> None:
    assert zldwdm_problem(value) is not None
