"""Printable documents of the member file: the member record (phiếu đảng viên, Mẫu 2-HSĐV) and
a branch's member register (sổ danh sách đảng viên, Mẫu 7-HSĐV), rendered to PDF by WeasyPrint.

Callers pass objects they already fetched through the scope (`get_member`, `get_org`); the
organisation names printed in the header are the ancestors of that member's branch.
"""

import base64
import datetime
import re
from dataclasses import dataclass

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from dangvien.core.paths import path_ids
from dangvien.members.models import ACTIVE_STATUSES, Member, MemberPhoto, Placement, Status
from dangvien.members.selectors import timeline
from dangvien.organizations.models import Organization, OrgKind

# The label each level carries in the header of the member forms.
FORM_LEVEL_LABELS = {
    OrgKind.PROVINCE: "Đảng bộ tỉnh, thành phố",
    OrgKind.UPPER: "Đảng bộ cấp trên cơ sở",
    OrgKind.BASE_COMMITTEE: "Đảng bộ cơ sở",
    OrgKind.BASE_BRANCH: "Chi bộ cơ sở",
    OrgKind.PARTIAL_COMMITTEE: "Đảng bộ bộ phận",
    OrgKind.SUB_BRANCH: "Chi bộ",
}
# Số lý lịch đảng viên: 6 digits and 1–3 letters of the provincial committee (HD 12-HD/BTCTW).
RECORD_NUMBER = re.compile(r"^(\d{6})\s*([A-Za-zĐđ]{1,3})$")
CARD_DIGITS = 8
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}


def _date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # heavy import, only when a document is printed

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def organisation_chain(org: Organization) -> list[Organization]:
    """The organisations from the top of the tree down to `org` itself, by its path."""
    ids = path_ids(org.path)
    found = {o.pk: o for o in Organization.unscoped.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def _header_lines(org: Organization) -> list[tuple[str, str]]:
    return [
        (FORM_LEVEL_LABELS.get(o.kind, o.get_kind_display()), o.name)
        for o in organisation_chain(org)
    ]


def _boxes(value: str, count: int) -> list[str]:
    """`value` spread over `count` boxes (blank boxes left to fill by hand)."""
    chars = list(value)[:count]
    return chars + [""] * (count - len(chars))


def _record_number_boxes(value: str) -> dict:
    """The 6+3 boxes of the personal-record number, or the text as is if it has another form."""
    value = (value or "").strip()
    match = RECORD_NUMBER.match(value)
    if not value or match:
        digits, letters = match.groups() if match else ("", "")
        return {"digits": _boxes(digits, 6), "letters": _boxes(letters.upper(), 3), "text": ""}
    return {"digits": [], "letters": [], "text": value}


def _card_number_boxes(value: str | None) -> dict:
    value = (value or "").strip()
    if not value or (value.isdigit() and len(value) == CARD_DIGITS):
        return {"digits": _boxes(value, CARD_DIGITS), "text": ""}
    return {"digits": [], "text": value}


def _photo_data_uri(member: Member) -> str:
    photo = MemberPhoto.objects.filter(member=member).first()
    if not photo or photo.content_type not in PHOTO_TYPES or not photo.content:
        return ""
    encoded = base64.b64encode(bytes(photo.content)).decode("ascii")
    return f"data:{photo.content_type};base64,{encoded}"


def _joined(*parts: str, sep: str = "; ") -> str:
    return sep.join(part for part in parts if part)


@dataclass(frozen=True)
class FormField:
    """One labelled blank of the form; `width` fixes the blank's width, else it takes the rest."""

    label: str
    value: str
    width: str = ""


@dataclass(frozen=True)
class FormLine:
    fields: list[FormField]

    @property
    def continued(self) -> bool:
        """A line that goes on with the item above it (no number of its own): indented."""
        return not self.fields[0].label[:1].isdigit()


def _record_lines(member: Member, admitted_in: Organization | None) -> list[FormLine]:
    """The numbered items of the form, line by line."""
    return [FormLine(fields) for fields in _record_fields(member, admitted_in)]


def _record_fields(member: Member, admitted_in: Organization | None) -> list[list[FormField]]:
    f = FormField
    official = _date(member.official_on)
    if member.status == Status.PROBATIONARY and not official:
        official = "(đảng viên dự bị)"
    status_note = member.get_status_display()
    if member.exempt_since and member.is_active:
        status_note += f"; miễn công tác và sinh hoạt đảng từ {_date(member.exempt_since)}"
    if member.left_on:
        status_note += f" ngày {_date(member.left_on)}"
    return [
        [
            f("1. Họ và tên đang dùng", member.full_name.upper()),
            f("Nam, nữ", member.gender, "18mm"),
        ],
        [f("2. Họ và tên khai sinh", member.birth_name or member.full_name)],
        [f("3. Tên gọi khác, bí danh", member.other_names)],
        [
            f("4. Sinh ngày", _date(member.birth_date)),
            f("Số CCCD", member.citizen_id or "", "42mm"),
        ],
        [f("5. Nơi sinh", member.birthplace)],
        [f("6. Quê quán", member.place_of_origin)],
        [f("7. Nơi cư trú", member.residence)],
        [f("8. Tổ chức đảng nơi cư trú", member.residence_org)],
        [f("9. Dân tộc", member.ethnicity), f("Tôn giáo", member.religion, "48mm")],
        [f("10. Nghề nghiệp hiện nay", member.occupation), f("Điện thoại", member.phone, "38mm")],
        [f("11. Nơi công tác", member.workplace)],
        [
            f("12. Trình độ: giáo dục phổ thông", member.general_education, "22mm"),
            f("chuyên môn", member.qualification),
        ],
        [
            f("học hàm", member.academic_title, "40mm"),
            f("lý luận chính trị", member.political_theory),
        ],
        [f("ngoại ngữ", member.foreign_language), f("tin học", member.it_skill, "50mm")],
        [
            f("13. Ngày vào Đảng", _date(member.admitted_on), "26mm"),
            f("tại", admitted_in.name if admitted_in else ""),
        ],
        [
            f("14. Ngày chính thức", official),
            f("ngày cấp thẻ đảng viên", _date(member.card_issued_on), "30mm"),
        ],
        [f("15. Chi bộ đang sinh hoạt", member.branch.name)],
        [f("16. Tình trạng", status_note)],
        [f("17. Chức vụ: Đảng", member.party_position)],
        [f("chính quyền", member.state_position), f("đoàn thể", member.mass_org_position)],
    ]


def _event_note(event) -> str:
    moves = []
    if event.from_branch_id and event.to_branch_id:
        moves.append(f"Từ {event.from_branch.name} đến {event.to_branch.name}")
    elif event.to_branch_id:
        moves.append(event.to_branch.name)
    return _joined(*moves, event.reason)


def member_record_pdf(member: Member) -> bytes:
    """The member record in the layout of the phiếu đảng viên (Mẫu 2-HSĐV)."""
    first = Placement.objects.filter(member=member).select_related("branch").first()
    events = [
        {
            "on": _date(event.on),
            "kind": event.get_kind_display(),
            "decision": _joined(
                f"Số {event.decision_number}" if event.decision_number else "",
                event.decision_body,
                sep=", ",
            ),
            "note": _event_note(event),
        }
        for event in timeline(member)
    ]
    context = {
        "member": member,
        "header": _header_lines(member.branch),
        "record_number": _record_number_boxes(member.record_number),
        "card_number": _card_number_boxes(member.card_number),
        "photo": _photo_data_uri(member),
        "lines": _record_lines(member, first.branch if first else None),
        "work_history": member.work_history.strip(),
        "family_notes": member.family_notes.strip(),
        "events": events,
        "printed_at": timezone.localtime().strftime("%H:%M %d/%m/%Y"),
    }
    return _render_pdf("members/print_record.html", context)


@dataclass
class RegisterRow:
    """One line of the member register (Mẫu 7-HSĐV), as of the register's date."""

    number: int
    member: Member
    official: bool
    exempt: bool

    @property
    def birth_name(self) -> str:
        name = self.member.birth_name.strip()
        return name if name and name != self.member.full_name else ""

    @property
    def birth(self) -> str:
        return _date(self.member.birth_date)

    @property
    def admitted(self) -> str:
        return _date(self.member.admitted_on)

    @property
    def official_on(self) -> str:
        return _date(self.member.official_on) if self.official else ""

    @property
    def education(self) -> str:
        """Column 5 of the register: general education, qualification, theory, language."""
        member = self.member
        return _joined(
            f"GDPT: {member.general_education}" if member.general_education else "",
            f"CM: {member.qualification}" if member.qualification else "",
            f"LLCT: {member.political_theory}" if member.political_theory else "",
            f"NN: {member.foreign_language}" if member.foreign_language else "",
        )

    @property
    def note(self) -> str:
        notes = [] if self.official else ["Dự bị"]
        if self.exempt:
            notes.append(f"Miễn công tác, sinh hoạt từ {_date(self.member.exempt_since)}")
        return "; ".join(notes)


def register_rows(branch: Organization, as_of: datetime.date | None = None) -> list[RegisterRow]:
    """Members active in `branch`, in Vietnamese name order: now, or on `as_of` by placements."""
    if as_of is None:
        members = Member.unscoped.filter(branch=branch, status__in=ACTIVE_STATUSES)
        day = timezone.localdate()
    else:
        placed = Placement.objects.filter(branch=branch, start__lte=as_of).filter(
            Q(end__isnull=True) | Q(end__gte=as_of)
        )
        members = Member.unscoped.filter(
            pk__in=placed.values("member_id"), admitted_on__lte=as_of
        ).filter(Q(left_on__isnull=True) | Q(left_on__gt=as_of))
        day = as_of
    rows = []
    for number, member in enumerate(members.order_by("sort_key", "id"), start=1):
        official = member.official_on is not None and member.official_on <= day
        exempt = member.exempt_since is not None and member.exempt_since <= day
        rows.append(RegisterRow(number, member, official, exempt))
    return rows


def branch_list_pdf(branch: Organization, as_of: datetime.date | None = None) -> bytes:
    """The branch's member register (sổ danh sách đảng viên, Mẫu 7-HSĐV), landscape A4."""
    rows = register_rows(branch, as_of)
    official = sum(1 for row in rows if row.official)
    context = {
        "branch": branch,
        "header": [org.name for org in organisation_chain(branch)],
        "rows": rows,
        "column_numbers": range(1, 11),
        "as_of": _date(as_of or timezone.localdate()),
        "total": len(rows),
        "official": official,
        "probationary": len(rows) - official,
        "printed_at": timezone.localtime().strftime("%H:%M %d/%m/%Y"),
    }
    return _render_pdf("members/print_list.html", context)
