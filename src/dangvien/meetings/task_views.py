"""The tasks a branch gives its members: the branch's list (give one, check the reports) and
one task's check; the member's side is on their own page (my_views)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dangvien.core import versions
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.forms import ReasonForm, attempt
from dangvien.core.roles import Capability
from dangvien.core.scope import can
from dangvien.meetings import selectors, tasks
from dangvien.meetings.forms import TaskCheckForm, TaskForm
from dangvien.meetings.models import TaskStatus
from dangvien.organizations.selectors import get_org
from dangvien.reports.membership import members_on


@login_required
@require_http_methods(["GET", "POST"])
def org_tasks(request, code):
    org = get_org(request.user, code)
    can_manage = can(request.user, Capability.MANAGE_MEMBERS, org.path) and org.is_branch
    members = members_on(org, timezone.localdate(), from_placements=True).order_by("sort_key")
    form = TaskForm(request.POST or None, members=members) if can_manage else None
    if request.method == "POST":
        get_org(request.user, code, Capability.MANAGE_MEMBERS)
        if form is not None and form.is_valid():
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
                ),
            )
            if done is not None:
                messages.success(request, f"Đã giao nhiệm vụ cho {data['member'].full_name}.")
                return redirect("meetings:tasks", code=org.code)
    status = request.GET.get("status", "")
    listed = selectors.tasks_in(request.user, org)
    if status in TaskStatus.values:
        listed = listed.filter(status=status)
    context = {
        "org": org,
        "form": form,
        "page": Paginator(listed, 50).get_page(request.GET.get("page")),
        "statuses": TaskStatus.choices,
        "status": status,
        "today": timezone.localdate(),
    }
    status_code = 400 if form is not None and form.errors else 200
    return render(request, "meetings/tasks.html", context, status=status_code)


@login_required
@require_http_methods(["GET", "POST"])
def task(request, pk):
    """One task: what was asked, the member's report, the branch's check."""
    found = selectors.get_task(request.user, pk)
    can_manage = can(request.user, Capability.MANAGE_MEMBERS, found.org_path)
    form = TaskCheckForm(
        request.POST or None,
        initial={"version": versions.token(found), "note": found.check_note},
    )
    if request.method == "POST":
        found = selectors.get_task(request.user, pk, Capability.MANAGE_MEMBERS)
        if form.is_valid():
            data = form.cleaned_data
            done = attempt(
                form,
                lambda: tasks.check_task(
                    request.user,
                    found,
                    data["result"],
                    data["note"],
                    reason=data["reason"],
                    expected_version=data["version"],
                ),
            )
            if done is not None:
                messages.success(request, "Đã ghi kết quả kiểm tra nhiệm vụ.")
                return redirect("meetings:task", pk=found.pk)
    context = {"task": found, "form": form if can_manage else None}
    return render(request, "meetings/task.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_task(request, pk):
    found = selectors.get_task(request.user, pk, Capability.MANAGE_MEMBERS)
    back = reverse("meetings:task", args=[found.pk])
    return confirm_final_action(
        request,
        FinalAction(
            title=f"Hủy nhiệm vụ: {found.title}",
            back_url=back,
            button="Hủy nhiệm vụ",
            refused="Chưa hủy",
            breadcrumb=[(reverse("meetings:tasks", args=[found.organization.code]), "Nhiệm vụ")],
            form_id="cancel-task",
        ),
        ReasonForm(request.POST or None),
        perform=lambda data: tasks.cancel_task(request.user, found, data["reason"]),
        done="Đã hủy nhiệm vụ.",
        consequences=lambda: [
            f"{found.member.full_name} không còn phải thực hiện nhiệm vụ này; nhiệm vụ được giữ "
            "lại với lý do hủy và không tính vào kết quả thực hiện nhiệm vụ của đảng viên."
        ],
        reason_required=lambda: True,
    )
