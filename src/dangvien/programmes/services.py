"""Writing action programmes: a committee's programme, its targets, the results of the targets
tracked by hand (each kept), the reviews freezing every target's figures, and their corrections
with a reason. A programme is the committee's: writing it needs `MANAGE_ORGS` on the owner
(an officer of the owner's subtree). `actor` None is the command line (all organisations)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from dangvien.core import audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason, require_text
from dangvien.core.vntext import fold
from dangvien.organizations.models import Organization
from dangvien.programmes.models import (
    ActionProgramme,
    Comparator,
    Indicator,
    ProgrammeTarget,
    TargetResult,
)
from dangvien.reports.periods import FIRST_YEAR, LAST_YEAR

MAX_VALUE = Decimal("9999999999")
# Comparators as typed (formats.md: `>=`, `<=` accepted).
COMPARATOR_ALIASES = {">=": "≥", "=>": "≥", "<=": "≤", "=<": "≤"}


def clean_text(value: str, *, field: str, label: str, multiline: bool = False) -> str:
    """A free text checked like every other (core.validation), stripped."""
    value = (value or "").strip()
    require_text(value, field=field, label=label, multiline=multiline)
    return value


def amount(value: Decimal | None) -> str | None:
    """A value as the history keeps it ("5.00"; None for none)."""
    return None if value is None else str(value)


def may_write(actor, path: str) -> None:
    if actor is not None:
        require(actor, Capability.MANAGE_ORGS, path)


def parse_comparator(text: str) -> str:
    """A comparator as typed: `>`, `≥`, `=`, `≤`, `<` (or `>=`, `<=`). A leading apostrophe is
    how a spreadsheet keeps `=` as text (and how our templates write it): dropped."""
    text = (text or "").strip().replace(" ", "").removeprefix("'")
    text = COMPARATOR_ALIASES.get(text, text)
    if text not in Comparator.values:
        raise DomainError(
            "So sánh phải là một trong >, ≥, =, ≤, < (hoặc >=, <=).", field="comparator"
        )
    return text


def parse_value(value) -> Decimal:
    """A target or a result: a number, zero or more, with at most 2 decimals (comma or dot)."""
    text = str(value if value is not None else "").strip().replace(",", ".")
    if text.endswith("%"):
        text = text[:-1].strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise DomainError(f"“{value}” không phải là một số.", field="value") from None
    if not number.is_finite() or number < 0:
        raise DomainError("Giá trị phải là số không âm.", field="value")
    if number > MAX_VALUE:
        raise DomainError("Giá trị quá lớn.", field="value")
    if number != number.quantize(Decimal("0.01")):
        raise DomainError("Giá trị có nhiều nhất 2 chữ số thập phân.", field="value")
    return number.quantize(Decimal("0.01"))


def check_period(year: int | None, term: tuple[int, int] | None) -> None:
    """A year, or a term whose first year comes before its last, within 1930-2100."""
    if (year is None) == (term is None):
        raise DomainError("Ghi năm hoặc nhiệm kỳ của chương trình (một trong hai).", field="year")
    years = [year] if year is not None else list(term)
    if any(not FIRST_YEAR <= y <= LAST_YEAR for y in years):
        raise DomainError(f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.", field="year")
    if term is not None and term[0] >= term[1]:
        raise DomainError("Năm đầu nhiệm kỳ phải trước năm cuối.", field="term")


def period_refusal(owner: Organization, year: int | None, term) -> str:
    """Why `owner` can hold no programme of that period: ended before it began ("" if it can)."""
    first = year if year is not None else term[0]
    if owner.ended_on is not None and owner.ended_on < datetime.date(first, 1, 1):
        return f"{owner.name} đã kết thúc hoạt động từ ngày {owner.ended_on:%d/%m/%Y}."
    return ""


def find_programme(owner: Organization, year: int | None, term) -> ActionProgramme | None:
    if year is not None:
        return ActionProgramme.unscoped.filter(owner=owner, year=year).first()
    return ActionProgramme.unscoped.filter(
        owner=owner, term_start=term[0], term_end=term[1]
    ).first()


@transaction.atomic
def create_programme(
    actor,
    owner: Organization,
    *,
    year: int | None = None,
    term: tuple[int, int] | None = None,
    title: str = "",
    number: str = "",
    adopted_on: datetime.date | None = None,
    reason: str = "",
) -> ActionProgramme:
    """The owner's programme of a year or of a term (one of each per owner)."""
    may_write(actor, owner.path)
    check_period(year, term)
    if problem := period_refusal(owner, year, term):
        raise DomainError(problem, field="year")
    if adopted_on is not None and adopted_on > timezone.localdate():
        raise DomainError("Ngày ban hành ở tương lai.", field="adopted_on")
    title = clean_text(title, field="title", label="Tên chương trình")
    number = clean_text(number, field="number", label="Số văn bản")
    start, end = term or (None, None)
    try:
        with transaction.atomic():
            programme = ActionProgramme.unscoped.create(
                owner=owner,
                owner_path=owner.path,
                year=year,
                term_start=start,
                term_end=end,
                title=title,
                number=number,
                adopted_on=adopted_on,
                created_by=audit.acting_user(actor),
            )
    except IntegrityError:
        label = f"năm {year}" if year is not None else f"nhiệm kỳ {start}-{end}"
        raise DomainError(
            f"{owner.name} đã có chương trình hành động {label}.", field="year"
        ) from None
    audit.record(
        actor,
        "programme.record",
        programme,
        org_path=programme.owner_path,
        changes={"period": [None, programme.period_key], "title": [None, title]},
        decision_number=number,
        reason=reason,
    )
    return programme


def locked(model, obj):
    return model.unscoped.select_for_update().get(pk=obj.pk)


@transaction.atomic
def update_programme(
    actor,
    programme: ActionProgramme,
    *,
    title: str,
    number: str,
    adopted_on: datetime.date | None,
    expected_version: str | None = None,
) -> ActionProgramme:
    """The programme's title, number and date (its owner and period stay)."""
    may_write(actor, programme.owner_path)
    programme = locked(ActionProgramme, programme)
    versions.check(programme, expected_version, actions="programme.update", label=str(programme))
    if adopted_on is not None and adopted_on > timezone.localdate():
        raise DomainError("Ngày ban hành ở tương lai.", field="adopted_on")
    new = {
        "title": clean_text(title, field="title", label="Tên chương trình"),
        "number": clean_text(number, field="number", label="Số văn bản"),
        "adopted_on": adopted_on,
    }
    changes = {k: [getattr(programme, k), v] for k, v in new.items() if getattr(programme, k) != v}
    if not changes:
        return programme
    for field, value in new.items():
        setattr(programme, field, value)
    programme.save(update_fields=[*new, "updated_at"])
    versions.bump(programme)
    audit.record(
        actor, "programme.update", programme, org_path=programme.owner_path, changes=changes
    )
    return programme


def indicator_of(text: str) -> str:
    """The slug of a computed indicator named by its slug or its label (diacritics, case and
    spaces aside); "" for any other text (a target tracked by hand)."""
    folded = fold(text)
    for choice in Indicator:
        if folded in (choice.value, fold(choice.label)):
            return choice.value
    return ""


def clean_label(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise DomainError("Ghi chỉ tiêu.", field="label")
    return clean_text(text, field="label", label="Chỉ tiêu")


@dataclass(frozen=True)
class TargetInput:
    """A target as typed: a computed indicator (its slug or label) or any text."""

    label: str
    comparator: str
    value: Decimal


def _target_key(programme: ActionProgramme, text: str) -> tuple[str, str]:
    """(indicator slug or "", label): the label of a computed one is its catalogue label."""
    label = clean_label(text)
    slug = indicator_of(label)
    return (slug, Indicator(slug).label) if slug else ("", label)


@transaction.atomic
def set_target(actor, programme: ActionProgramme, target: TargetInput, *, reason: str = ""):
    """Add the target, or change the comparator and value of the one with the same indicator
    (or text): (target, "create" | "update" | "unchanged")."""
    may_write(actor, programme.owner_path)
    slug, label = _target_key(programme, target.label)
    comparator = parse_comparator(target.comparator)
    value = parse_value(target.value)
    existing = ProgrammeTarget.unscoped.select_for_update().filter(
        programme=programme, indicator=slug, **({} if slug else {"label": label})
    )
    found = existing.first()
    if found is None:
        position = programme.targets.aggregate(last=Max("position"))["last"] or 0
        found = ProgrammeTarget.unscoped.create(
            programme=programme,
            indicator=slug,
            label=label,
            comparator=comparator,
            value=value,
            position=position + 1,
        )
        audit.record(
            actor,
            "programme_target.record",
            programme,
            org_path=programme.owner_path,
            changes={found.key: [None, f"{comparator} {value}"]},
            reason=reason,
        )
        return found, "create"
    if (found.comparator, found.value) == (comparator, value):
        return found, "unchanged"
    old = f"{found.comparator} {found.value}"
    found.comparator, found.value = comparator, value
    found.save(update_fields=["comparator", "value"])
    versions.bump(found)
    audit.record(
        actor,
        "programme_target.update",
        found,
        org_path=programme.owner_path,
        changes={found.key: [old, f"{comparator} {value}"]},
        reason=reason,
    )
    return found, "update"


@transaction.atomic
def update_target(
    actor,
    target: ProgrammeTarget,
    *,
    comparator: str,
    value,
    expected_version: str | None = None,
) -> ProgrammeTarget:
    """A target's comparator and value, from its page (a page read before another's save is
    refused with what changed)."""
    may_write(actor, target.programme.owner_path)
    target = locked(ProgrammeTarget, target)
    versions.check(target, expected_version, actions="programme_target.update", label=target.label)
    comparator, value = parse_comparator(comparator), parse_value(value)
    if (target.comparator, target.value) == (comparator, value):
        return target
    old = f"{target.comparator} {target.value}"
    target.comparator, target.value = comparator, value
    target.save(update_fields=["comparator", "value"])
    versions.bump(target)
    audit.record(
        actor,
        "programme_target.update",
        target,
        org_path=target.programme.owner_path,
        changes={target.key: [old, f"{comparator} {value}"]},
    )
    return target


@transaction.atomic
def record_result(
    actor,
    target: ProgrammeTarget,
    *,
    actual,
    result_on: datetime.date,
    evidence: str,
) -> TargetResult:
    """A result of a target tracked by hand, with its evidence: kept with the earlier ones; the
    latest by its day is the target's current result."""
    programme = target.programme
    may_write(actor, programme.owner_path)
    target = locked(ProgrammeTarget, target)
    if target.computed:
        raise DomainError("Chỉ tiêu này tính từ dữ liệu, không ghi kết quả thủ công.")
    if result_on is None or result_on > timezone.localdate():
        raise DomainError("Ngày ghi nhận không được ở tương lai.", field="result_on")
    if result_on < datetime.date(programme.first_year, 1, 1):
        raise DomainError(
            f"Ngày ghi nhận trước kỳ của chương trình ({programme.period_label}).",
            field="result_on",
        )
    evidence = require_reason(evidence, "Ghi căn cứ, minh chứng của kết quả.")
    result = TargetResult.unscoped.create(
        target=target,
        actual=parse_value(actual),
        result_on=result_on,
        evidence=evidence,
        recorded_by=audit.acting_user(actor),
    )
    latest = target.results.order_by("-result_on", "-id").first()
    old = target.actual
    target.actual, target.evidence = latest.actual, latest.evidence
    target.result_on, target.result_by = latest.result_on, latest.recorded_by
    target.save(update_fields=["actual", "evidence", "result_on", "result_by"])
    versions.bump(target)
    audit.record(
        actor,
        "programme_target.result",
        target,
        org_path=programme.owner_path,
        changes={"actual": [amount(old), amount(target.actual)]},
        effective_on=result_on,
        reason=evidence,
    )
    return result
