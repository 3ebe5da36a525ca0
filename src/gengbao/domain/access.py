"""Who acts, and where: roles, jurisdictions and the one authorisation rule.

Every use case receives an :class:`Actor` and asks :func:`authorise` before it reads or changes
anything in a region; the CLI and the HTTP API build actors differently but obey the same rule.
A jurisdiction is a region code in its short form (``36`` province, ``3602`` city, ``360281``
county, ``360281100`` township, ``360281100201`` village) and covers every region whose code starts
with it; the empty jurisdiction (``""``) is the whole country, for administrators and the local
operator of a single-user workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gengbao.domain.errors import GengbaoError


class Role(StrEnum):
    """What a user is allowed to do; identifiers in English, shown in Chinese."""

    ADMIN = "admin"
    PROVINCE_REVIEWER = "province_reviewer"
    CITY_REVIEWER = "city_reviewer"
    COUNTY_REVIEWER = "county_reviewer"
    COUNTY_FILLER = "county_filler"
    TOWNSHIP = "township"
    FIELD_CHIEF = "field_chief"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.ADMIN: "系统管理员",
    Role.PROVINCE_REVIEWER: "省级审核员",
    Role.CITY_REVIEWER: "市级审核员",
    Role.COUNTY_REVIEWER: "县级审核员",
    Role.COUNTY_FILLER: "县级填报员",
    Role.TOWNSHIP: "乡镇用户",
    Role.FIELD_CHIEF: "田长",
    Role.VIEWER: "只读用户",
}


class Action(StrEnum):
    """Kinds of access a use case asks for. Finer rules (who may fire which case transition) live
    with their capability; these are the coarse gates every call passes."""

    READ = "read"
    IMPORT = "import"
    RUN = "run"
    EDIT = "edit"
    ADMINISTER = "administer"


_ALLOWED: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.PROVINCE_REVIEWER: frozenset({Action.READ, Action.EDIT, Action.RUN}),
    Role.CITY_REVIEWER: frozenset({Action.READ, Action.EDIT, Action.RUN}),
    Role.COUNTY_REVIEWER: frozenset({Action.READ, Action.EDIT, Action.RUN, Action.IMPORT}),
    Role.COUNTY_FILLER: frozenset({Action.READ, Action.EDIT, Action.RUN, Action.IMPORT}),
    Role.TOWNSHIP: frozenset({Action.READ, Action.EDIT}),
    Role.FIELD_CHIEF: frozenset({Action.READ, Action.EDIT}),
    Role.VIEWER: frozenset({Action.READ}),
}

_ACTION_LABELS = {
    Action.READ: "查看",
    Action.IMPORT: "导入数据",
    Action.RUN: "运行分析",
    Action.EDIT: "修改",
    Action.ADMINISTER: "管理",
}


class AccessDenied(GengbaoError):
    """The actor may not do this, or not in this region."""

    code = "access.denied"
    default_message = "无权执行此操作"


@dataclass(frozen=True, slots=True)
class Actor:
    """The user a call acts for: a stable id (user name), a role and a jurisdiction."""

    user_id: str
    role: Role
    jurisdiction: str = ""
    display_name: str = ""

    def __post_init__(self) -> None:
        j = self.jurisdiction
        if j and (not j.isdigit() or len(j) not in (2, 4, 6, 9, 12)):
            raise AccessDenied(f"用户 {self.user_id} 的管辖区域“{j}”不是合法的行政区划代码",
                               code="access.jurisdiction_invalid")

    def covers(self, region: str) -> bool:
        """True when ``region`` (a short region code, or a 19-character ZLDWDM) lies inside the
        actor's jurisdiction."""
        return region.startswith(self.jurisdiction)

    def may(self, action: Action) -> bool:
        return action in _ALLOWED[self.role]

    @property
    def label(self) -> str:
        where = self.jurisdiction or "全国"
        return f"{self.display_name or self.user_id}（{self.role.label}，{where}）"


def authorise(actor: Actor, action: Action, region: str | None = None) -> None:
    """Raise :class:`AccessDenied` unless ``actor`` may do ``action`` in ``region`` (``None``: the
    whole workspace, which needs a jurisdiction at or above every region it holds — callers pass the
    workspace's region for that)."""
    if not actor.may(action):
        raise AccessDenied(
            f"{actor.label}无权{_ACTION_LABELS[action]}。请联系管理员调整角色。",
            code="access.role", action=str(action), role=str(actor.role),
        )
    if region is not None and not actor.covers(region) and not _is_ancestor_view(actor, action, region):
        raise AccessDenied(
            f"{actor.label}无权{_ACTION_LABELS[action]}管辖区域以外的 {region}。",
            code="access.region", action=str(action), region=region,
        )


def _is_ancestor_view(actor: Actor, action: Action, region: str) -> bool:
    """Reading a region that contains the actor's jurisdiction is allowed only as a filtered view:
    the caller must then restrict rows to ``actor.jurisdiction``. Writes never pass."""
    return action is Action.READ and actor.jurisdiction.startswith(region)


LOCAL_OPERATOR = Actor(user_id="local", role=Role.ADMIN, jurisdiction="", display_name="本机操作员")
"""The default actor of the command line on a single-user workspace."""
