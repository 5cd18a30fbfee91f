"""Party cards: issued only to official members, one in use at a time; a lost, damaged or
replaced card ends with its reason and stays in the member's card history (domain-rules §2.6)."""

import datetime

from django.db import transaction

from dangvien.admissions.models import CardEnd, CardSeries, PartyCard
from dangvien.admissions.shared.services import require_day
from dangvien.core import audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import require
from dangvien.core.validation import require_fields, require_text
from dangvien.members import conflicts
from dangvien.members.models import ConflictKind, EventKind, Member, MemberEvent, Status


def card_in_use(member: Member) -> PartyCard | None:
    """The member's card in use; a number entered on the record before card history was kept
    becomes its first row, so that ending or replacing it keeps the old number."""
    card = PartyCard.objects.filter(member=member, ended_on__isnull=True).first()
    if card is None and member.card_number:
        old_digits = RuleBook.load().value("old_card_digits")
        number = member.card_number
        old_series = len(number) == old_digits and number.isdigit()
        card = PartyCard.objects.create(
            member=member,
            number=number,
            series=CardSeries.OLD if old_series else CardSeries.CHIP,
            issued_on=member.card_issued_on or member.official_on or member.admitted_on,
            note="Số thẻ có sẵn trong hồ sơ",
        )
    return card


def _check_number(actor, member: Member, number: str, series: str, on: datetime.date) -> str:
    number = number.strip()
    if not number:
        raise DomainError("Cần ghi số thẻ đảng viên.", field="number")
    if series not in CardSeries.values:
        raise DomainError("Loại thẻ không hợp lệ.", field="series")
    digits = RuleBook.load().value("old_card_digits", on)
    old_digits = number.isascii() and number.isdigit() and len(number) == digits
    if series == CardSeries.OLD and not old_digits:
        raise DomainError(f"Số thẻ mẫu cũ gồm đúng {digits} chữ số.", field="number")
    require_fields(PartyCard, {"number": number}, codes=("number",))  # chip cards: a code
    _check_number_free(actor, member, number)
    return number


def _check_number_free(actor, member: Member, number: str) -> None:
    """A number issued before (a card in the history, or a record's card number): the holder is
    named when the actor sees them, otherwise refused without saying whose (recorded)."""
    card = PartyCard.objects.filter(number=number).select_related("member").first()
    holder = card.member if card is not None else Member.unscoped.filter(card_number=number).first()
    if holder is None:
        return
    if conflicts.sees(actor, holder.branch_path):
        raise DomainError(
            f"Số thẻ {number} đã được cấp cho một đảng viên. Đó là hồ sơ của "
            f"{holder.full_name} (mã {holder.code}).",
            field="number",
        )
    collision = conflicts.Collision(
        ConflictKind.CARD_NUMBER,
        number,
        holder,
        holder.branch_path,
        member.branch_path,
        attempted_label=f"{member.full_name} (mã {member.code})",
        existing_label=f"{holder.full_name} (mã {holder.code})",
    )
    raise conflicts.collision_error("Số thẻ", collision, field="number")


def _with_note(note: str, more: str) -> str:
    """A card's note with one more sentence after it."""
    note, more = note.strip(), more.strip()
    if note and more and not note.endswith((".", "!", "?")):
        note += "."
    return f"{note} {more}".strip()


def _end(card: PartyCard, on: datetime.date, reason: str, note: str) -> None:
    if on < card.issued_on:
        raise DomainError("Ngày trước ngày cấp thẻ.", field="ended_on")
    card.ended_on, card.end_reason, card.note = on, reason, _with_note(card.note, note)
    card.save(update_fields=["ended_on", "end_reason", "note"])


@conflicts.records_conflicts("Cấp thẻ đảng viên")
@transaction.atomic
def issue_card(
    actor,
    member: Member,
    *,
    number: str,
    series: str,
    issued_on: datetime.date,
    decision_number: str = "",
    replaces: str = "",
) -> PartyCard:
    """Issue a card to an official member (Điều lệ Đảng; Chỉ thị 51-CT/TW); a card in use must be
    ended first, or ended here as `replaces` (replaced, lost, damaged)."""
    require(actor, Capability.MANAGE_ORGS, member.branch_path)
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    require_day(issued_on, "ngày cấp thẻ", field="issued_on")
    if member.status != Status.OFFICIAL or not member.official_on:
        raise DomainError(
            f"{member.full_name} là {member.get_status_display().lower()}: thẻ đảng viên chỉ "
            "cấp cho đảng viên chính thức.",
            field="number",
        )
    if issued_on < member.official_on:
        raise DomainError(
            f"Ngày cấp thẻ trước ngày chính thức ({member.official_on:%d/%m/%Y}).",
            field="issued_on",
        )
    current = card_in_use(member)
    if current is not None:
        if replaces not in CardEnd.values:
            raise DomainError(
                f"{member.full_name} đang dùng thẻ số {current.number}: chọn lý do đổi thẻ.",
                field="replaces",
            )
        _end(current, issued_on, replaces, "")
    number = _check_number(actor, member, number, series, issued_on)
    card = PartyCard.objects.create(
        member=member,
        number=number,
        series=series,
        issued_on=issued_on,
        decision_number=decision_number.strip(),
        actor=actor,
    )
    old = member.card_number
    member.card_number, member.card_issued_on = number, issued_on
    member.save(update_fields=["card_number", "card_issued_on", "updated_at"])
    versions.bump(member)  # an edit form opened before would write the old card number back
    MemberEvent.objects.create(
        member=member,
        kind=EventKind.CARD_ISSUED,
        on=issued_on,
        decision_number=decision_number.strip(),
        reason=f"Thẻ số {number}" + (f", thay thẻ {old}" if old else ""),
        actor=actor,
    )
    audit.record(
        actor,
        "card.issue",
        member,
        org_path=member.branch_path,
        changes={"card_number": [old, number]},
        effective_on=issued_on,
        decision_number=decision_number.strip(),
    )
    return card


@transaction.atomic
def end_card(actor, member: Member, *, on: datetime.date, reason: str, note: str = "") -> PartyCard:
    """A card reported lost or damaged, or taken back: the member waits for a new one."""
    require(actor, Capability.MANAGE_ORGS, member.branch_path)
    return record_card_end(actor, member, on=on, reason=reason, note=note)


def record_card_end(
    actor, member: Member, *, on: datetime.date, reason: str, note: str = ""
) -> PartyCard:
    """The end itself, the actor's scope checked by the caller (`end_card`, or an import that
    checked every row's scope: discipline's expulsions take the card back)."""
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    if reason not in CardEnd.values or reason == CardEnd.REPLACED:
        raise DomainError("Chọn lý do: mất thẻ, hỏng thẻ hoặc thu hồi.", field="reason")
    require_day(on, "ngày báo", field="ended_on")
    card = card_in_use(member)
    if card is None:
        raise DomainError(f"{member.full_name} không có thẻ đảng viên đang dùng.")
    _end(card, on, reason, note.strip())
    member.card_number, member.card_issued_on = None, None
    member.save(update_fields=["card_number", "card_issued_on", "updated_at"])
    versions.bump(member)  # an edit form opened before would write the old card number back
    MemberEvent.objects.create(
        member=member,
        kind=EventKind.CARD_ENDED,
        on=on,
        reason=f"Thẻ số {card.number}: {CardEnd(reason).label}. {note}".strip(),
        actor=actor,
    )
    audit.record(
        actor,
        "card.end",
        member,
        org_path=member.branch_path,
        changes={"card_number": [card.number, None]},
        effective_on=on,
        reason=f"{CardEnd(reason).label}. {note}".strip(),
    )
    return card


def latest_card(member: Member) -> PartyCard | None:
    """The member's most recent card: the one in use, or the last one to end."""
    return PartyCard.objects.filter(member=member).order_by("-issued_on", "-id").first()


@transaction.atomic
def undo_card_end(actor, member: Member, *, reason: str) -> PartyCard:
    """Undo a card reported lost or damaged, or taken back, by mistake (a card found again, the
    wrong member): the card is in use again and its number back on the record; the timeline's
    entry says it was undone. Only the
    member's latest card, while no other card has been issued and the member is official (a card
    is held by official members only, domain-rules §2.6)."""
    require(actor, Capability.MANAGE_ORGS, member.branch_path)
    member = Member.unscoped.select_for_update().get(pk=member.pk)
    card = latest_card(member)
    ended_cards = PartyCard.objects.filter(member=member, ended_on__isnull=False)
    earlier = ended_cards.order_by("-ended_on", "-id").first()
    in_use = member.card_number or (card.number if card and card.ended_on is None else "")
    if earlier is None:
        raise DomainError(f"{member.full_name} không có thẻ nào được ghi mất, hỏng hoặc thu hồi.")
    if in_use or card.end_reason == CardEnd.REPLACED:
        raise DomainError(
            f"{member.full_name} đang dùng thẻ số {in_use or '(thẻ mới)'}: thẻ số "
            f"{earlier.number} đã được thay, không hủy ghi nhận được (mỗi đảng viên chỉ dùng "
            "một thẻ)."
        )
    ended = f"{CardEnd(card.end_reason).label.lower()} ngày {card.ended_on:%d/%m/%Y}"
    if member.status != Status.OFFICIAL:
        raise DomainError(
            f"{member.full_name} là {member.get_status_display().lower()}: thẻ đảng viên chỉ "
            f"dùng khi là đảng viên chính thức, nên không hủy ghi nhận {ended} được."
        )
    if Member.unscoped.filter(card_number=card.number).exclude(pk=member.pk).exists():
        raise DomainError(
            f"Số thẻ {card.number} đã được ghi vào hồ sơ một đảng viên khác: không hủy ghi nhận "
            "được; hãy kiểm tra lại số thẻ trong hồ sơ đó."
        )
    require_text(reason, field="reason", label="Lý do", multiline=True)
    if not reason.strip():
        raise DomainError(f"Cần ghi lý do hủy ghi nhận {ended}.", field="reason")
    was = f"{CardEnd(card.end_reason).label} ({card.ended_on:%d/%m/%Y})"
    # The timeline keeps the end, saying it was undone; the history keeps both, with reasons.
    event = (
        MemberEvent.objects.filter(
            member=member,
            kind=EventKind.CARD_ENDED,
            on=card.ended_on,
            reason__startswith=f"Thẻ số {card.number}:",
        )
        .order_by("-id")
        .first()
    )
    if event is not None:
        event.reason = _with_note(event.reason, f"Đã hủy ghi nhận: {reason.strip()}")
        event.save(update_fields=["reason"])
    card.ended_on, card.end_reason = None, ""
    card.note = _with_note(card.note, f"Hủy ghi nhận {ended}: {reason.strip()}")
    card.save(update_fields=["ended_on", "end_reason", "note"])
    member.card_number, member.card_issued_on = card.number, card.issued_on
    member.save(update_fields=["card_number", "card_issued_on", "updated_at"])
    versions.bump(member)
    audit.record(
        actor,
        "card.end_undo",
        member,
        org_path=member.branch_path,
        changes={"card_number": [None, card.number], "card": [was, "Đang dùng"]},
        reason=reason.strip(),
    )
    return card
