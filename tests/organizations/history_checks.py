"""Helpers for the tests of the organisations' history: the rule every write keeps, and the
states of one organisation as (from, until, name, parent code) rows."""

from dangvien.organizations.history import check_states
from dangvien.organizations.models import Organization, OrgState


def assert_history_holds() -> None:
    """Every organisation's states follow one another and the current one equals its row."""
    assert check_states() == []


def states_of(org: Organization) -> list[tuple]:
    rows = OrgState.unscoped.filter(org_id=org.pk).select_related("parent")
    return sorted(
        ((s.valid_from, s.valid_until, s.name, s.parent.code if s.parent else None) for s in rows),
        key=lambda row: (row[0] is not None, row[0] or ""),
    )


def fresh(org: Organization) -> Organization:
    return Organization.unscoped.get(pk=org.pk)
