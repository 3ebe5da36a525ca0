"""The transition table: exact paths, refusals with their codes, and a Hypothesis state machine that
fires random transitions as random roles and never reaches an undeclared state or breaks an area
invariant."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from gengbao.domain.access import Role
from gengbao.domain.cases.rectification import InvariantBroken, Progress
from gengbao.domain.cases.states import TABLE, CaseState, Facts, TransitionName, TransitionRefused, transition

T, S = TransitionName, CaseState


def test_review_chain_and_return() -> None:
    judged = Facts(judged=True)
    s = transition(S.PENDING_CHECK, T.JUDGE, Role.COUNTY_FILLER, judged)
    assert s is S.COUNTY_FILED
    s = transition(s, T.SUBMIT, Role.COUNTY_FILLER, judged)
    assert s is S.CITY_REVIEW
    assert transition(s, T.RETURN, Role.CITY_REVIEWER, Facts(reason="面积有误")) is S.RETURNED
    s = transition(s, T.CITY_APPROVE, Role.CITY_REVIEWER)
    assert s is S.PROVINCE_REVIEW
    s = transition(s, T.PROVINCE_APPROVE, Role.PROVINCE_REVIEWER)
    assert s is S.REVIEW_DONE
    s = transition(s, T.RECTIFY, Role.COUNTY_FILLER, Facts(violation=True))
    assert s is S.RECTIFYING
    done = Facts(has_plan=True, remaining_m2=Decimal(0), evidence_after_work=True, land_restored=True)
    assert transition(s, T.CLOSE, Role.COUNTY_REVIEWER, done) is S.CLOSED
    assert transition(S.CLOSED, T.RELAPSE, Role.COUNTY_REVIEWER, Facts(land_restored=False)) is S.RECTIFYING


@pytest.mark.parametrize("state,name,role,facts,code", [
    (S.PENDING_CHECK, T.SUBMIT, Role.COUNTY_FILLER, Facts(judged=True), "cases.wrong_state"),
    (S.CITY_REVIEW, T.CITY_APPROVE, Role.COUNTY_FILLER, Facts(), "cases.wrong_role"),
    (S.CITY_REVIEW, T.PROVINCE_APPROVE, Role.PROVINCE_REVIEWER, Facts(), "cases.wrong_state"),
    (S.PROVINCE_REVIEW, T.PROVINCE_APPROVE, Role.CITY_REVIEWER, Facts(), "cases.wrong_role"),
    (S.CITY_REVIEW, T.RETURN, Role.CITY_REVIEWER, Facts(reason="  "), "cases.guard"),
    (S.PENDING_CHECK, T.JUDGE, Role.FIELD_CHIEF, Facts(judged=True), "cases.wrong_role"),
    (S.PENDING_CHECK, T.JUDGE, Role.COUNTY_FILLER, Facts(judged=False), "cases.guard"),
    (S.REVIEW_DONE, T.RECTIFY, Role.COUNTY_FILLER, Facts(violation=False), "cases.guard"),
    (S.RECTIFYING, T.CLOSE, Role.COUNTY_REVIEWER,
     Facts(remaining_m2=Decimal(0), evidence_after_work=True, land_restored=False), "cases.guard"),
    (S.RECTIFYING, T.CLOSE, Role.COUNTY_REVIEWER,
     Facts(remaining_m2=Decimal(5), evidence_after_work=True, land_restored=True), "cases.guard"),
    (S.SPLIT, T.JUDGE, Role.ADMIN, Facts(judged=True), "cases.wrong_state"),
    (S.PENDING_CHECK, T.SPLIT, Role.COUNTY_FILLER, Facts(split_valid=False), "cases.guard"),
    (S.CLOSED, T.RELAPSE, Role.COUNTY_REVIEWER, Facts(land_restored=True), "cases.guard"),
])
def test_refusals_have_stable_codes(state: CaseState, name: TransitionName, role: Role, facts: Facts,
                                    code: str) -> None:
    with pytest.raises(TransitionRefused) as exc:
        transition(state, name, role, facts)
    assert exc.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)


def test_viewer_fires_nothing_and_split_is_terminal() -> None:
    assert all(Role.VIEWER not in r.roles for r in TABLE.values())
    assert all(S.SPLIT not in r.sources for r in TABLE.values())
    assert {r.target for r in TABLE.values()} - {None} <= set(CaseState)


class CaseMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.state = S.PENDING_CHECK
        self.progress = Progress(Decimal("1000.00"))
        self.history: list[CaseState] = [self.state]

    @rule(name=st.sampled_from(list(TransitionName)), role=st.sampled_from(list(Role)),
          judged=st.booleans(), violation=st.booleans(), reason=st.sampled_from(["", "理由"]),
          restored=st.booleans(), evidence=st.booleans(), split_ok=st.booleans())
    def fire(self, name: TransitionName, role: Role, judged: bool, violation: bool, reason: str, restored: bool,
             evidence: bool, split_ok: bool) -> None:
        facts = Facts(judged, violation, reason, split_ok, True, self.progress.unrectified_m2, evidence, restored)
        before = self.state
        rule_ = TABLE[name]
        try:
            self.state = transition(self.state, name, role, facts)
        except TransitionRefused as exc:
            assert exc.code in ("cases.wrong_state", "cases.wrong_role", "cases.guard")
            assert self.state is before
            return
        assert before in rule_.sources and role in rule_.roles
        assert self.state is (before if rule_.target is None else rule_.target)
        if name is T.CLOSE:
            assert self.progress.complete and restored and evidence
        self.history.append(self.state)

    @rule(dem=st.decimals(min_value=-50, max_value=700, places=2),
          leg=st.decimals(min_value=-50, max_value=700, places=2))
    def report(self, dem: Decimal, leg: Decimal) -> None:
        before = self.progress
        try:
            self.progress = self.progress.report(dem, leg)
        except InvariantBroken as exc:
            assert exc.code == "cases.area_invariant"
            assert self.progress == before

    @invariant()
    def declared(self) -> None:
        assert self.state in set(CaseState)
        p = self.progress
        assert p.total_m2 == p.rectified_m2 + p.unrectified_m2
        assert p.rectified_m2 == p.demolished_m2 + p.legalised_m2
        assert min(p.demolished_m2, p.legalised_m2, p.unrectified_m2, p.total_m2) >= 0
        if S.SPLIT in self.history:
            assert self.state is S.SPLIT


TestCaseMachine = CaseMachine.TestCase
