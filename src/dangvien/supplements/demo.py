"""Demo supplement: this year's round on the demo ward (SH.HB) with proposals in every state.

Demo members have no accounts, so their online submissions are written here as the member would
have sent them; every later step (paper forms, confirmation, approval, sending back) goes
through the services, so the records and their history look exactly as in real use.
"""

import datetime
import random

from django.utils import timezone

from dangvien.accounts.models import User
from dangvien.core import audit
from dangvien.core.roles import Capability
from dangvien.core.scope import can
from dangvien.members.models import ACTIVE_STATUSES, QUALIFICATIONS, THEORY_LEVELS, Member
from dangvien.organizations.models import Organization
from dangvien.supplements import services
from dangvien.supplements.models import ProposalStatus, SupplementProposal, SupplementRound

WARD = "SH.HB"
OFFICER = "hoabinh"  # the ward officer of accounts.demo
SECRETARY = "bithu"  # the secretary of SH.HB.01.01
# What happens to the members of the ward, with weights (most have not finished yet).
OUTCOMES = {
    None: 40,
    ProposalStatus.DRAFT: 4,
    ProposalStatus.SUBMITTED: 16,
    "paper": 6,
    ProposalStatus.CONFIRMED: 12,
    ProposalStatus.APPROVED: 18,
    ProposalStatus.REJECTED: 4,
}
REASONS = [
    "Chưa kèm bản sao văn bằng, chứng chỉ.",
    "Nơi cư trú chưa khớp với xác nhận của tổ dân phố.",
    "Chức vụ chưa có quyết định bổ nhiệm.",
]
LANGUAGES = ["Tiếng Anh B1", "Tiếng Anh B2", "Tiếng Pháp A2", "Tiếng Trung HSK 3"]
IT_SKILLS = ["Cơ bản", "Chứng chỉ ứng dụng CNTT cơ bản", "Chứng chỉ ứng dụng CNTT nâng cao"]
MASS_ORG = [
    "Ủy viên Ban Chấp hành Công đoàn",
    "Chi hội trưởng Cựu chiến binh",
    "Tổ trưởng tổ dân phố",
]


def _next_level(levels: list[str], current: str) -> str:
    if current not in levels:
        return levels[0]
    return levels[min(levels.index(current) + 1, len(levels) - 1)]


def _changes(rng: random.Random, member: Member) -> dict[str, list[str]]:
    """One to three plausible changes a member reports in a year."""
    candidates = {
        "phone": f"09{rng.randint(10_000_000, 99_999_999)}",
        "residence": f"Tổ {rng.randint(1, 30)}, phường Hòa Bình",
        "foreign_language": rng.choice(LANGUAGES),
        "it_skill": rng.choice(IT_SKILLS),
        "political_theory": _next_level(THEORY_LEVELS, member.political_theory),
        "qualification": _next_level(QUALIFICATIONS, member.qualification),
        "mass_org_position": rng.choice(MASS_ORG),
    }
    fields = rng.sample(sorted(candidates), k=rng.randint(1, 3))
    return {
        field: [getattr(member, field), candidates[field]]
        for field in fields
        if getattr(member, field) != candidates[field]
    }


def _sent_online(rng, supplement_round, member, status) -> SupplementProposal | None:
    """The proposal as the member would have sent it from the self-service page."""
    changes = _changes(rng, member)
    if not changes:
        return None
    draft = status == ProposalStatus.DRAFT
    proposal = SupplementProposal.unscoped.create(
        round=supplement_round,
        member=member,
        changes=changes,
        status=ProposalStatus.DRAFT if draft else ProposalStatus.SUBMITTED,
        submitted_at=None if draft else timezone.now(),
    )
    audit.record(
        None,
        "supplement.draft" if draft else "supplement.submit",
        proposal,
        org_path=member.branch_path,
        changes={} if draft else changes,
        reason="Dữ liệu mẫu",
    )
    return proposal


def load(rng: random.Random, today: datetime.date) -> SupplementRound:
    """Open this year's round on the demo ward and give its members proposals in every state.

    Needs the demo tree, members and accounts (call after `accounts.demo.load`)."""
    officer = User.objects.get(username=OFFICER)
    secretary = User.objects.get(username=SECRETARY)
    ward = Organization.unscoped.get(code=WARD)
    supplement_round = services.open_round(
        officer, ward, today.year, today + datetime.timedelta(days=45)
    )
    members = Member.unscoped.filter(
        branch_path__startswith=ward.path, status__in=ACTIVE_STATUSES, user__isnull=True
    ).order_by("code")
    outcomes, weights = list(OUTCOMES), list(OUTCOMES.values())
    for member in members:
        outcome = rng.choices(outcomes, weights)[0]
        if outcome is None:
            continue
        if outcome == "paper":
            services.record_paper_submission(
                _branch_actor(officer, secretary, member), supplement_round, member
            )
            continue
        proposal = _sent_online(rng, supplement_round, member, outcome)
        if proposal is None or outcome in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED):
            continue
        branch_actor = _branch_actor(officer, secretary, member)
        if outcome == ProposalStatus.REJECTED:
            services.reject_proposal(branch_actor, proposal, rng.choice(REASONS))
            continue
        services.confirm_proposal(branch_actor, proposal)
        if outcome == ProposalStatus.APPROVED:
            services.approve_proposal(officer, proposal)
    return supplement_round


def _branch_actor(officer: User, secretary: User, member: Member) -> User:
    """The demo secretary acts for their own branch; the ward officer for the others."""
    return secretary if can(secretary, Capability.MANAGE_MEMBERS, member.branch_path) else officer
