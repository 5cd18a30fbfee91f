"""The demo's transfers, so each officer finds the pages filled: a letter from the ward to the
commune waiting for the commune's confirmation, one to the provincial party agencies not
presented in time (on the overdue list of both sides), and a member of the ward studying
full-time, hosted by the commune and still counted at home. None moves a member between
branches: the demo's figures stay those of the members it loads."""

import datetime

from dangvien.accounts.models import User
from dangvien.core.rules import add_months
from dangvien.members.demo import LONG_STANDING, member_code
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations.models import Organization
from dangvien.transfers import services
from dangvien.transfers.models import TransferKind

# (from branch, to branch, kind, days since the letter, letter number, arrived days ago)
TRANSFERS = [
    ("SH.HB.03", "SH.TP.01", TransferKind.PERMANENT, 8, "21-GGT/ĐU", None),
    ("SH.HB.01.02", "SH.CQD.02", TransferKind.PERMANENT, 70, "09-GGT/ĐU", None),
    ("SH.HB.04.51.01", "SH.TP.04", TransferKind.STUDY, 60, "17-GGT/ĐU", 55),
]


def load(today: datetime.date) -> None:
    admin = User.objects.get(username="admin")
    branches = {org.code: org for org in Organization.unscoped.filter(code__in=_codes())}
    used: set[int] = set()
    for from_code, to_code, kind, days, number, arrived in TRANSFERS:
        source, target = branches.get(from_code), branches.get(to_code)
        if source is None or target is None:
            continue
        letter_on = today - datetime.timedelta(days=days)
        member = _member(source, letter_on, used)
        if member is None:
            continue
        transfer = services.issue_letter(
            admin,
            member,
            kind=kind,
            to_branch=target,
            trigger_on=letter_on,
            letter_issued_on=letter_on,
            letter_number=number,
            temporary_until=add_months(letter_on, 18) if kind != TransferKind.PERMANENT else None,
        )
        if arrived is not None:
            services.confirm_arrival(admin, transfer, today - datetime.timedelta(days=arrived))


def _codes() -> set[str]:
    return {code for row in TRANSFERS for code in row[:2]}


def _member(branch: Organization, before: datetime.date, used: set[int]) -> Member | None:
    """A member of `branch` active well before the letter, not one of the long-standing
    members the import templates use (site.import_examples)."""
    member = (
        Member.unscoped.filter(
            branch=branch,
            status__in=ACTIVE_STATUSES,
            left_on__isnull=True,
            admitted_on__lt=before - datetime.timedelta(days=30),
            code__gt=member_code(LONG_STANDING),
        )
        .exclude(pk__in=used)
        .order_by("code")
        .first()
    )
    if member is not None:
        used.add(member.pk)
    return member
