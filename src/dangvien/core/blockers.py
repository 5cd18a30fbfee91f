"""What a higher app keeps open on an organisation or a member that a lower app's final action
must not leave behind. The lower app (organizations: ending or absorbing an organisation;
members: a member leaving the Party) asks here without importing the higher one; the higher app
(transfers: introduction letters still waiting) registers its check from its ready()."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OrgBlocker:
    """Records of an app that keep an organisation from ending: `count(org)` how many wait in
    its subtree, `message(org, count)` the Vietnamese refusal naming what to do first."""

    key: str
    count: Callable[[object], int]
    message: Callable[[object, int], str]


_ORG_BLOCKERS: dict[str, OrgBlocker] = {}
_MEMBER_CHECKS: dict[str, Callable[[object, str, object], str]] = {}


def register_org_blocker(blocker: OrgBlocker) -> None:
    """Called from an app's ready()."""
    _ORG_BLOCKERS[blocker.key] = blocker


def org_blockers() -> list[OrgBlocker]:
    return list(_ORG_BLOCKERS.values())


def register_leaving_check(key: str, check: Callable[[object, str, object], str]) -> None:
    """Called from an app's ready(): `check(member, status, on)` says why the member cannot leave
    the Party in that way (`members.models.Status`: resigned, removed, expelled, deceased) from
    the day `on` ("" when nothing of that app stands in the way)."""
    _MEMBER_CHECKS[key] = check


def leaving_refusal(member, status: str = "", on=None) -> str:
    """Why `member` cannot be recorded as leaving the Party as `status` from `on` ("" when they
    can)."""
    for check in _MEMBER_CHECKS.values():
        if problem := check(member, status, on):
            return problem
    return ""


_TRANSFER_CHECKS: dict[str, Callable[[object], str]] = {}


def register_transfer_check(key: str, check: Callable[[object], str]) -> None:
    """Called from an app's ready(): `check(member)` says why the member cannot be given an
    introduction letter now ("" when they can; inspections: a case not yet concluded)."""
    _TRANSFER_CHECKS[key] = check


def transfer_refusal(member) -> str:
    """Why `member` cannot start a transfer of party activity now ("" when they can)."""
    for check in _TRANSFER_CHECKS.values():
        if problem := check(member):
            return problem
    return ""


_LEAVING_EFFECTS: dict[str, Callable[[object, object, str, object], None]] = {}
_REINSTATING_EFFECTS: dict[str, Callable[[object, object, object], None]] = {}


def register_leaving_effect(key: str, effect: Callable[[object, object, str, object], None]):
    """Called from an app's ready(): `effect(actor, member, status, on)` runs in the transaction
    that records the member leaving the Party (badges: the badge to recover)."""
    _LEAVING_EFFECTS[key] = effect


def register_reinstating_effect(key: str, effect: Callable[[object, object, object], None]):
    """Called from an app's ready(): `effect(actor, member, on)` runs in the transaction that
    undoes a leaving (badges: the badge no longer to recover)."""
    _REINSTATING_EFFECTS[key] = effect


def leaving_effects(actor, member, status: str, on) -> None:
    for effect in _LEAVING_EFFECTS.values():
        effect(actor, member, status, on)


def reinstating_effects(actor, member, on) -> None:
    for effect in _REINSTATING_EFFECTS.values():
        effect(actor, member, on)
