"""One door for profiles kept as YAML (accountability rules, the ledger, assessment schemes …): a packaged
file under ``gengbao/data`` or a user's file, read as plain data with the name to cite in messages. Each
capability's domain validates the data it gets."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from gengbao.domain.errors import InputError, RuleError


def read_yaml_profile(path: Path | None, packaged: str, *, what: str, code: str) -> tuple[Any, str]:
    """The data of ``path`` (a user's file), or of the packaged file ``packaged`` (a path under
    ``gengbao/data``) when ``path`` is None; and its name for messages. ``what`` names the kind of profile
    in Chinese (规则方案, 考核方案 …); ``code`` is the error code for YAML that does not parse."""
    if path is None:
        text = (resources.files("gengbao.data") / packaged).read_text(encoding="utf-8")
        origin = f"（内置）{Path(packaged).name}"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(f"{what}文件不存在：{path}", code="file.not_found", file=str(path)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"无法读取{what} {path}：{exc}", code="file.unreadable", file=str(path)) from exc
        origin = Path(path).name
    try:
        return yaml.safe_load(text), origin
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else ""
        raise RuleError(f"{what} {origin} 不是合法的 YAML{where}：{exc}", code=code) from exc
