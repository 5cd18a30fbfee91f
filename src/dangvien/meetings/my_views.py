"""The member's own branch life, made for a phone: the meetings of their branch (upcoming
first) with their documents, an excuse sent ahead, their own attendance of the year, and their
tasks with a report on each."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.core import versions
from dangvien.core.forms import attempt
from dangvien.core.rules import RuleBook
from dangvien.meetings import roll as rolls
from dangvien.meetings import selectors, tasks
from dangvien.meetings.compliance import member_absence_months, member_attendance
from dangvien.meetings.forms import ExcuseForm, TaskReportForm
from dangvien.meetings.models import Attendance, Task
from dangvien.members.selectors import own_record


def _member(request):
    member = own_record(request.user)
    if member is None:
        raise Http404("Tài khoản của bạn chưa gắn với hồ sơ đảng viên nào.")
    return member


@login_required
@require_safe
def my(request):
    member = _member(request)
    today = timezone.localdate()
    meetings = selectors.member_meetings(member)
    attended = {
        a.meeting_id: a
        for a in Attendance.objects.filter(
            member=member, on__year=today.year, meeting__annulled_at__isnull=True
        ).select_related("meeting")
    }
    context = {
        "member": member,
        "today": today,
        "upcoming": list(
            meetings.filter(
                on__gte=today, cancelled_at__isnull=True, minutes_approved_at__isnull=True
            ).order_by("on")
        ),
        "past": list(
            meetings.filter(
                Q(on__lt=today)
                | Q(minutes_approved_at__isnull=False)
                | Q(cancelled_at__isnull=False)
            )[:24]
        ),
        "attendance": sorted(attended.values(), key=lambda a: a.on, reverse=True),
        "absent_months": member_absence_months(member, today.year),
        "flag_months": RuleBook.load().value("meeting_absence_months_flag", today),
        "rate": member_attendance(member, today.year),
        "tasks": list(tasks.tasks_of(member)[:50]),
        "year": today.year,
    }
    return render(request, "meetings/my.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def my_meeting(request, pk):
    member = _member(request)
    meeting = selectors.get_member_meeting(member, pk)
    form = ExcuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: rolls.send_excuse(request.user, member, meeting, form.cleaned_data["reason"]),
        )
        if done is not None:
            messages.success(request, "Đã gửi xin vắng tới chi bộ.")
            return redirect("meetings:my-meeting", pk=meeting.pk)
    mine = Attendance.objects.filter(meeting=meeting, member=member).first()
    context = {
        "meeting": meeting,
        "member": member,
        "form": form,
        "mine": mine,
        "documents": list(meeting.documents.filter(removed_at__isnull=True)),
        "may_excuse": meeting.is_live
        and not meeting.is_closed
        and (mine is None or mine.by_member),
    }
    return render(request, "meetings/my_meeting.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def my_task(request, pk):
    member = _member(request)
    found = Task.unscoped.filter(pk=pk, member=member).select_related("organization").first()
    if found is None:
        raise Http404("Không tìm thấy nhiệm vụ của bạn.")
    form = TaskReportForm(
        request.POST or None, initial={"version": versions.token(found), "report": found.report}
    )
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: tasks.report_task(
                request.user,
                member,
                found,
                form.cleaned_data["report"],
                expected_version=form.cleaned_data["version"],
            ),
        )
        if done is not None:
            messages.success(request, "Đã gửi báo cáo kết quả nhiệm vụ.")
            return redirect("meetings:my")
    context = {"task": found, "form": form}
    return render(request, "meetings/my_task.html", context, status=400 if form.errors else 200)
