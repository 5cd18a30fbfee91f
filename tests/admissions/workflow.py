"""Building blocks for admission tests: a candidate whose file is complete up to the branch vote."""

import datetime

from django.utils import timezone

from dangvien.admissions.candidates.services import create_candidate, record_awareness_class
from dangvien.admissions.introducers.services import assign_introducer, record_introduction
from dangvien.admissions.models import AdmissionStepKind, Candidate
from dangvien.admissions.procedure.services import record_admission_step
from dangvien.admissions.shared.services import official_members_on
from dangvien.core.roles import Role
from dangvien.core.rules import add_months
from dangvien.members.models import Member
from tests.factories import MemberFactory

DOCUMENTS = (
    AdmissionStepKind.APPLICATION,
    AdmissionStepKind.PERSONAL_HISTORY,
    AdmissionStepKind.BACKGROUND_CHECK,
    AdmissionStepKind.MASS_ORG_COMMENT,
    AdmissionStepKind.RESIDENCE_COMMENT,
)


def today() -> datetime.date:
    return timezone.localdate()


def years_ago(years: int, days: int = 0) -> datetime.date:
    return add_months(today(), -12 * years) - datetime.timedelta(days=days)


def new_candidate(world, *, birth_date=None, **values) -> Candidate:
    return create_candidate(
        world.users[Role.SECRETARY],
        organization=world.branch,
        values={
            "full_name": "Phạm Thị Quần Chúng",
            "gender": "Nữ",
            "birth_date": birth_date or years_ago(25),
            "ethnicity": "Tày",
            "religion": "Không",
            "citizen_id": "001200012345",
            "general_education": "12/12",
            "qualification": "Đại học",
            "workplace": "Trường Tiểu học Hòa Bình",
            **values,
        },
        selected_on=today() - datetime.timedelta(days=400),
    )


def introducers(world, count: int = 2) -> list[Member]:
    return [
        MemberFactory(branch=world.branch, full_name=f"Giới Thiệu {index}")
        for index in range(count)
    ]


def complete_file(world, candidate: Candidate, *, on=None) -> Candidate:
    """Class, documents and two introduction letters, all dated before `on` (default today)."""
    secretary = world.users[Role.SECRETARY]
    on = on or today()
    record_awareness_class(secretary, candidate, attended_on=on - datetime.timedelta(days=200))
    for kind in DOCUMENTS:
        record_admission_step(secretary, candidate, kind, on=on - datetime.timedelta(days=30))
    for member in introducers(world):
        introducer = assign_introducer(
            secretary,
            candidate,
            member,
            assigned_on=on - datetime.timedelta(days=390),
            together_since=on - datetime.timedelta(days=800),
        )
        record_introduction(secretary, introducer, on=on - datetime.timedelta(days=20))
    candidate.refresh_from_db()
    return candidate


def seat_voters(branch, total: int, on: datetime.date) -> None:
    """Official members enough in `branch` on day `on` for a branch vote of `total` voters: the
    total lies between its official members active and all of them that day
    (shared.services.check_vote_total), so a test's figures are a branch's real ones."""
    have = official_members_on(branch, on).count()
    assert have <= total, f"{branch.name} has {have} official members on {on}, more than {total}"
    for index in range(total - have):
        MemberFactory(branch=branch, full_name=f"Đảng Viên Biểu Quyết {index + 1}")
