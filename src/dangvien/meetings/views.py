"""The meeting pages of a branch secretary or an officer: an organisation's meetings, a meeting
prepared, published, its roll called on a phone, its minutes written and approved, its
documents, resolutions and the tasks given there; confirmation pages for the final actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dangvien.core import versions
from dangvien.core.audit import record_read
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.documents import to_pdf
from dangvien.core.errors import DomainError
from dangvien.core.forms import ReasonForm, attempt
from dangvien.core.queryparams import parse_year
from dangvien.core.roles import Capability
from dangvien.core.scope import can
from dangvien.meetings import roll as rolls
from dangvien.meetings import selectors, services, tasks
from dangvien.meetings.documents import minutes_document, resolution_document
from dangvien.meetings.forms import (
    ApproveForm,
    CorrectionForm,
    DocumentForm,
    MeetingForm,
    MinutesForm,
    ResolutionForm,
    TaskForm,
    meeting_initial,
)
from dangvien.meetings.models import Body, MeetingDocument, Presence, Resolution
from dangvien.members.selectors import own_record
from dangvien.organizations.selectors import get_org, scope_roots
from dangvien.reports.membership import members_on


@login_required
@require_safe
def index(request):
    """The meetings of the top of the user's scope; a member's own page for a member."""
    org = scope_roots(request.user).order_by("sort_key").first()
    if org is None:
        if own_record(request.user) is not None:
            return redirect("meetings:my")
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return redirect("meetings:org", code=org.code)


def year_asked(request) -> tuple[int, str]:
    """The year of `?year=` (this year when absent), and why a year typed was not taken."""
    this_year = timezone.localdate().year
    try:
        return parse_year(request.GET.get("year")) or this_year, ""
    except DomainError as exc:
        return this_year, exc.message


@login_required
@require_safe
def org_meetings(request, code):
    org = get_org(request.user, code)
    year, error = year_asked(request)
    context = {
        "org": org,
        "year": year,
        "error": error,
        "meetings": list(selectors.meetings_of(request.user, org, year)[:200]),
        "can_manage": can(request.user, Capability.MANAGE_MEMBERS, org.path),
        "today": timezone.localdate(),
    }
    return render(request, "meetings/org_meetings.html", context)


@login_required
@require_safe
def resolutions(request, code):
    """The resolution book (sổ nghị quyết) of an organisation's subtree for a year."""
    org = get_org(request.user, code)
    year, error = year_asked(request)
    context = {
        "org": org,
        "year": year,
        "error": error,
        "resolutions": list(selectors.resolutions_of(request.user, org, year)[:500]),
    }
    return render(request, "meetings/resolutions.html", context)


def _members_choice(org, day=None):
    return members_on(org, day or timezone.localdate(), from_placements=True).order_by("sort_key")


@login_required
@require_http_methods(["GET", "POST"])
def new(request, code):
    org = get_org(request.user, code, Capability.MANAGE_MEMBERS)
    form = MeetingForm(request.POST or None, members=_members_choice(org))
    if request.method == "POST" and form.is_valid():
        meeting = attempt(form, lambda: services.prepare_meeting(request.user, org, form.plan()))
        if meeting is not None:
            messages.success(request, "Đã chuẩn bị cuộc họp. Thông báo để đảng viên cùng xem.")
            return redirect("meetings:detail", pk=meeting.pk)
    context = {"org": org, "form": form, "title": f"Chuẩn bị cuộc họp: {org.name}"}
    return render(request, "meetings/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    meeting = selectors.get_meeting(request.user, pk, Capability.MANAGE_MEMBERS)
    org = meeting.organization
    form = MeetingForm(
        request.POST or None, initial=meeting_initial(meeting), members=_members_choice(org)
    )
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: services.update_meeting(
                request.user, meeting, form.plan(), expected_version=form.cleaned_data["version"]
            ),
        )
        if done is not None:
            messages.success(request, "Đã lưu thông tin cuộc họp.")
            return redirect("meetings:detail", pk=meeting.pk)
    context = {"org": org, "form": form, "meeting": meeting, "title": f"Sửa cuộc họp: {meeting}"}
    return render(request, "meetings/form.html", context, status=400 if form.errors else 200)


def _detail(request, meeting, *, document_form=None, resolution_form=None, task_form=None):
    can_manage = can(request.user, Capability.MANAGE_MEMBERS, meeting.org_path)
    rows = rolls.roll(meeting)
    org = meeting.organization
    context = {
        "meeting": meeting,
        "org": org,
        "rows": rows,
        "figures": rolls.figures(meeting, rows),
        "documents": list(meeting.documents.filter(removed_at__isnull=True)),
        "removed_documents": list(meeting.documents.filter(removed_at__isnull=False)),
        "resolutions": list(meeting.resolutions.all()),
        "tasks": list(meeting.tasks.select_related("member")),
        "corrections": list(meeting.corrections.all()),
        "can_manage": can_manage,
        "approval_refusal": services.approval_refusal(meeting),
        "document_form": document_form or DocumentForm(),
        "resolution_form": resolution_form or ResolutionForm(),
        "task_form": task_form or TaskForm(members=_members_choice(org)),
        "today": timezone.localdate(),
    }
    refused = any(f is not None and f.errors for f in (document_form, resolution_form, task_form))
    return render(request, "meetings/detail.html", context, status=400 if refused else 200)


@login_required
@require_safe
def detail(request, pk):
    return _detail(request, selectors.get_meeting(request.user, pk))


@login_required
@require_POST
def publish(request, pk):
    meeting = selectors.get_meeting(request.user, pk, Capability.MANAGE_MEMBERS)
    try:
        services.publish(request.user, meeting)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã thông báo cuộc họp: đảng viên xem được lịch, tài liệu.")
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    """The roll call, made for a phone: one row a member, three buttons, one save; a member's
    excuse sent ahead is shown with its reason."""
    meeting = selectors.get_meeting(request.user, pk, Capability.MANAGE_MEMBERS)
    rows = rolls.roll(meeting)
    error = ""
    if request.method == "POST":
        marks = {}
        for row in rows:
            pk = row.member.pk
            status = request.POST.get(f"status-{pk}", "")
            reason = request.POST.get(f"reason-{pk}", "").strip()
            shown = request.POST.get(f"shown-{pk}", "")
            shown_reason = request.POST.get(f"shown-reason-{pk}", "")
            if status and (status != shown or reason != shown_reason):
                marks[pk] = (status, reason, shown)
        conflicts: list[str] = []
        try:
            changed = rolls.take_attendance(
                request.user,
                meeting,
                marks,
                correction_reason=request.POST.get("correction_reason", ""),
                conflict_names=conflicts,
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"Đã lưu điểm danh ({changed} đảng viên thay đổi).")
            if conflicts:
                messages.warning(
                    request,
                    "Trong lúc bạn điểm danh, người khác đã điểm danh "
                    + ", ".join(conflicts)
                    + ": giữ như người đó đã ghi; trang hiện điểm danh mới nhất, hãy xem lại.",
                )
            return redirect("meetings:attendance", pk=meeting.pk)
    meeting.refresh_from_db()
    rows = rolls.roll(meeting) if not error else rows
    if error:  # refused as a whole (a reason missing): the page keeps what was tapped
        for row in rows:
            row.posted = (
                request.POST.get(f"status-{row.member.pk}", ""),
                request.POST.get(f"reason-{row.member.pk}", ""),
            )
    context = {
        "meeting": meeting,
        "rows": rows,
        "figures": rolls.figures(meeting, rows),
        "choices": [
            (Presence.PRESENT, "Có mặt"),
            (Presence.EXCUSED, "Vắng có lý do"),
            (Presence.UNEXCUSED, "Vắng không lý do"),
        ],
        "error": error,
        "committee": meeting.body == Body.COMMITTEE,
    }
    return render(request, "meetings/attendance.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def minutes(request, pk):
    meeting = selectors.get_meeting(request.user, pk, Capability.MANAGE_MEMBERS)
    form = MinutesForm(
        request.POST or None,
        initial={
            "version": versions.token(meeting),
            "text": meeting.minutes,
            "ideology": meeting.ideology,
            "quality_score": meeting.quality_score,
        },
    )
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: services.save_minutes(
                request.user,
                meeting,
                form.minutes(),
                expected_version=form.cleaned_data["version"],
            ),
        )
        if done is not None:
            messages.success(request, "Đã lưu biên bản (chưa thông qua).")
            return redirect("meetings:detail", pk=meeting.pk)
    context = {"meeting": meeting, "form": form}
    return render(request, "meetings/minutes.html", context, status=400 if form.errors else 200)


def _final(meeting, title: str, button: str, refused: str, form_id: str) -> FinalAction:
    back = reverse("meetings:detail", args=[meeting.pk])
    return FinalAction(
        title=f"{title}: {meeting}",
        back_url=back,
        button=button,
        refused=refused,
        breadcrumb=[(reverse("meetings:org", args=[meeting.organization.code]), "Cuộc họp")],
        form_id=form_id,
    )


def _roll_line(f: rolls.RollFigures) -> str:
    return (
        f"Điểm danh: {f.expected} đảng viên phải dự, {f.present} có mặt, {f.excused} vắng có lý "
        f"do, {f.unexcused} vắng không lý do, {f.unmarked} chưa điểm danh."
    )


@login_required
@require_http_methods(["GET", "POST"])
def approve(request, pk):
    meeting = selectors.get_meeting(request.user, pk, Capability.MANAGE_MEMBERS)
    form = ApproveForm(request.POST or None, initial={"version": versions.token(meeting)})
    return confirm_final_action(
        request,
        _final(meeting, "Thông qua biên bản", "Thông qua biên bản", "Chưa thông qua", "approve"),
        form,
        perform=lambda data: services.approve_minutes(
            request.user, meeting, expected_version=data["version"]
        ),
        done="Đã thông qua biên bản; cuộc họp kết thúc.",
        consequences=lambda: [
            "Biên bản đã được đọc lại trước cuộc họp và được thông qua: từ nay biên bản giữ "
            "nguyên, mọi sửa đổi là một đính chính có lý do, ghi lại người và thời điểm.",
            _roll_line(rolls.figures(meeting)),
            services.approval_refusal(meeting) or "Điểm danh đã đủ, biên bản đã có nội dung.",
            f"Biên bản được thông qua: «{meeting.minutes}»" if meeting.minutes else "",
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct(request, pk):
    meeting = selectors.get_meeting(request.user, pk, Capability.MANAGE_MEMBERS)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.correct_minutes(request.user, meeting, data["text"], data["reason"]),
        )
        if done is not None:
            messages.success(request, "Đã ghi đính chính biên bản.")
            return redirect("meetings:detail", pk=meeting.pk)
    context = {"meeting": meeting, "form": form}
    return render(request, "meetings/correct.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    meeting = selectors.get_meeting(request.user, pk, Capability.MANAGE_MEMBERS)
    return confirm_final_action(
        request,
        _final(meeting, "Hoãn cuộc họp", "Hoãn cuộc họp", "Chưa hoãn", "cancel"),
        ReasonForm(request.POST or None),
        perform=lambda data: services.cancel_meeting(request.user, meeting, data["reason"]),
        done="Đã hoãn cuộc họp.",
        consequences=lambda: [
            "Cuộc họp không diễn ra: được giữ lại với lý do, người hoãn và thời điểm; đảng viên "
            "thấy cuộc họp đã hoãn.",
            "Tháng này chi bộ vẫn phải có một buổi sinh hoạt định kỳ (Điều lệ Đảng, Điều 24): "
            "chuẩn bị cuộc họp khác.",
        ],
        reason_required=lambda: True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def annul(request, pk):
    meeting = selectors.get_meeting(request.user, pk, Capability.MANAGE_MEMBERS)
    return confirm_final_action(
        request,
        _final(meeting, "Hủy cuộc họp ghi nhầm", "Hủy cuộc họp", "Chưa hủy", "annul"),
        ReasonForm(request.POST or None),
        perform=lambda data: services.annul_meeting(request.user, meeting, data["reason"]),
        done="Đã hủy cuộc họp ghi nhầm.",
        consequences=lambda: [
            "Cuộc họp, điểm danh, biên bản, nghị quyết của nó không còn được tính ở đâu (tình "
            "hình sinh hoạt, tỷ lệ dự họp, cảnh báo vắng sinh hoạt); tất cả vẫn được giữ lại "
            "cùng lý do hủy, người hủy và thời điểm.",
        ],
        reason_required=lambda: True,
    )


@login_required
@require_POST
def upload_document(request, pk):
    meeting = selectors.get_meeting(request.user, pk, Capability.MANAGE_MEMBERS)
    form = DocumentForm(
        request.POST, request.FILES, too_large=getattr(request, "upload_too_large", False)
    )
    if form.is_valid():
        upload = form.cleaned_data["file"]
        done = attempt(
            form,
            lambda: services.attach_document(request.user, meeting, upload.name, upload.read()),
        )
        if done is not None:
            messages.success(request, f"Đã tải lên tài liệu «{done.name}».")
            return redirect("meetings:detail", pk=meeting.pk)
    return _detail(request, meeting, document_form=form)


@login_required
@require_safe
def document(request, pk):
    """A document, to whoever may see its meeting (its scope, or a member of the organisation
    once the meeting is published), always as a download: never shown as a page of the app."""
    document = selectors.readable_document(request.user, own_record(request.user), pk)
    record_read(
        request.user,
        "meeting.document_read",
        org_path=document.meeting.org_path,
        target=document.meeting,
        label=document.name,
    )
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.name)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def remove_document(request, pk):
    document = MeetingDocument.objects.select_related("meeting__organization").filter(pk=pk)
    document = document.first()
    if document is None:
        raise Http404("Không tìm thấy tài liệu.")
    meeting = selectors.get_meeting(request.user, document.meeting_id, Capability.MANAGE_MEMBERS)
    return confirm_final_action(
        request,
        _final(meeting, f"Gỡ tài liệu «{document.name}»", "Gỡ tài liệu", "Chưa gỡ", "remove"),
        ReasonForm(request.POST or None),
        perform=lambda data: services.remove_document(request.user, document, data["reason"]),
        done="Đã gỡ tài liệu.",
        consequences=lambda: [
            "Đảng viên không còn tải được tài liệu này; tài liệu vẫn được lưu cùng lý do gỡ."
        ],
        reason_required=lambda: True,
    )


@login_required
@require_POST
def new_resolution(request, pk):
    meeting = selectors.get_meeting(request.user, pk, Capability.MANAGE_MEMBERS)
    form = ResolutionForm(request.POST)
    if form.is_valid():
        done = attempt(form, lambda: services.record_resolution(request.user, meeting, form.vote()))
        if done is not None:
            outcome = "được thông qua" if done.passed else "không được thông qua"
            messages.success(request, f"Đã ghi nghị quyết: {outcome}.")
            return redirect("meetings:detail", pk=meeting.pk)
    return _detail(request, meeting, resolution_form=form)


def _resolution(request, pk, capability=Capability.VIEW) -> Resolution:
    resolution = Resolution.objects.filter(pk=pk).first()
    if resolution is None:
        raise Http404("Không tìm thấy nghị quyết.")
    resolution.meeting = selectors.get_meeting(request.user, resolution.meeting_id, capability)
    return resolution


@login_required
@require_http_methods(["GET", "POST"])
def annul_resolution(request, pk):
    resolution = _resolution(request, pk, Capability.MANAGE_MEMBERS)
    meeting = resolution.meeting
    return confirm_final_action(
        request,
        _final(
            meeting,
            f"Hủy nghị quyết «{resolution.title}»",
            "Hủy nghị quyết",
            "Chưa hủy",
            "annul-resolution",
        ),
        ReasonForm(request.POST or None),
        perform=lambda data: services.annul_resolution(request.user, resolution, data["reason"]),
        done="Đã hủy nghị quyết ghi nhầm.",
        consequences=lambda: ["Nghị quyết ra khỏi sổ nghị quyết; được giữ cùng lý do hủy."],
        reason_required=lambda: True,
    )


@login_required
@require_safe
def resolution_pdf(request, pk):
    resolution = _resolution(request, pk)
    record_read(
        request.user,
        "meeting.minutes_print",
        org_path=resolution.meeting.org_path,
        target=resolution.meeting,
        label=str(resolution),
    )
    response = HttpResponse(to_pdf(resolution_document(resolution)), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"nghi-quyet-{resolution.pk}.pdf"
    )
    return response


@login_required
@require_safe
def minutes_pdf(request, pk):
    meeting = selectors.get_meeting(request.user, pk)
    if meeting.held_at is None:
        raise Http404("Cuộc họp chưa diễn ra: chưa có biên bản.")
    record_read(request.user, "meeting.minutes_print", org_path=meeting.org_path, target=meeting)
    response = HttpResponse(to_pdf(minutes_document(meeting)), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"bien-ban-{meeting.on:%Y-%m-%d}.pdf"
    )
    return response


@login_required
@require_POST
def new_task(request, pk):
    """A task given at the meeting."""
    meeting = selectors.get_meeting(request.user, pk, Capability.MANAGE_MEMBERS)
    org = meeting.organization
    form = TaskForm(request.POST, members=_members_choice(org))
    if form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: tasks.assign_task(
                request.user,
                org,
                data["member"],
                data["title"],
                data["due_on"],
                detail=data["detail"],
                meeting=meeting,
            ),
        )
        if done is not None:
            messages.success(request, f"Đã giao nhiệm vụ cho {data['member'].full_name}.")
            return redirect("meetings:detail", pk=meeting.pk)
    return _detail(request, meeting, task_form=form)
