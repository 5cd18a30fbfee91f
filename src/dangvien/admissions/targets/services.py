"""Admission quotas (chỉ tiêu kết nạp) of an organisation for a year or a congress term."""

import datetime

from django.db import transaction
from django.utils import timezone

from dangvien.admissions.models import AdmissionTarget, period_label, quota_key
from dangvien.core import audit, versions
from dangvien.core.decisions import NO_DECISION, Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_text
from dangvien.organizations.models import Organization
from dangvien.reports.periods import FIRST_YEAR, LAST_YEAR

# No organisation plans more admissions than this; a larger number is a typing mistake.
MAX_QUOTA = 10_000_000


def check_period(year: int | None, term: tuple[int, int] | None) -> None:
    """Exactly one of a year and a term (first year < last year), both within 1930–2100."""
    if (year is None) == (term is None):
        raise DomainError(
            "Ghi một năm hoặc một nhiệm kỳ (ví dụ 2020-2025), không ghi cả hai.", field="year"
        )
    years = [year] if year is not None else list(term)
    if any(not FIRST_YEAR <= value <= LAST_YEAR for value in years):
        raise DomainError(f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.", field="year")
    if term is not None and term[0] >= term[1]:
        raise DomainError("Năm đầu nhiệm kỳ phải trước năm cuối.", field="term")


def dissolved_before(
    organization: Organization, year: int | None, term: tuple[int, int] | None
) -> str | None:
    """Why no quota can be set for the period: the organisation did not exist in it, dissolved
    before it began or founded after it ended (a quota is for the admissions of an organisation
    in its period; quotas of a past period are read in the tree as it stood at its end, where
    such an organisation has no place: targets.selectors). Also the import's check
    (targets.importing)."""
    first_year, last_year = (year, year) if year is not None else term
    if organization.ended_on and organization.ended_on < datetime.date(first_year, 1, 1):
        return (
            f"{organization.name} đã giải thể ngày {organization.ended_on:%d/%m/%Y}, trước "
            f"{period_label(year, term)}."
        )
    if organization.founded_on and organization.founded_on > datetime.date(last_year, 12, 31):
        return (
            f"{organization.name} được thành lập ngày {organization.founded_on:%d/%m/%Y}, sau "
            f"{period_label(year, term)}."
        )
    return None


def _lookup(organization: Organization, year: int | None, term: tuple[int, int] | None) -> dict:
    if year is not None:
        return {"organization": organization, "year": year}
    return {"organization": organization, "term_start": term[0], "term_end": term[1]}


def _check_unchanged(organization, year, term, expected_version: str | None) -> None:
    """Refuse when the quota changed after the user opened the page: a quota is versioned by
    the history entries of its organisation that change its key (core/versions.py)."""
    versions.check(
        None,
        expected_version,
        history_of=organization,
        actions="target.set",
        key=quota_key(year, term),
        label=f"Chỉ tiêu kết nạp {period_label(year, term)} của {organization.name}",
    )


def stretch_problem(quota: int, stretch_quota: int | None) -> str | None:
    """The stretch target (chỉ tiêu phấn đấu) is the congress's quota or more: a target to
    strive for beyond what was set, never below it."""
    if stretch_quota is None:
        return None
    if not 0 <= stretch_quota <= MAX_QUOTA:
        return f"Chỉ tiêu phấn đấu là một số không âm, không quá {MAX_QUOTA:,}.".replace(",", ".")
    if stretch_quota < quota:
        return (
            f"Chỉ tiêu phấn đấu ({stretch_quota}) không được thấp hơn chỉ tiêu kết nạp ({quota})."
        )
    return None


def check_decision(decision: Decision) -> None:
    """The decision giving the quota (nghị quyết đại hội, quyết định giao chỉ tiêu): its number,
    day (not in the future) and issuing body, each optional."""
    if decision.effective_on and decision.effective_on > timezone.localdate():
        raise DomainError("Ngày văn bản giao chỉ tiêu không thể ở tương lai.", field="decision_on")
    for text, field, label, longest in (
        (decision.number, "decision_number", "Số văn bản", 60),
        (decision.body, "decision_body", "Cơ quan ban hành", 200),
    ):
        if len(text.strip()) > longest:
            raise DomainError(f"{label} dài quá {longest} ký tự.", field=field)


def decision_text(target: AdmissionTarget) -> str | None:
    """The decision as the history keeps it (None: no decision)."""
    return target.decision_label or None


@transaction.atomic
def set_target(
    actor,
    organization: Organization,
    *,
    quota: int,
    year: int | None = None,
    term: tuple[int, int] | None = None,
    stretch_quota: int | None = None,
    decision: Decision = NO_DECISION,
    expected_version: str | None = None,
) -> AdmissionTarget:
    """Set (or change) the quota of an organisation for a year or a term, with its stretch target
    and the decision giving them (each kept as it is when not given: `kept_values`); the old
    values stay in the history. `expected_version` is the quotas page's token (None: no check,
    imports)."""
    require(actor, Capability.MANAGE_ORGS, organization.path)
    check_period(year, term)
    if quota is None or not 0 <= quota <= MAX_QUOTA:
        raise DomainError(
            f"Chỉ tiêu kết nạp là một số không âm, không quá {MAX_QUOTA:,}.".replace(",", "."),
            field="quota",
        )
    check_decision(decision)
    if problem := dissolved_before(organization, year, term):
        raise DomainError(problem, field="organization_code")
    _check_unchanged(organization, year, term, expected_version)
    target = AdmissionTarget.unscoped.filter(**_lookup(organization, year, term)).first()
    if target is None:
        target = AdmissionTarget(org_path=organization.path, **_lookup(organization, year, term))
    values = kept_values(target, stretch_quota, decision)
    if problem := stretch_problem(quota, values["stretch_quota"]):
        raise DomainError(problem, field="stretch_quota")
    changes = target_changes(target, quota=quota, **values)
    if not changes:
        return target
    target.save()
    audit.record(actor, "target.set", organization, org_path=organization.path, changes=changes)
    return target


def kept_values(target: AdmissionTarget, stretch_quota: int | None, decision: Decision) -> dict:
    """The stretch target and the decision to keep: those given, or else the quota's own (a
    blank field, or a file without these columns, changes nothing)."""
    return {
        "stretch_quota": target.stretch_quota if stretch_quota is None else stretch_quota,
        "decision_number": decision.number.strip() or target.decision_number,
        "decision_on": decision.effective_on or target.decision_on,
        "decision_body": decision.body.strip() or target.decision_body,
    }


def target_changes(target: AdmissionTarget, **values) -> dict:
    """Apply `values` to `target` (unsaved) and return the history's changes: the quota under
    its period's key, always present so that every change versions the quota
    (`_check_unchanged`), the stretch target and the decision under theirs; {} if nothing
    changed."""
    new = target.pk is None
    old_quota, old_stretch = (None, None) if new else (target.quota, target.stretch_quota)
    old_decision = None if new else decision_text(target)
    for field, value in values.items():
        setattr(target, field, value)
    suffix = target.history_key.removeprefix("quota")
    changes = {}
    if old_stretch != target.stretch_quota:
        changes[f"stretch_quota{suffix}"] = [old_stretch, target.stretch_quota]
    if old_decision != decision_text(target):
        changes[f"quota_decision{suffix}"] = [old_decision, decision_text(target)]
    if changes or old_quota != target.quota:
        changes = {target.history_key: [old_quota, target.quota], **changes}
    return changes


@transaction.atomic
def clear_target(
    actor, target: AdmissionTarget, *, expected_version: str | None = None, reason: str = ""
) -> None:
    """Remove a quota set by mistake; its value stays in the history, with the reason given. A
    quota changed after the page showed it is not removed."""
    require(actor, Capability.MANAGE_ORGS, target.org_path)
    require_text(reason, field="reason", label="Lý do", multiline=True)
    organization = target.organization
    _check_unchanged(organization, target.year, target.term, expected_version)
    target = AdmissionTarget.unscoped.filter(pk=target.pk).first()
    if target is None:
        raise DomainError("Chỉ tiêu kết nạp này đã được xóa.")
    changes = {target.history_key: [target.quota, None]}
    suffix = target.history_key.removeprefix("quota")
    if target.stretch_quota is not None:
        changes[f"stretch_quota{suffix}"] = [target.stretch_quota, None]
    if decision := decision_text(target):
        changes[f"quota_decision{suffix}"] = [decision, None]
    audit.record(
        actor,
        "target.set",
        organization,
        org_path=target.org_path,
        changes=changes,
        reason=reason.strip(),
    )
    AdmissionTarget.unscoped.filter(pk=target.pk).delete()
