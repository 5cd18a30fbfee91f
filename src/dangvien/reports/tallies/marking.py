"""Marking units dirty on every change to their records, and recounting them once committed."""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_save

from dangvien.assessments.models import MemberAssessment
from dangvien.core import changes
from dangvien.members.models import Member, Placement
from dangvien.organizations.models import Organization
from dangvien.reports.models import DirtyUnit, UnitVersion
from dangvien.reports.tallies.counting import recount
from dangvien.reports.tallies.units import unit_of, unit_top
from dangvien.transfers.models import Transfer

_pending: set[int] = set()  # units marked by this process, recounted once committed


def mark_units(unit_ids: Iterable[int | None]) -> None:
    """Mark units dirty in the current transaction (their version grows) and recount them once
    it commits; should that fail, the marks stay and the reports count those units afresh."""
    ids = sorted({pk for pk in unit_ids if pk is not None})
    if not ids:
        return
    _pending.update(ids)
    transaction.on_commit(_recount_pending)
    _count_up(DirtyUnit, ids)
    _count_up(UnitVersion, ids)


def bump_versions(org_ids: Iterable[int]) -> None:
    """Count a change on organisations themselves (a province a unit left or joined), so the
    version of their scope grows even though the sum of their units' versions may fall."""
    _count_up(UnitVersion, sorted(set(org_ids)))


def _count_up(model, ids: list[int]) -> None:
    """Add one to the version of each id's row (created at 1), in id order: concurrent
    writers lock the rows in the same order."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            values = ", ".join(["(%s, 1)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (unit_id, version) VALUES {values} "
                f"ON CONFLICT (unit_id) DO UPDATE SET version = {table}.version + 1",
                chunk,
            )


def mark_paths(paths: Iterable[str]) -> None:
    """Mark the units of these branch (or organisation) paths dirty."""
    mark_units(unit_of(path) for path in paths)


def mark_members(member_ids: Iterable[int]) -> None:
    """Mark the units of these members' branches and of every branch they were placed in."""
    ids = list(member_ids)
    paths = set(Member.unscoped.filter(pk__in=ids).values_list("branch_path", flat=True))
    paths |= set(Placement.objects.filter(member_id__in=ids).values_list("branch__path", flat=True))
    mark_paths(paths)


def _recount_pending() -> None:
    """Recount the units marked by the transactions committed so far (once for many marks)."""
    if not _pending:
        return
    ids = sorted(_pending)
    _pending.clear()
    recount(Organization.unscoped.filter(pk__in=ids))


def _member_before_save(sender, instance: Member, raw=False, **kwargs) -> None:
    if instance.pk and not raw:  # a transfer: the unit it leaves changes too
        mark_paths(Member.unscoped.filter(pk=instance.pk).values_list("branch_path", flat=True))


def _member_saved(sender, instance: Member, raw=False, **kwargs) -> None:
    if not raw:
        mark_paths([instance.branch_path])


def _placement_changed(sender, instance: Placement, raw=False, **kwargs) -> None:
    if not raw:
        branch = Organization.unscoped.filter(pk=instance.branch_id)
        mark_paths(branch.values_list("path", flat=True))


def _assessment_changed(sender, instance: MemberAssessment, raw=False, **kwargs) -> None:
    if not raw:
        mark_paths([instance.branch_path])


def _organization_saved(sender, instance: Organization, raw=False, **kwargs) -> None:
    if not raw and instance.path:  # a renamed branch shows in the member list of its unit
        mark_paths([instance.path])


def _transfer_changed(sender, instance: Transfer, raw=False, **kwargs) -> None:
    """A transfer shows in the structure report of both its ends (letter issued, arrival,
    cancellation): the versions of their units grow, so a report page cached under them is
    made again. No tally counts transfers: nothing to recount."""
    if raw:
        return
    ends = {instance.from_path, instance.to_path}
    branches = [pk for pk in (instance.from_branch_id, instance.to_branch_id) if pk]
    if branches:
        ends |= set(Organization.unscoped.filter(pk__in=branches).values_list("path", flat=True))
    units = {unit_of(path) for path in ends if path}
    _count_up(UnitVersion, sorted(unit for unit in units if unit is not None))


def _records_changed(sender, *, paths, member_ids, moves, **kwargs) -> None:
    """Mark the units of what a bulk write or a move changed (core.changes announces them)."""
    if member_ids:
        mark_members(member_ids)
    if paths:
        mark_paths(paths)
    if moves:  # the path copies change in bulk, without signals; a batch of moves at once
        ends = [path for move in moves for path in move]
        mark_paths(ends)
        bump_versions(unit_top(path) for path in ends)


def connect() -> None:
    """Mark units dirty on every single save or delete, and on every bulk write or move
    announced through core.changes."""
    changes.changed.connect(_records_changed, dispatch_uid="tally-records-changed")
    pre_save.connect(_member_before_save, sender=Member, dispatch_uid="tally-member-pre")
    post_save.connect(_member_saved, sender=Member, dispatch_uid="tally-member")
    post_delete.connect(_member_saved, sender=Member, dispatch_uid="tally-member-del")
    post_save.connect(_organization_saved, sender=Organization, dispatch_uid="tally-org")
    handlers = (
        (Placement, _placement_changed),
        (MemberAssessment, _assessment_changed),
        (Transfer, _transfer_changed),
    )
    for model, handler in handlers:
        post_save.connect(handler, sender=model, dispatch_uid=f"tally-{model.__name__}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"tally-{model.__name__}-del")
