"""The minutes of a meeting and a resolution as party documents (core.documents): «Biên bản»
with the roll, the proceedings, the month's assessment of the members' thinking, the
resolutions voted, the meeting's grade and the corrections made since; «Nghị quyết» with its
vote (Điều lệ Đảng Điều 10.3)."""

from dangvien.core.documents import PartyDocument, committee_of, signed_for
from dangvien.meetings import roll as rolls
from dangvien.meetings.models import Meeting, Presence, Resolution
from dangvien.organizations.models import Organization


def _above(org: Organization) -> str:
    above = Organization.unscoped.filter(pk=org.parent_id).first()
    return committee_of(above) if above else ""


def _names(rows, status: str) -> str:
    named = [
        row.member.full_name + (f" ({row.reason})" if row.reason else "")
        for row in rows
        if row.status == status
    ]
    return ", ".join(named) if named else "không"


def minutes_document(meeting: Meeting) -> PartyDocument:
    org = meeting.organization
    rows = rolls.roll(meeting)
    f = rolls.figures(meeting, rows)
    where = "trực tuyến" if meeting.online else (meeting.place or "")
    body = [
        f"Thời gian: {meeting.starts_at:%H giờ %M}, ngày {meeting.on:%d/%m/%Y}."
        if meeting.starts_at
        else f"Thời gian: ngày {meeting.on:%d/%m/%Y}.",
        f"Địa điểm: {where}." if where else "",
        f"Chủ trì: {meeting.chair.full_name if meeting.chair else '…………'}; thư ký: "
        f"{meeting.minutes_writer.full_name if meeting.minutes_writer else '…………'}.",
        f"Thành phần: {meeting.get_body_display().lower()}; {f.expected} đồng chí phải dự, "
        f"có mặt {f.present}, vắng có lý do {f.excused}, vắng không lý do {f.unexcused}.",
        f"Vắng có lý do: {_names(rows, Presence.EXCUSED)}.",
        f"Vắng không lý do: {_names(rows, Presence.UNEXCUSED)}.",
        f"Chủ đề: {meeting.topic}.",
    ]
    if meeting.agenda:
        body.append(
            "Chương trình: "
            + "; ".join(line for line in meeting.agenda.splitlines() if line.strip())
            + "."
        )
    body.append("NỘI DUNG")
    body += [line for line in meeting.minutes.splitlines() if line.strip()]
    if meeting.ideology:
        body.append(f"Tình hình tư tưởng đảng viên: {meeting.ideology}")
    for resolution in meeting.resolutions.filter(annulled_at__isnull=True):
        body.append(_vote_line(resolution))
    if meeting.quality:
        body.append(
            f"Chi bộ đánh giá chất lượng buổi sinh hoạt: {meeting.get_quality_display()} "
            f"({meeting.quality_score} điểm)."
        )
    if meeting.minutes_approved_at:
        body.append(
            "Biên bản đã được đọc lại và được hội nghị thông qua trước khi kết thúc cuộc họp."
        )
    for correction in meeting.corrections.all():
        body.append(
            f"Đính chính ngày {correction.created_at:%d/%m/%Y}: {correction.text} (lý do: "
            f"{correction.reason})."
        )
    return PartyDocument(
        issuer=committee_of(org),
        above=_above(org),
        number="",
        day=meeting.on,
        title="BIÊN BẢN",
        about=f"{meeting.get_kind_display().lower()} ngày {meeting.on:%d/%m/%Y}",
        body=[line for line in body if line],
        recipients=["Lưu sổ biên bản của chi bộ."],
        signed_for="Chủ trì",
        signer_role=meeting.chair.full_name if meeting.chair else "",
        annulled="ĐÃ HỦY (GHI NHẦM)" if meeting.annulled_at else "",
    )


def _vote_line(resolution: Resolution) -> str:
    outcome = "được thông qua" if resolution.passed else "không được thông qua"
    return (
        f"Nghị quyết «{resolution.title}»: {resolution.votes_for}/"
        f"{resolution.members_entitled} đồng chí tán thành, {resolution.votes_against} không "
        f"tán thành, {resolution.votes_abstain} không biểu quyết: {outcome}."
    )


def resolution_document(resolution: Resolution) -> PartyDocument:
    meeting = resolution.meeting
    org = meeting.organization
    signed, role = signed_for(org)
    return PartyDocument(
        issuer=committee_of(org),
        above=_above(org),
        number=resolution.number or "…………",
        day=meeting.on,
        title="NGHỊ QUYẾT",
        about=resolution.title,
        body=[
            *[line for line in resolution.content.splitlines() if line.strip()],
            _vote_line(resolution),
        ],
        recipients=["Đảng viên trong chi bộ", "Lưu sổ nghị quyết."],
        signed_for=signed,
        signer_role=role,
        annulled="ĐÃ HỦY (GHI NHẦM)" if resolution.annulled_at or meeting.annulled_at else "",
    )
