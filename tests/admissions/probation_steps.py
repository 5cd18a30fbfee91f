"""Building blocks for probation tests: probationary members and the steps of their review,
recorded through the pages as users record them."""

import datetime
import re

from django.utils import timezone

from dangvien.core.roles import Role
from dangvien.core.rules import add_months
from dangvien.members.models import Member, Status
from tests.admissions.workflow import seat_voters
from tests.factories import MemberFactory
from tests.training.worlds import certify


def today() -> datetime.date:
    return timezone.localdate()


def text(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def probationary(world, admitted_on: datetime.date, branch=None, **values) -> Member:
    return MemberFactory(
        branch=branch or world.branch,
        admitted_on=admitted_on,
        official_on=None,
        status=Status.PROBATIONARY,
        **values,
    )


def months_ago(months: int, days: int = 0) -> datetime.date:
    return add_months(today(), -months) - datetime.timedelta(days=days)


def shown(client, member, kind: str) -> str:
    """The version the step's form on the procedure page carries ("" when none is offered)."""
    page = client.get(f"/admissions/probation/{member.pk}/").content.decode()
    found = re.search(rf'name="{kind}-version" value="([^"]*)"', page)
    return found[1] if found else ""


def record_step(client, member, kind: str, on: datetime.date, **fields):
    """POST one step of the checklist, as its form on the procedure page sends it (a branch's
    vote with official members enough for its total)."""
    if kind in ("branch_vote", "strike_off_vote") and "votes_total" in fields:
        seat_voters(member.branch, int(fields["votes_total"]), on)
    data = {
        "kind": kind,
        f"{kind}-done_on": text(on),
        f"{kind}-version": shown(client, member, kind),
    }
    data.update({f"{kind}-{name}": value for name, value in fields.items()})
    return client.post(f"/admissions/probation/{member.pk}/step/", data, follow=True)


def decide(client, member, on: datetime.date, path: str = "recognise", **fields):
    prefix = "recognise" if path == "recognise" else "strike_off"
    data = {
        f"{prefix}-effective_on": text(on),
        f"{prefix}-decision_number": fields.pop("number", "12-QĐ/ĐU"),
        f"{prefix}-decision_body": fields.pop("body", "Đảng ủy Trường Tiểu học Hòa Bình"),
    }
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return client.post(f"/admissions/probation/{member.pk}/{path}/", data, follow=True)


def complete_review(world, member, on: datetime.date) -> None:
    """Self-review, helper's opinion, the comments, the branch's and the committee's votes, all
    on `on`; the new-member class certificate two months into probation."""
    secretary, officer = world.client(Role.SECRETARY), world.client(Role.OFFICER)
    certify(world, member)
    record_step(secretary, member, "self_review", on)
    record_step(secretary, member, "introducer_opinion", on)
    record_step(secretary, member, "mass_org_comment", on)
    record_step(secretary, member, "branch_vote", on, votes_for=5, votes_total=6)
    record_step(officer, member, "committee_vote", on, votes_for=7, votes_total=9)


def fresh(member) -> Member:
    return Member.unscoped.get(pk=member.pk)
