"""The demo's branch life, so the pages are filled: last year's and this year's monthly and
quarterly thematic meetings of the secretary's branch (SH.HB.01.01), called, minuted and
approved, and the member's branch's (SH.HB.02) last three months, with tasks; a branch of the
same school (SH.HB.01.02) that met only three months of last year, a member absent without a
reason at each (the compliance page's list and the Điều lệ Đảng Điều 8 flag); and next month's
meeting of the member's branch, published with its plan as a PDF."""

import datetime

from dangvien.accounts.models import User
from dangvien.core.documents import PartyDocument, to_pdf
from dangvien.meetings import roll, services, tasks
from dangvien.meetings.models import Body, Kind, Presence
from dangvien.members.models import Member
from dangvien.organizations.models import Organization
from dangvien.reports.membership import members_on


def _month(today: datetime.date, back: int, day: int) -> datetime.date:
    month = today.month - back
    year = today.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, day)


def _hold(actor, org, on, kind, topic, *, absent=None, approve=True):
    meeting = services.prepare_meeting(
        actor,
        org,
        services.MeetingPlan(
            body=Body.MEMBERS,
            kind=kind,
            on=on,
            topic=topic,
            agenda="Điểm danh\nBáo cáo tình hình tháng\nThảo luận\nPhân công nhiệm vụ\n"
            "Biểu quyết nghị quyết\nChấm điểm buổi sinh hoạt\nThông qua biên bản",
            place="Phòng họp",
            starts_at=datetime.time(14, 0),
        ),
    )
    services.publish(actor, meeting)
    rows = [row for row in roll.roll(meeting) if not row.default]
    if not rows:
        return meeting
    marks = {row.member.pk: (Presence.PRESENT, "") for row in rows}
    if len(rows) > 3:
        marks[rows[-1].member.pk] = (Presence.EXCUSED, "Đi công tác")
    for member in absent or []:
        if member.pk in marks:
            marks[member.pk] = (Presence.UNEXCUSED, "")
    roll.take_attendance(actor, meeting, marks)
    services.save_minutes(
        actor,
        meeting,
        services.Minutes(
            f"Đồng chí bí thư báo cáo kết quả tháng {on:%m/%Y} và triển khai nhiệm vụ tháng "
            "sau.\nChi bộ thảo luận, thống nhất.",
            "Đảng viên yên tâm công tác, chấp hành tốt chủ trương của Đảng.",
            88 if kind == Kind.THEMATIC else 80,
        ),
    )
    if approve:
        services.approve_minutes(actor, meeting)
    return meeting


def _plan_pdf(org, on) -> bytes:
    return to_pdf(
        PartyDocument(
            issuer=org.name,
            above="",
            number="",
            day=on,
            title="THÔNG BÁO",
            about=f"nội dung sinh hoạt chi bộ tháng {on:%m/%Y}",
            body=[
                "Kiểm điểm việc thực hiện nghị quyết tháng trước.",
                "Học tập chuyên đề năm theo hướng dẫn của cấp trên.",
            ],
            recipients=["Đảng viên trong chi bộ."],
            signed_for="T/M Chi bộ",
            signer_role="Bí thư",
        )
    )


def load(today: datetime.date) -> None:
    secretary = User.objects.filter(username="bithu").first()
    officer = User.objects.filter(username="hoabinh").first()
    orgs = {
        o.code: o
        for o in Organization.unscoped.filter(code__in=["SH.HB.01.01", "SH.HB.01.02", "SH.HB.02"])
    }
    if secretary is None or officer is None or len(orgs) < 3:
        return
    own, sibling, base = orgs["SH.HB.01.01"], orgs["SH.HB.01.02"], orgs["SH.HB.02"]
    # The secretary's branch: every month from the start of last year to the last one (last
    # year complete, a thematic meeting each quarter); the member's branch: the last three.
    for back in range(today.month + 11, 0, -1):
        on = _month(today, back, 10)
        _hold(secretary, own, on, Kind.REGULAR, f"Sinh hoạt định kỳ tháng {on:%m/%Y}")
        if back <= 3:
            _hold(officer, base, on, Kind.REGULAR, f"Sinh hoạt định kỳ tháng {on:%m/%Y}")
        if on.month % 3 == 2:
            thematic = on + datetime.timedelta(days=10)
            topic = "Chuyên đề: học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
            _hold(secretary, own, thematic, Kind.THEMATIC, topic)
    # The sibling branch: a quarter's meetings of last year only, one member absent without a
    # reason at each (three months: the Điều lệ Đảng Điều 8 flag).
    last_year = today.year - 1
    first = datetime.date(last_year, 3, 12)
    absent = list(
        members_on(sibling, first, from_placements=True)
        .filter(exempt_since__isnull=True)
        .order_by("-sort_key")[:1]
    )
    for month in (3, 4, 5):
        on = datetime.date(last_year, month, 12)
        _hold(officer, sibling, on, Kind.REGULAR, f"Sinh hoạt tháng {month:02d}", absent=absent)

    # Next month's meeting of the member's branch, published with its plan.
    upcoming = services.prepare_meeting(
        officer,
        base,
        services.MeetingPlan(
            body=Body.MEMBERS,
            kind=Kind.REGULAR,
            on=_month(today, -1, 10),
            topic=f"Sinh hoạt định kỳ tháng {_month(today, -1, 10):%m/%Y}",
            agenda="Điểm danh\nBáo cáo tháng\nQuán triệt văn bản cấp trên\nPhân công nhiệm vụ",
            place="Nhà văn hóa khu phố",
            starts_at=datetime.time(19, 30),
        ),
    )
    services.attach_document(officer, upcoming, "thong-bao-noi-dung.pdf", _plan_pdf(base, today))
    services.publish(officer, upcoming)
    held = base.meetings.filter(held_at__isnull=False).order_by("-on").first()
    rows = [row.member for row in roll.roll(held) if not row.default] if held else []
    own_record = Member.unscoped.filter(user__username="dangvien").first()
    chosen = [m for m in rows if m == own_record] + [m for m in rows if m != own_record][:1]
    for member in chosen:
        tasks.assign_task(
            officer,
            base,
            member,
            "Vận động nhân dân tham gia vệ sinh môi trường khu phố",
            today + datetime.timedelta(days=25),
            detail="Báo cáo kết quả tại buổi sinh hoạt tháng sau.",
            meeting=held,
        )
