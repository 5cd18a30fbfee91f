"""Recording awards, and the proposals built from the grades (HD 21-HD/BTCTW; domain-briefs
§10). Officers of a subtree (who manage its organisations) record, correct and annul awards and
record the decision on a proposal; branch secretaries (who manage the branch's members) propose
for their branch. Each write checks the scope, runs in one transaction, is audited; nothing is
deleted: an award is corrected or annulled with a reason, a proposal withdrawn with one."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangvien.awards import selectors
from dangvien.awards.models import (
    Award,
    AwardForm,
    AwardLevel,
    Basis,
    EntryStatus,
    Proposal,
    ProposalEntry,
    ProposalStatus,
)
from dangvien.core import audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import length_error, require_reason, require_text
from dangvien.members.models import Member
from dangvien.members.selectors import branch_on
from dangvien.organizations.models import Organization


@dataclass(frozen=True)
class AwardData:
    """What a decision says of one award."""

    form: str
    level: str
    title: str
    year_from: int
    year_to: int
    decision_number: str
    decided_on: datetime.date
    deciding_body: str
    form_other: str = ""
    reason: str = ""


FIELDS = (
    "form",
    "form_other",
    "level",
    "title",
    "year_from",
    "year_to",
    "decision_number",
    "decided_on",
    "deciding_body",
    "reason",
)


def filed_under(subject, day: datetime.date) -> Organization:
    """Where an award decided on `day` is filed and counted: a member's branch on that day
    (`members.selectors.branch_on`; their current branch when they had none then, e.g. a
    decision recorded before the placements), an organisation itself. A member who moved
    since keeps the award under the branch that proposed it."""
    if isinstance(subject, Member):
        return branch_on(subject, day) or subject.branch
    return subject


def subject_path(subject, day: datetime.date) -> str:
    return filed_under(subject, day).path


def _manages(actor, path: str, capability: str = Capability.MANAGE_ORGS) -> None:
    """No actor: the command line (an import, the demo), acting on all organisations."""
    if actor is not None:
        require(actor, capability, path)


def _check_texts(data: AwardData) -> None:
    for name, label in (
        ("title", "Danh hiệu, nội dung"),
        ("decision_number", "Số quyết định"),
        ("deciding_body", "Cơ quan quyết định"),
        ("form_other", "Hình thức khác"),
    ):
        value = getattr(data, name)
        require_text(value, field=name, label=label)
        if error := length_error(Award, name, value.strip()):
            raise DomainError(f"{label}: {error}", field=name)
    require_text(data.reason, field="reason", label="Lý do, thành tích", multiline=True)


def check_award(subject, data: AwardData) -> None:
    """The decision's facts hold together (refusals name the form's field)."""
    if data.form not in AwardForm.values:
        raise DomainError("Hình thức khen thưởng không hợp lệ.", field="form")
    if data.form == AwardForm.KHAC and not data.form_other.strip():
        raise DomainError("Hình thức «Khác»: ghi tên hình thức.", field="form_other")
    if data.level not in AwardLevel.values:
        raise DomainError("Cấp khen không hợp lệ.", field="level")
    _check_texts(data)
    for name, label in (
        ("title", "Ghi danh hiệu hoặc nội dung khen thưởng."),
        ("decision_number", "Ghi số quyết định."),
        ("deciding_body", "Ghi cơ quan quyết định."),
    ):
        if not getattr(data, name).strip():
            raise DomainError(label, field=name)
    if data.decided_on is None:
        raise DomainError("Ghi ngày quyết định.", field="decided_on")
    if data.decided_on > timezone.localdate():
        raise DomainError(
            f"Ngày quyết định {data.decided_on:%d/%m/%Y} ở tương lai.", field="decided_on"
        )
    if not 1930 <= data.year_from <= data.year_to:
        raise DomainError(
            "Năm không hợp lệ: từ năm phải trước hoặc bằng đến năm.", field="year_from"
        )
    if data.year_to > data.decided_on.year:
        raise DomainError(
            f"Khen thưởng cho năm {data.year_to} nhưng quyết định ngày "
            f"{data.decided_on:%d/%m/%Y}: năm khen không thể sau năm quyết định.",
            field="year_to",
        )
    if isinstance(subject, Member) and data.year_from < subject.admitted_on.year:
        raise DomainError(
            f"{subject.full_name} vào Đảng năm {subject.admitted_on.year}: khen thưởng "
            f"đảng viên không thể cho năm {data.year_from}.",
            field="year_from",
        )
    founded = subject.founded_on if isinstance(subject, Organization) else None
    if founded and data.year_from < founded.year:
        raise DomainError(
            f"{subject.name} thành lập năm {founded.year}: không thể khen cho năm "
            f"{data.year_from}.",
            field="year_from",
        )


def award_values(data: AwardData) -> dict:
    return {
        name: value.strip() if isinstance(value, str) else value
        for name in FIELDS
        for value in [getattr(data, name)]
    }


def _duplicate(subject, data: AwardData, exclude: int | None = None) -> None:
    """One award per decision and subject: checked under a lock on the subject's row, so two
    people (or a form and an import) recording the same decision at once do not both pass."""
    field_name = "member" if isinstance(subject, Member) else "organization"
    type(subject).unscoped.select_for_update().filter(pk=subject.pk).first()
    same = Award.unscoped.filter(
        **{field_name: subject},
        decision_number=data.decision_number.strip(),
        annulled_at__isnull=True,
    )
    if exclude:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise DomainError(
            f"Đã ghi khen thưởng theo quyết định số {data.decision_number.strip()} cho đối "
            "tượng này.",
            field="decision_number",
        )


@transaction.atomic
def record_award(actor, subject, data: AwardData, *, entry=None, reason: str = "") -> Award:
    """Record an award of a member or an organisation (its decision decided elsewhere or by a
    proposal's decision, `entry`)."""
    unit = filed_under(subject, data.decided_on)
    path = unit.path
    _manages(actor, path)
    check_award(subject, data)
    _duplicate(subject, data)
    award = Award.unscoped.create(
        member=subject if isinstance(subject, Member) else None,
        organization=subject if isinstance(subject, Organization) else None,
        unit=unit,
        subject_path=path,
        entry=entry,
        created_by=audit.acting_user(actor),
        **award_values(data),
    )
    audit.record(
        actor,
        "awards.record",
        award,
        org_path=path,
        changes={"award": [None, str(award)]},
        effective_on=data.decided_on,
        decision_number=award.decision_number,
        decision_body=award.deciding_body,
        reason=reason or award.reason,
    )
    return award


def _locked(actor, award: Award) -> Award:
    _manages(actor, award.subject_path)
    award = (
        Award.unscoped.select_for_update(of=("self",))
        .select_related("member", "organization")
        .get(pk=award.pk)
    )
    if award.annulled_at is not None:
        raise DomainError("Khen thưởng này đã bị hủy.")
    return award


@transaction.atomic
def correct_award(
    actor, award: Award, data: AwardData, *, reason: str, expected_version: str | None = None
) -> Award:
    """Correct an award recorded wrong, with the reason, on the version the user read."""
    versions.check(award, expected_version, label="Khen thưởng")
    award = _locked(actor, award)
    check_award(award.subject, data)
    _duplicate(award.subject, data, exclude=award.pk)
    reason = require_reason(reason, "Ghi lý do sửa.")
    changes = {}
    for name, value in award_values(data).items():
        old = getattr(award, name)
        if old != value:
            changes[name] = [old, value]
            setattr(award, name, value)
    if not changes:
        raise DomainError("Không có gì thay đổi.")
    _refile(actor, award, changes)
    award.save()
    versions.bump(award)
    audit.record(
        actor, "awards.correct", award, org_path=award.subject_path, changes=changes, reason=reason
    )
    return award


def _refile(actor, award: Award, changes: dict) -> None:
    """A member's award whose decision date was corrected is filed under their branch on the
    corrected date (`filed_under`), which the officer must manage too."""
    if "decided_on" not in changes or award.member_id is None:
        return
    unit = filed_under(award.member, award.decided_on)
    if unit.pk != award.unit_id:
        _manages(actor, unit.path)
        changes["unit"] = [award.unit.name, unit.name]
        award.unit, award.subject_path = unit, unit.path


@transaction.atomic
def annul_award(actor, award: Award, *, reason: str, expected_version: str | None = None) -> Award:
    """Annul an award recorded by mistake or revoked: kept, marked, no longer counted."""
    versions.check(award, expected_version, label="Khen thưởng")
    award = _locked(actor, award)
    reason = require_reason(reason, "Ghi lý do hủy.")
    award.mark_annulled(actor, reason)
    versions.bump(award)
    audit.record(
        actor,
        "awards.annul",
        award,
        org_path=award.subject_path,
        changes={"award": [str(award), None]},
        reason=reason,
    )
    return award


# -- Proposals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalPlan:
    """The award a proposal asks for, and its paper."""

    form: str
    level: str
    title: str
    proposed_on: datetime.date
    number: str = ""
    form_other: str = ""
    note: str = ""


def _check_plan(plan: ProposalPlan) -> None:
    if plan.form not in AwardForm.values:
        raise DomainError("Hình thức khen thưởng không hợp lệ.", field="form")
    if plan.form == AwardForm.KHAC and not plan.form_other.strip():
        raise DomainError("Hình thức «Khác»: ghi tên hình thức.", field="form_other")
    if plan.level not in AwardLevel.values:
        raise DomainError("Cấp khen không hợp lệ.", field="level")
    for name, label in (("title", "Danh hiệu, nội dung"), ("number", "Số tờ trình")):
        require_text(getattr(plan, name), field=name, label=label)
        if error := length_error(Proposal, name, getattr(plan, name).strip()):
            raise DomainError(f"{label}: {error}", field=name)
    require_text(plan.note, field="note", label="Ghi chú", multiline=True)
    if not plan.title.strip():
        raise DomainError("Ghi danh hiệu hoặc nội dung đề nghị khen thưởng.", field="title")
    if plan.proposed_on is None or plan.proposed_on > timezone.localdate():
        raise DomainError("Ngày đề nghị không được ở tương lai.", field="proposed_on")


@transaction.atomic
def create_proposal(
    actor, org: Organization, year: int, basis: str, plan: ProposalPlan, keys: list[str]
) -> Proposal:
    """Propose the chosen candidates (keys «m<id>», «o<id>» of `selectors.candidates`): the list
    is verified again now; a candidate no longer eligible is refused with its reason."""
    _manages(actor, org.path, Capability.MANAGE_MEMBERS)
    if basis not in Basis.values:
        raise DomainError("Diện xét không hợp lệ.", field="basis")
    if not 1930 <= year <= timezone.localdate().year:
        raise DomainError(f"Năm {year} không hợp lệ.", field="year")
    _check_plan(plan)
    if plan.proposed_on.year < year:
        raise DomainError(
            f"Ngày đề nghị {plan.proposed_on:%d/%m/%Y} trước năm xét {year}.", field="proposed_on"
        )
    if not keys:
        raise DomainError("Chọn ít nhất một tổ chức hoặc đảng viên để đề nghị.")
    found = selectors.candidates(actor, org, year, basis)
    by_key = {c.key: c for c in found.organizations + found.members}
    chosen = []
    for key in dict.fromkeys(keys):
        candidate = by_key.get(key)
        if candidate is None:
            raise DomainError("Một đối tượng được chọn không có trong danh sách xét.")
        if not candidate.eligible:
            raise DomainError(f"{candidate.subject}: {' '.join(candidate.problems)}")
        chosen.append(candidate)
    proposal = Proposal.unscoped.create(
        organization=org,
        org_path=org.path,
        year=year,
        basis=basis,
        streak_years=year - found.first_year + 1,
        form=plan.form,
        form_other=plan.form_other.strip(),
        level=plan.level,
        title=plan.title.strip(),
        number=plan.number.strip(),
        proposed_on=plan.proposed_on,
        note=plan.note.strip(),
        created_by=audit.acting_user(actor),
    )
    ProposalEntry.unscoped.bulk_create(
        ProposalEntry(
            proposal=proposal,
            member=c.subject if isinstance(c.subject, Member) else None,
            organization=c.subject if isinstance(c.subject, Organization) else None,
            achievement=c.achievement[:300],
        )
        for c in chosen
    )
    audit.record(
        actor,
        "awards.propose",
        proposal,
        org_path=org.path,
        changes={"award_proposal": [None, f"{proposal.title}: {len(chosen)} đối tượng"]},
        effective_on=plan.proposed_on,
        decision_number=proposal.number,
    )
    return proposal


def _open_proposal(actor, proposal: Proposal, capability: str) -> Proposal:
    _manages(actor, proposal.org_path, capability)
    proposal = Proposal.unscoped.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PROPOSED:
        raise DomainError(f"Đề nghị đã ở trạng thái «{proposal.get_status_display()}».")
    return proposal


@transaction.atomic
def reject_entry(actor, entry: ProposalEntry, *, reason: str) -> ProposalEntry:
    """Take a candidate off the list before the decision, with the reason (kept)."""
    proposal = _open_proposal(actor, entry.proposal, Capability.MANAGE_MEMBERS)
    entry = ProposalEntry.unscoped.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.PROPOSED:
        raise DomainError("Đối tượng này không còn trong danh sách đề nghị.")
    entry.status = EntryStatus.REJECTED
    entry.reject_reason = require_reason(reason, "Ghi lý do không đề nghị.")
    entry.rejected_at = timezone.now()
    entry.save(update_fields=["status", "reject_reason", "rejected_at"])
    versions.bump(proposal)
    audit.record(
        actor,
        "awards.reject",
        proposal,
        org_path=proposal.org_path,
        changes={"award_proposal": [str(entry), None]},
        reason=entry.reject_reason,
    )
    return entry


@dataclass(frozen=True)
class Decision:
    number: str
    decided_on: datetime.date
    body: str


@transaction.atomic
def decide_proposal(
    actor, proposal: Proposal, decision: Decision, *, expected_version: str | None = None
) -> list[Award]:
    """The competent level's decision on a proposal: an award for each candidate still on the
    list, in one transaction (each audited). Only officers managing the proposing
    organisation's subtree record it."""
    versions.check(proposal, expected_version, label="Đề nghị khen thưởng")
    proposal = _open_proposal(actor, proposal, Capability.MANAGE_ORGS)
    entries = list(
        ProposalEntry.unscoped.select_for_update(of=("self",))
        .filter(proposal=proposal, status=EntryStatus.PROPOSED)
        .select_related("member__branch", "organization")
    )
    if not entries:
        raise DomainError("Danh sách đề nghị không còn ai: rút đề nghị thay vì ghi quyết định.")
    data = AwardData(
        form=proposal.form,
        form_other=proposal.form_other,
        level=proposal.level,
        title=proposal.title,
        year_from=proposal.year_from,
        year_to=proposal.year,
        decision_number=decision.number,
        decided_on=decision.decided_on,
        deciding_body=decision.body,
    )
    if decision.decided_on is not None and decision.decided_on < proposal.proposed_on:
        raise DomainError("Ngày quyết định trước ngày đề nghị.", field="decided_on")
    awards = []
    for entry in entries:
        try:
            awards.append(
                record_award(actor, entry.subject, data, entry=entry, reason=entry.achievement)
            )
        except DomainError as error:
            if error.field in (
                "form",
                "level",
                "title",
                "decision_number",
                "decided_on",
                "deciding_body",
            ):
                raise
            raise DomainError(f"{entry.subject}: {error.message}") from error
        entry.status = EntryStatus.AWARDED
        entry.save(update_fields=["status"])
    proposal.status = ProposalStatus.DECIDED
    proposal.decision_number = decision.number.strip()
    proposal.decided_on = decision.decided_on
    proposal.deciding_body = decision.body.strip()
    proposal.save()
    versions.bump(proposal)
    audit.record(
        actor,
        "awards.decide",
        proposal,
        org_path=proposal.org_path,
        changes={"award_proposal": [None, f"{len(awards)} khen thưởng"]},
        effective_on=decision.decided_on,
        decision_number=proposal.decision_number,
        decision_body=proposal.deciding_body,
    )
    return awards


@transaction.atomic
def withdraw_proposal(
    actor, proposal: Proposal, *, reason: str, expected_version: str | None = None
) -> Proposal:
    """Withdraw a proposal not yet decided (made by mistake, replaced): kept with its list."""
    versions.check(proposal, expected_version, label="Đề nghị khen thưởng")
    proposal = _open_proposal(actor, proposal, Capability.MANAGE_MEMBERS)
    proposal.withdraw_reason = require_reason(reason, "Ghi lý do rút đề nghị.")
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status", "withdraw_reason", "updated_at"])
    versions.bump(proposal)
    audit.record(
        actor,
        "awards.withdraw",
        proposal,
        org_path=proposal.org_path,
        changes={"status": [ProposalStatus.PROPOSED.label, ProposalStatus.WITHDRAWN.label]},
        reason=proposal.withdraw_reason,
    )
    return proposal
