"""Case states and the declared transition table (DOMAIN.md §5, §5a).

A case moves only along a row of ``TABLE``: the transition's name, the states it may start from, the
state it leads to, the roles allowed to fire it and a guard over :class:`Facts`. ``transition`` is
pure: it returns the next state or raises :class:`TransitionRefused` with a stable code
(``cases.wrong_state``, ``cases.wrong_role``, ``cases.guard``) and a Chinese message. Services load
the case, build the facts, call ``transition`` and persist.

Review chain: 待核查 → 县级填报 → 市级审核 → 省级审核 → 审核结束, or 退回 to the county at either
review; 异议 from a return or after review, resolved by the province; 被拆分 for a parent whose
sub-patches are judged one by one; a violation goes on to 整改中 and 已销号, and a relapse (反弹)
found on a later epoch reopens a closed case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from gengbao.domain.access import Role
from gengbao.domain.errors import GengbaoError


class CaseState(StrEnum):
    PENDING_CHECK = "pending_check"
    COUNTY_FILED = "county_filed"
    CITY_REVIEW = "city_review"
    PROVINCE_REVIEW = "province_review"
    REVIEW_DONE = "review_done"
    RETURNED = "returned"
    DISPUTED = "disputed"
    SPLIT = "split"
    RECTIFYING = "rectifying"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]


_STATE_LABELS = {
    CaseState.PENDING_CHECK: "待核查",
    CaseState.COUNTY_FILED: "县级填报",
    CaseState.CITY_REVIEW: "市级审核",
    CaseState.PROVINCE_REVIEW: "省级审核",
    CaseState.REVIEW_DONE: "审核结束",
    CaseState.RETURNED: "已退回",
    CaseState.DISPUTED: "异议",
    CaseState.SPLIT: "被拆分",
    CaseState.RECTIFYING: "整改中",
    CaseState.CLOSED: "已销号",
}

OPEN_STATES = frozenset(CaseState) - {CaseState.SPLIT, CaseState.CLOSED}
"""States in which a case still holds its land: a new clue overlapping it is linked to it."""
TERMINAL_STATES = frozenset({CaseState.SPLIT})
"""No transition leaves these (a closed case can still relapse)."""


class TransitionName(StrEnum):
    JUDGE = "judge"
    SPLIT = "split"
    SUBMIT = "submit"
    CITY_APPROVE = "city_approve"
    PROVINCE_APPROVE = "province_approve"
    RETURN = "return"
    DISPUTE = "dispute"
    RESOLVE = "resolve"
    RECTIFY = "rectify"
    PROGRESS = "progress"
    CLOSE = "close"
    RELAPSE = "relapse"

    @property
    def label(self) -> str:
        return _TRANSITION_LABELS[self]


_TRANSITION_LABELS = {
    TransitionName.JUDGE: "核查填报",
    TransitionName.SPLIT: "拆分",
    TransitionName.SUBMIT: "提交审核",
    TransitionName.CITY_APPROVE: "市级审核通过",
    TransitionName.PROVINCE_APPROVE: "省级审核通过",
    TransitionName.RETURN: "退回",
    TransitionName.DISPUTE: "提出异议",
    TransitionName.RESOLVE: "处理异议",
    TransitionName.RECTIFY: "制定整改方案",
    TransitionName.PROGRESS: "报送整改进度",
    TransitionName.CLOSE: "销号",
    TransitionName.RELAPSE: "反弹重新打开",
}


@dataclass(frozen=True, slots=True)
class Facts:
    """What guards look at; services fill it from the stored case and the request."""

    judged: bool = False
    violation: bool = False
    reason: str = ""
    split_valid: bool = False
    has_plan: bool = False
    remaining_m2: Decimal = Decimal(0)
    evidence_after_work: bool = False
    land_restored: bool = False


Guard = Callable[[Facts], str | None]
"""Returns None when the transition may go ahead, else a Chinese reason."""


def _always(_: Facts) -> str | None:
    return None


def _judged(f: Facts) -> str | None:
    return None if f.judged else "案件尚未核查填报（缺少认定意见）"


def _reason(f: Facts) -> str | None:
    return None if f.reason.strip() else "须填写理由（--reason）"


def _split_valid(f: Facts) -> str | None:
    return None if f.split_valid else "拆分后的子图斑须恰好覆盖原图斑且互不重叠"


def _violation(f: Facts) -> str | None:
    return None if f.violation else "只有认定为违法的案件需要整改"


def _has_plan(f: Facts) -> str | None:
    return None if f.has_plan else "案件尚无整改方案"


def _closable(f: Facts) -> str | None:
    if f.remaining_m2 != 0:
        return f"仍有 {f.remaining_m2} m² 未整改，整改未完成"
    if not f.evidence_after_work:
        return "缺少整改完成后拍摄的举证照片"
    if not f.land_restored:
        return "后一期调查/图斑显示地块仍为建设用地（虚假整改）"
    return None


def _relapsed(f: Facts) -> str | None:
    return None if not f.land_restored else "地块已恢复，无反弹"


_A, _PR, _CR, _CO, _CF = (Role.ADMIN, Role.PROVINCE_REVIEWER, Role.CITY_REVIEWER, Role.COUNTY_REVIEWER,
                          Role.COUNTY_FILLER)
_TW, _FC = Role.TOWNSHIP, Role.FIELD_CHIEF
S = CaseState


@dataclass(frozen=True, slots=True)
class Rule:
    name: TransitionName
    sources: frozenset[CaseState]
    target: CaseState | None  # None: stays where it is (a progress report)
    roles: frozenset[Role]
    guard: Guard


def _rule(name: TransitionName, sources: set[CaseState], target: CaseState | None, roles: set[Role],
          guard: Guard = _always) -> Rule:
    return Rule(name, frozenset(sources), target, frozenset(roles), guard)


TABLE: dict[TransitionName, Rule] = {r.name: r for r in (
    _rule(TransitionName.JUDGE, {S.PENDING_CHECK, S.COUNTY_FILED, S.RETURNED}, S.COUNTY_FILED,
          {_A, _CF, _TW}, _judged),
    _rule(TransitionName.SPLIT, {S.PENDING_CHECK, S.COUNTY_FILED, S.RETURNED}, S.SPLIT, {_A, _CF},
          _split_valid),
    _rule(TransitionName.SUBMIT, {S.COUNTY_FILED}, S.CITY_REVIEW, {_A, _CF, _CO}, _judged),
    _rule(TransitionName.CITY_APPROVE, {S.CITY_REVIEW}, S.PROVINCE_REVIEW, {_A, _CR}),
    _rule(TransitionName.PROVINCE_APPROVE, {S.PROVINCE_REVIEW}, S.REVIEW_DONE, {_A, _PR}),
    _rule(TransitionName.RETURN, {S.CITY_REVIEW, S.PROVINCE_REVIEW}, S.RETURNED, {_A, _CR, _PR}, _reason),
    _rule(TransitionName.DISPUTE, {S.RETURNED, S.REVIEW_DONE}, S.DISPUTED, {_A, _CF, _CO}, _reason),
    _rule(TransitionName.RESOLVE, {S.DISPUTED}, S.PROVINCE_REVIEW, {_A, _PR}, _reason),
    _rule(TransitionName.RECTIFY, {S.REVIEW_DONE}, S.RECTIFYING, {_A, _CF, _CO}, _violation),
    _rule(TransitionName.PROGRESS, {S.RECTIFYING}, None, {_A, _CF, _CO, _TW, _FC}, _has_plan),
    _rule(TransitionName.CLOSE, {S.RECTIFYING}, S.CLOSED, {_A, _CO, _CR}, _closable),
    _rule(TransitionName.RELAPSE, {S.CLOSED}, S.RECTIFYING, {_A, _CF, _CO, _CR, _PR}, _relapsed),
)}


class TransitionRefused(GengbaoError):
    code = "cases.transition_refused"
    default_message = "案件当前不能执行此操作"


def transition(state: CaseState, name: TransitionName, role: Role, facts: Facts = Facts()) -> CaseState:
    """The state after firing ``name`` from ``state`` as ``role``; raises :class:`TransitionRefused`."""
    rule = TABLE[name]
    if state not in rule.sources:
        allowed = "、".join(s.label for s in sorted(rule.sources))
        raise TransitionRefused(
            f"案件处于“{state.label}”状态，不能{name.label}（仅在 {allowed} 状态下可以）。",
            code="cases.wrong_state", state=str(state), transition=str(name))
    if role not in rule.roles:
        who = "、".join(r.label for r in sorted(rule.roles))
        raise TransitionRefused(f"{role.label}不能{name.label}（可执行者：{who}）。",
                                code="cases.wrong_role", role=str(role), transition=str(name))
    why = rule.guard(facts)
    if why is not None:
        raise TransitionRefused(f"不能{name.label}：{why}。", code="cases.guard", transition=str(name))
    return state if rule.target is None else rule.target


def allowed_transitions(state: CaseState, role: Role) -> list[TransitionName]:
    """Transitions ``role`` could fire from ``state`` (guards not evaluated), for menus and help."""
    return [r.name for r in TABLE.values() if state in r.sources and role in r.roles]
