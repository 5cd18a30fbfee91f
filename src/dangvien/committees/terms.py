"""Opening and correcting a term (nhiệm kỳ) of an organisation at its congress (domain-briefs
§13, domain-rules §1): a term opens at a congress held while the organisation exists, after the
last term's start; it ends the term before it, and the seats still held there, on its congress
day (a congress elects a new committee: Điều lệ Đảng, Điều 12); the next congress is due after
the rule set's cycle for the organisation's kind, within its tolerance (`congress_dates`)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangvien.committees.models import Term
from dangvien.committees.services import apply_changes, may_write
from dangvien.core import audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.rules import RuleBook, add_months
from dangvien.core.validation import require_reason, require_text
from dangvien.organizations.models import Organization, OrgKind

CYCLE_KEYS = {
    OrgKind.PROVINCE: "congress_cycle_months_province",
    OrgKind.UPPER: "congress_cycle_months_upper",
    OrgKind.BASE_COMMITTEE: "congress_cycle_months_base",
    OrgKind.BASE_BRANCH: "congress_cycle_months_base",
    OrgKind.PARTIAL_COMMITTEE: "congress_cycle_months_partial",
    OrgKind.SUB_BRANCH: "congress_cycle_months_sub_branch",
}


# Bodies a branch or a đảng bộ bộ phận does not elect (Điều lệ Đảng, Điều 30).
@dataclass(frozen=True)
class TermPlan:
    label: str
    congress_on: datetime.date
    starts_on: datetime.date | None = None  # the congress day when not given
    note: str = ""


def congress_dates(
    kind: str, congress_on: datetime.date, book: RuleBook | None = None
) -> tuple[datetime.date, datetime.date]:
    """The next congress's due day and the latest day it may be held: the cycle of the rule
    set in force on the congress day for `kind`, plus its tolerance (Điều lệ Đảng, Điều 24:
    a branch twice in 5 years, ±6 months; the other levels [U], rule keys in core/rules.py)."""
    book = book or RuleBook.load()
    due = add_months(congress_on, book.value(CYCLE_KEYS[kind], congress_on))
    return due, add_months(due, book.value("congress_tolerance_months", congress_on))


def _check_org_alive(org: Organization, day: datetime.date, field: str) -> None:
    if org.founded_on and day < org.founded_on:
        raise DomainError(f"{org.name} thành lập ngày {org.founded_on:%d/%m/%Y}.", field=field)
    if org.ended_on and day > org.ended_on:
        raise DomainError(
            f"{org.name} đã thôi hoạt động ngày {org.ended_on:%d/%m/%Y}.", field=field
        )


def _term_check(org: Organization, plan: TermPlan, term: Term | None = None) -> None:
    """A term's dates: not in the future, from its congress, and between its neighbours (a new
    term after every other; a corrected one after the term before it and before the next)."""
    require_text(plan.label, field="label", label="Nhiệm kỳ")
    if not plan.label.strip():
        raise DomainError("Ghi nhiệm kỳ, ví dụ «2025–2030».", field="label")
    if plan.congress_on > timezone.localdate():
        raise DomainError("Ngày đại hội không ở tương lai.", field="congress_on")
    _check_org_alive(org, plan.congress_on, "congress_on")
    starts = plan.starts_on or plan.congress_on
    if starts < plan.congress_on:
        raise DomainError("Nhiệm kỳ bắt đầu từ ngày đại hội trở đi.", field="starts_on")
    if starts > timezone.localdate():
        raise DomainError("Ngày bắt đầu nhiệm kỳ không ở tương lai.", field="starts_on")
    others = Term.unscoped.filter(organization=org)
    if term is None:
        if others.filter(starts_on__gte=starts).exists():
            last = others.order_by("-starts_on").first()
            raise DomainError(
                f"{org.name} đã có nhiệm kỳ {last.label} bắt đầu ngày {last.starts_on:%d/%m/%Y}: "
                "nhiệm kỳ mới bắt đầu sau ngày đó.",
                field="starts_on",
            )
        return
    others = others.exclude(pk=term.pk)
    before = others.filter(starts_on__lt=term.starts_on).order_by("-starts_on").first()
    after = others.filter(starts_on__gt=term.starts_on).order_by("starts_on").first()
    if before is not None and starts <= before.starts_on:
        raise DomainError(
            f"Nhiệm kỳ trước ({before.label}) bắt đầu ngày {before.starts_on:%d/%m/%Y}: nhiệm kỳ "
            "này bắt đầu sau ngày đó.",
            field="starts_on",
        )
    if after is not None and starts >= after.starts_on:
        raise DomainError(
            f"Nhiệm kỳ sau ({after.label}) bắt đầu ngày {after.starts_on:%d/%m/%Y}: nhiệm kỳ "
            "này bắt đầu trước ngày đó.",
            field="starts_on",
        )


def _move_previous_end(actor, term: Term, old: datetime.date, new: datetime.date) -> None:
    """The term before `term` ended on its old start, with the seats it closed then («Hết
    nhiệm kỳ …»): they end on the corrected start instead, each change in the history."""
    previous = (
        Term.unscoped.select_for_update()
        .filter(organization_id=term.organization_id, ends_on=old)
        .exclude(pk=term.pk)
        .first()
    )
    if previous is None:
        return
    closed = previous.seats.filter(
        annulled_at__isnull=True, ended_on=old, end_reason=f"Hết nhiệm kỳ {previous.label}"
    )
    if closed.filter(elected_on__gte=new).exists():
        raise DomainError(
            f"Nhiệm kỳ {previous.label} có chức vụ bầu từ ngày {new:%d/%m/%Y} trở đi: nhiệm kỳ "
            "này không bắt đầu sớm hơn.",
            field="starts_on",
        )
    previous.ends_on = new
    previous.save(update_fields=["ends_on", "updated_at"])
    versions.bump(previous)
    reason = f"Sửa ngày bắt đầu nhiệm kỳ {term.label}"
    audit.record(
        actor,
        "committee.term_correct",
        previous,
        org_path=previous.org_path,
        changes={"ends_on": [old, new]},
        reason=reason,
    )
    for seat in closed:
        seat.ended_on = new
        seat.save(update_fields=["ended_on", "updated_at"])
        versions.bump(seat)
        audit.record(
            actor,
            "committee.seat_end",
            seat,
            org_path=seat.org_path,
            changes={"ended_on": [old, new]},
            effective_on=new,
            reason=reason,
        )


def open_term(actor, org: Organization, plan: TermPlan) -> Term:
    """A new term from its congress; the term before it ends that day, with its seats."""
    may_write(actor, org.path)
    starts = plan.starts_on or plan.congress_on
    due, latest = congress_dates(org.kind, plan.congress_on)
    with transaction.atomic():
        # Two officers opening a term at once: the second checks after the first has written.
        Organization.unscoped.select_for_update().filter(pk=org.pk).first()
        _term_check(org, plan)
        previous = Term.unscoped.select_for_update().filter(organization=org).first()
        if previous is not None and previous.ends_on is None:
            _close_term(actor, previous, starts)
        term = Term.unscoped.create(
            organization=org,
            org_path=org.path,
            label=plan.label.strip(),
            congress_on=plan.congress_on,
            starts_on=starts,
            congress_due_on=due,
            congress_latest_on=latest,
            note=plan.note.strip(),
            created_by=audit.acting_user(actor),
        )
        audit.record(
            actor,
            "committee.term_open",
            term,
            org_path=org.path,
            changes={"term": ["", term.label], "congress_due_on": ["", due]},
            effective_on=plan.congress_on,
        )
    return term


def _close_term(actor, term: Term, day: datetime.date) -> None:
    term.ends_on = day
    term.save(update_fields=["ends_on", "updated_at"])
    versions.bump(term)
    audit.record(
        actor,
        "committee.term_close",
        term,
        org_path=term.org_path,
        changes={"ends_on": ["", day]},
        effective_on=day,
        reason="Mở nhiệm kỳ mới",
    )
    held = term.seats.filter(annulled_at__isnull=True, ended_on__isnull=True)
    if held.filter(elected_on__gte=day).exists():
        raise DomainError(
            f"Nhiệm kỳ {term.label} có chức vụ bầu từ ngày {day:%d/%m/%Y} trở đi: kiểm tra lại "
            "ngày đại hội.",
            field="starts_on",
        )
    reason = f"Hết nhiệm kỳ {term.label}"
    for seat in held:
        seat.ended_on, seat.end_reason = day, reason
        seat.save(update_fields=["ended_on", "end_reason", "updated_at"])
        versions.bump(seat)
        audit.record(
            actor,
            "committee.seat_end",
            seat,
            org_path=seat.org_path,
            changes={"ended_on": ["", day]},
            effective_on=day,
            reason=reason,
        )


def correct_term(
    actor, term: Term, plan: TermPlan, reason: str, *, expected_version: str | None = None
) -> Term:
    """The term's label, congress day, start or note corrected, with the reason; the due date
    follows the congress day."""
    may_write(actor, term.org_path)
    reason = require_reason(reason, "Ghi lý do sửa.")
    org = term.organization
    _term_check(org, plan, term)
    starts = plan.starts_on or plan.congress_on
    if term.ends_on and starts >= term.ends_on:
        raise DomainError("Nhiệm kỳ bắt đầu trước khi kết thúc.", field="starts_on")
    if term.seats.filter(annulled_at__isnull=True, elected_on__lt=starts).exists():
        raise DomainError("Có chức vụ bầu trước ngày bắt đầu này.", field="starts_on")
    due, latest = congress_dates(org.kind, plan.congress_on)
    with transaction.atomic():
        versions.check(term, expected_version, label="Nhiệm kỳ")
        term = Term.unscoped.select_for_update().get(pk=term.pk)
        values = {
            "label": plan.label.strip(),
            "congress_on": plan.congress_on,
            "starts_on": starts,
            "note": plan.note.strip(),
            "congress_due_on": due,
            "congress_latest_on": latest,
        }
        old_start = term.starts_on
        changes = apply_changes(term, values)
        if starts != old_start:
            _move_previous_end(actor, term, old_start, starts)
        if changes:
            term.save()
            versions.bump(term)
            audit.record(
                actor,
                "committee.term_correct",
                term,
                org_path=term.org_path,
                changes=changes,
                reason=reason,
            )
    return term
