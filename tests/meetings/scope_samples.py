"""Inside/outside samples for the branch-life URLs (used by tests/test_scope_walk.py): a held
and published meeting of the member's branch with a document, a resolution and a task, and the
same outside the walk's scope."""

import datetime

from django.utils import timezone

from dangvien.meetings.models import (
    Body,
    Kind,
    Meeting,
    MeetingDocument,
    Resolution,
    Task,
)

DAY = datetime.date(2024, 5, 2)


def _tiny_pdf() -> bytes:
    """A valid one-page PDF without text (pdftotext reads it as empty)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return out


PDF = _tiny_pdf()


def _meeting(org, member):
    meeting = Meeting.unscoped.create(
        organization=org,
        org_path=org.path,
        body=Body.MEMBERS,
        kind=Kind.REGULAR,
        on=DAY,
        topic="Thử",
        minutes="Biên bản thử",
        published_at=timezone.now(),
        held_at=timezone.now(),
    )
    document = MeetingDocument.objects.create(
        meeting=meeting,
        name="thu.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        content=PDF,
    )
    resolution = Resolution.objects.create(
        meeting=meeting,
        title="Thử",
        content="Thử",
        members_entitled=1,
        votes_for=1,
        passed=True,
    )
    task = Task.unscoped.create(
        organization=org,
        org_path=org.path,
        member=member,
        title="Thử",
        assigned_on=DAY,
        due_on=DAY,
    )
    return meeting, document, resolution, task


def scope_samples(world) -> dict:
    inside = _meeting(world.branch, world.member)
    outside = _meeting(world.outside_branch, world.outside_member)

    def pair(index: int) -> dict:
        return {"pk": (inside[index].pk, outside[index].pk)}

    meeting_routes = [
        "detail",
        "edit",
        "publish",
        "attendance",
        "minutes",
        "minutes-pdf",
        "approve",
        "correct",
        "cancel",
        "annul",
        "document-upload",
        "resolution-new",
        "task-new",
        "my-meeting",
    ]
    samples = {f"meetings:{name}": pair(0) for name in meeting_routes}
    samples |= {f"meetings:{name}": pair(1) for name in ("document", "document-remove")}
    samples |= {f"meetings:{name}": pair(2) for name in ("resolution-pdf", "resolution-annul")}
    samples |= {f"meetings:{name}": pair(3) for name in ("task", "task-cancel", "my-task")}
    return samples


def post_samples(world, outside: bool) -> dict:
    member = world.outside_member if outside else world.member
    return {
        "meetings:new": {
            "body": "dang_vien",
            "kind": "dinh_ky",
            "on": "02/05/2024",
            "topic": "Thử",
        },
        "meetings:edit": {"body": "dang_vien", "kind": "dinh_ky", "on": "02/05/2024", "topic": "X"},
        "meetings:attendance": {f"status-{member.pk}": "co_mat", f"shown-{member.pk}": ""},
        "meetings:minutes": {"text": "Đã đổi"},
        "meetings:correct": {"text": "Thử", "reason": "Thử"},
        "meetings:cancel": {"reason": "Thử"},
        "meetings:annul": {"reason": "Thử"},
        "meetings:approve": {"reason": ""},
        "meetings:document-remove": {"reason": "Thử"},
        "meetings:resolution-new": {"title": "Thử", "content": "Thử", "votes_for": "0"},
        "meetings:resolution-annul": {"reason": "Thử"},
        "meetings:task-new": {"member": str(member.pk), "title": "Thử", "due_on": "02/05/2030"},
        "meetings:tasks": {"member": str(member.pk), "title": "Thử", "due_on": "02/05/2030"},
        "meetings:task": {"result": "hoan_thanh", "note": "Thử"},
        "meetings:task-cancel": {"reason": "Thử"},
    }
