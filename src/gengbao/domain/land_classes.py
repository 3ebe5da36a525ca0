"""Land classes (地类) of the third national land survey (三调工作分类, built on GB/T 21010-2017).

The classification is a declared table (``_TABLE``); everything else is looked up from it.
Each class has a first-level group (``01`` 耕地 … ``12`` 其他土地; ``00`` 湿地 for the wetland
classes that GB/T 21010 files under 林地, 草地, 工矿 and 水域; ``13`` for the work codes of the change
survey; ``20`` for the summary codes 201–205), and one of the three legal categories of the Land
Administration Law (农用地 / 建设用地 / 未利用地). Work codes 1301–1304 have no legal category of their
own but count as construction when farmland turns into them (非农化).

K variants (``0201K`` 可调整果园 …) are former farmland that kept its plough layer; A variants are
sub-classes (``1104A`` 养殖坑塘, ``1107A`` 干渠, ``0810A`` 广场, ``08H2A`` 高教用地). ``variant_of`` points
at the base code. A variant keeps its base's legal category except ``1107A`` 干渠 (建设用地).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gengbao.domain.errors import InputError

FARMLAND_CODES: tuple[str, ...] = ("0101", "0102", "0103")


class LegalCategory(StrEnum):
    """The three legal categories (三大类) of the Land Administration Law."""

    AGRICULTURAL = "agricultural"
    CONSTRUCTION = "construction"
    UNUSED = "unused"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    LegalCategory.AGRICULTURAL: "农用地",
    LegalCategory.CONSTRUCTION: "建设用地",
    LegalCategory.UNUSED: "未利用地",
}

GROUP_NAMES: dict[str, str] = {
    "00": "湿地",
    "01": "耕地",
    "02": "种植园用地",
    "03": "林地",
    "04": "草地",
    "05": "商业服务业用地",
    "06": "工矿用地",
    "07": "住宅用地",
    "08": "公共管理与公共服务用地",
    "09": "特殊用地",
    "10": "交通运输用地",
    "11": "水域及水利设施用地",
    "12": "其他土地",
    "13": "变更调查工作地类",
    "20": "城镇村及工矿用地",
}


@dataclass(frozen=True, slots=True)
class LandClass:
    code: str
    name: str
    group: str
    legal_category: LegalCategory | None  # None only for the work codes 1301–1304
    variant_of: str | None = None
    is_work_code: bool = False
    is_summary: bool = False
    note: str = ""

    @property
    def group_name(self) -> str:
        return GROUP_NAMES[self.group]

    @property
    def is_farmland(self) -> bool:
        """耕地: 0101 水田, 0102 水浇地, 0103 旱地, and only these."""
        return self.code in FARMLAND_CODES

    @property
    def counts_as_construction(self) -> bool:
        """True for 建设用地 and for the work codes 1301–1304: farmland turned into it is 非农化."""
        return self.is_work_code or self.legal_category is LegalCategory.CONSTRUCTION

    @property
    def base_code(self) -> str:
        """The code without its K/A variant suffix (``0201K`` → ``0201``)."""
        return self.variant_of or self.code


_AGR = LegalCategory.AGRICULTURAL
_CON = LegalCategory.CONSTRUCTION
_UNU = LegalCategory.UNUSED
_VERIFY_0404 = "verify: some tools list 0404 其他草地 as 农用地"

# code, name, group, legal category, variant_of
_TABLE: tuple[tuple[str, str, str, LegalCategory | None, str | None], ...] = (
    ("0101", "水田", "01", _AGR, None),
    ("0102", "水浇地", "01", _AGR, None),
    ("0103", "旱地", "01", _AGR, None),
    ("0201", "果园", "02", _AGR, None),
    ("0201K", "可调整果园", "02", _AGR, "0201"),
    ("0202", "茶园", "02", _AGR, None),
    ("0202K", "可调整茶园", "02", _AGR, "0202"),
    ("0203", "橡胶园", "02", _AGR, None),
    ("0203K", "可调整橡胶园", "02", _AGR, "0203"),
    ("0204", "其他园地", "02", _AGR, None),
    ("0204K", "可调整其他园地", "02", _AGR, "0204"),
    ("0301", "乔木林地", "03", _AGR, None),
    ("0301K", "可调整乔木林地", "03", _AGR, "0301"),
    ("0302", "竹林地", "03", _AGR, None),
    ("0302K", "可调整竹林地", "03", _AGR, "0302"),
    ("0305", "灌木林地", "03", _AGR, None),
    ("0307", "其他林地", "03", _AGR, None),
    ("0307K", "可调整其他林地", "03", _AGR, "0307"),
    ("0401", "天然牧草地", "04", _AGR, None),
    ("0403", "人工牧草地", "04", _AGR, None),
    ("0403K", "可调整人工牧草地", "04", _AGR, "0403"),
    ("0404", "其他草地", "04", _UNU, None),
    ("0303", "红树林地", "00", _AGR, None),
    ("0304", "森林沼泽", "00", _AGR, None),
    ("0306", "灌丛沼泽", "00", _AGR, None),
    ("0402", "沼泽草地", "00", _AGR, None),
    ("0603", "盐田", "00", _CON, None),
    ("1105", "沿海滩涂", "00", _UNU, None),
    ("1106", "内陆滩涂", "00", _UNU, None),
    ("1108", "沼泽地", "00", _UNU, None),
    ("05H1", "商业服务业设施用地", "05", _CON, None),
    ("0508", "物流仓储用地", "05", _CON, None),
    ("0601", "工业用地", "06", _CON, None),
    ("0602", "采矿用地", "06", _CON, None),
    ("0701", "城镇住宅用地", "07", _CON, None),
    ("0702", "农村宅基地", "07", _CON, None),
    ("08H1", "机关团体新闻出版用地", "08", _CON, None),
    ("08H2", "科教文卫用地", "08", _CON, None),
    ("08H2A", "高教用地", "08", _CON, "08H2"),
    ("0809", "公用设施用地", "08", _CON, None),
    ("0810", "公园与绿地", "08", _CON, None),
    ("0810A", "广场用地", "08", _CON, "0810"),
    ("09", "特殊用地", "09", _CON, None),
    ("1001", "铁路用地", "10", _CON, None),
    ("1002", "轨道交通用地", "10", _CON, None),
    ("1003", "公路用地", "10", _CON, None),
    ("1004", "城镇村道路用地", "10", _CON, None),
    ("1005", "交通服务场站用地", "10", _CON, None),
    ("1006", "农村道路", "10", _AGR, None),
    ("1007", "机场用地", "10", _CON, None),
    ("1008", "港口码头用地", "10", _CON, None),
    ("1009", "管道运输用地", "10", _CON, None),
    ("1101", "河流水面", "11", _UNU, None),
    ("1102", "湖泊水面", "11", _UNU, None),
    ("1103", "水库水面", "11", _AGR, None),
    ("1104", "坑塘水面", "11", _AGR, None),
    ("1104A", "养殖坑塘", "11", _AGR, "1104"),
    ("1104K", "可调整养殖坑塘", "11", _AGR, "1104"),
    ("1107", "沟渠", "11", _AGR, None),
    ("1107A", "干渠", "11", _CON, "1107"),
    ("1109", "水工建筑用地", "11", _CON, None),
    ("1110", "冰川及永久积雪", "11", _UNU, None),
    ("1201", "空闲地", "12", _CON, None),
    ("1202", "设施农用地", "12", _AGR, None),
    ("1203", "田坎", "12", _AGR, None),
    ("1204", "盐碱地", "12", _UNU, None),
    ("1205", "沙地", "12", _UNU, None),
    ("1206", "裸土地", "12", _UNU, None),
    ("1207", "裸岩石砾地", "12", _UNU, None),
    ("1301", "临时用地", "13", None, None),
    ("1302", "光伏板区", "13", None, None),
    ("1303", "推土区", "13", None, None),
    ("1304", "拆除未尽区", "13", None, None),
    ("201", "城市", "20", _CON, None),
    ("202", "建制镇", "20", _CON, None),
    ("203", "村庄", "20", _CON, None),
    ("204", "采矿用地", "20", _CON, None),
    ("205", "风景名胜及特殊用地", "20", _CON, None),
)


def _build(row: tuple[str, str, str, LegalCategory | None, str | None]) -> LandClass:
    code, name, group, category, variant_of = row
    return LandClass(
        code=code,
        name=name,
        group=group,
        legal_category=category,
        variant_of=variant_of,
        is_work_code=group == "13",
        is_summary=group == "20",
        note=_VERIFY_0404 if code == "0404" else "",
    )


ALL: tuple[LandClass, ...] = tuple(_build(row) for row in _TABLE)
_BY_CODE: dict[str, LandClass] = {lc.code: lc for lc in ALL}


def _index_by_name() -> dict[str, LandClass]:
    index: dict[str, LandClass] = {}
    for lc in ALL:  # detailed classes come first in the table, so 0602 wins over 204 for 采矿用地
        index.setdefault(lc.name, lc)
    return index


_BY_NAME = _index_by_name()


def _normalise(code: str) -> str:
    return code.strip().upper()


def find(code: str) -> LandClass | None:
    """The land class for ``code`` (whitespace and letter case ignored), or None."""
    return _BY_CODE.get(_normalise(code))


def is_known(code: str) -> bool:
    return find(code) is not None


def get(code: str) -> LandClass:
    """The land class for ``code``; raises ``InputError`` (``landclass.unknown``) when there is none."""
    found = find(code)
    if found is None:
        raise InputError(
            f"未知的地类编码“{code}”：不在三调工作分类（GB/T 21010-2017）中。请核对 DLBM 字段，"
            "例如 0101 水田、0201K 可调整果园、1104A 养殖坑塘",
            code="landclass.unknown",
            value=code,
        )
    return found


def by_name(name: str) -> LandClass:
    """The land class named ``name`` (e.g. 旱地); a detailed class wins over a summary code of the same name."""
    found = _BY_NAME.get(name.strip())
    if found is None:
        raise InputError(
            f"未知的地类名称“{name}”：不在三调工作分类中。请核对 DLMC 字段",
            code="landclass.unknown_name",
            value=name,
        )
    return found


def in_group(group: str) -> tuple[LandClass, ...]:
    """All classes of a first-level group (``"01"`` … ``"12"``, ``"00"`` 湿地, ``"13"``, ``"20"``)."""
    return tuple(lc for lc in ALL if lc.group == group)


def in_category(category: LegalCategory) -> tuple[LandClass, ...]:
    """All classes of a legal category (work codes belong to none)."""
    return tuple(lc for lc in ALL if lc.legal_category is category)
