"""Inside/outside samples for the party development URLs (used by tests/test_scope_walk.py).

Each page of the area adds its own functions below and merges them in `scope_samples` and
`post_samples`."""

import datetime

from django.utils import timezone

from dangvien.admissions.candidates.services import create_candidate
from dangvien.admissions.introducers.services import assign_introducer
from dangvien.admissions.models import AdmissionTarget
from dangvien.core.roles import Role
from dangvien.members.models import Status
from tests.conftest import OUTSIDE_MARK
from tests.factories import MemberFactory


def _target_samples(world) -> dict:
    """A year quota on the inside base committee and one on the outside base committee."""

    def quota(org) -> AdmissionTarget:
        return AdmissionTarget.unscoped.create(
            organization=org, org_path=org.path, year=2024, quota=10
        )

    return {
        "admissions:target-remove": {"pk": (quota(world.base).pk, quota(world.outside_base).pk)}
    }


def _target_posts(world, outside: bool) -> dict:
    org = world.outside_base if outside else world.base
    # The quotas' current version (no quota set yet): only the scope can refuse the save.
    quota = {"organization_code": org.code, "year": "2025", "quota": "12", "version": "0.0"}
    return {"admissions:targets": quota}


def _candidate_samples(world) -> dict:
    """A candidate in the inside branch and one in the outside branch, each with an official
    member assigned to help them (the introducer of the `introduction` URL)."""
    today = timezone.localdate()

    def candidate(actor, branch, name, member):
        created = create_candidate(
            actor,
            organization=branch,
            values={"full_name": name, "gender": "Nữ", "birth_date": datetime.date(2000, 5, 1)},
            selected_on=today,
        )
        introducer = assign_introducer(
            actor, created, member, assigned_on=today, together_since=datetime.date(2020, 1, 1)
        )
        return created.pk, introducer.pk

    inside = candidate(world.users[Role.SECRETARY], world.branch, "Hoàng Thị Nguồn", world.member)
    outside = candidate(
        world.users["outside_officer"],
        world.outside_branch,
        f"Quần Chúng {OUTSIDE_MARK}",
        world.outside_member,
    )
    pk = {"pk": (inside[0], outside[0])}
    samples = {
        f"admissions:{name}": pk
        for name in (
            "candidate",
            "candidate-edit",
            "candidate-class",
            "candidate-introducer",
            "candidate-step",
            "candidate-admit",
            "candidate-ceremony",
            "candidate-withdraw",
            "candidate-reopen",
            "candidate-annul",
            "candidate-move",
        )
    }
    introducer = {"pk": (inside[1], outside[1])}
    for name in ("introduction", "introduction-correct", "introducer-remove", "introducer-replace"):
        samples[f"admissions:{name}"] = introducer
    return samples


def _candidate_posts(world, outside: bool) -> dict:
    day = timezone.localdate().strftime("%d/%m/%Y")
    branch = world.outside_branch if outside else world.branch
    member = world.outside_member if outside else world.other_member
    person = {"full_name": "Tên Bị Đổi", "gender": "Nam", "birth_date": "01/01/2000"}
    return {
        "admissions:candidate-new": {**person, "branch_code": branch.code, "selected_on": day},
        "admissions:candidate-edit": person,
        "admissions:candidate-class": {"attended_on": day},
        "admissions:candidate-introducer": {
            "member_code": member.code,
            "assigned_on": day,
            "together_since": "01/01/2020",
        },
        "admissions:introduction": {"introduced_on": day},
        "admissions:candidate-step": {"kind": "application", "done_on": day},
        "admissions:candidate-admit": {
            "code": "DV-KN-MOI",
            "decision_number": "1-QĐ/ĐU",
            "effective_on": day,
            "decision_body": "Đảng ủy",
        },
        "admissions:candidate-ceremony": {"done_on": day},
        "admissions:candidate-withdraw": {"reason": "Chuyển công tác"},
        "admissions:candidate-reopen": {"reason": "Trở lại công tác"},
        "admissions:candidate-annul": {"reason": "Quyết định ghi nhầm"},
        "admissions:introduction-correct": {"introduced_on": day, "reason": "Ghi nhầm ngày"},
        "admissions:introducer-remove": {"reason": "Phân công nhầm"},
        "admissions:introducer-replace": {
            "member_code": member.code,
            "assigned_on": day,
            "together_since": "01/01/2020",
            "reason": "Phân công nhầm",
        },
        "admissions:candidate-move": {"branch_code": branch.code},
    }


def _probation_samples(world) -> dict:
    """A probationary member inside and one outside (probation pages); the world's official
    members for the card pages."""
    admitted = timezone.localdate() - datetime.timedelta(days=400)
    inside = MemberFactory(
        branch=world.branch,
        full_name="Đặng Văn Dự Bị",
        admitted_on=admitted,
        official_on=None,
        status=Status.PROBATIONARY,
    )
    outside = MemberFactory(
        branch=world.outside_branch,
        full_name=f"Dự Bị {OUTSIDE_MARK}",
        admitted_on=admitted,
        official_on=None,
        status=Status.PROBATIONARY,
    )
    probation = {"member_pk": (inside.pk, outside.pk)}
    cards = {"member_pk": (world.member.pk, world.outside_member.pk)}
    samples = {
        f"admissions:{name}": probation
        for name in (
            "probation-member",
            "probation-step",
            "probation-recognise",
            "probation-strike-off",
            "probation-strike-off-annul",
            "probation-ceremony",
        )
    }
    samples.update(
        {
            f"admissions:{name}": cards
            for name in ("card-member", "card-issue", "card-end", "card-end-undo")
        }
    )
    return samples


def _probation_posts(world, outside: bool) -> dict:
    day = timezone.localdate().strftime("%d/%m/%Y")
    decision = {"effective_on": day, "decision_number": "9-QĐ/ĐU", "decision_body": "Đảng ủy"}
    return {
        "admissions:probation-step": {"kind": "self_review", "self_review-done_on": day},
        "admissions:probation-recognise": {f"recognise-{k}": v for k, v in decision.items()},
        "admissions:probation-strike-off": {
            **{f"strike_off-{k}": v for k, v in decision.items()},
            "strike_off-reason": "Vi phạm tư cách",
        },
        "admissions:probation-strike-off-annul": {"reason": "Quyết định ghi nhầm"},
        "admissions:probation-ceremony": {"ceremony-ceremony_on": day, "ceremony-reason": "Sửa"},
        "admissions:card-issue": {"number": "12345678", "series": "old", "issued_on": day},
        "admissions:card-end": {"ended_on": day, "reason": "lost"},
        "admissions:card-end-undo": {"reason": "Tìm lại được thẻ"},
    }


def scope_samples(world) -> dict:
    return {**_target_samples(world), **_candidate_samples(world), **_probation_samples(world)}


def post_samples(world, outside: bool) -> dict:
    return {
        **_target_posts(world, outside),
        **_candidate_posts(world, outside),
        **_probation_posts(world, outside),
    }
