"""The training pages: the courses of a subtree, a course with its learners and the results
screen (one form for the whole class), the course forms, and the recognition exception."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dangvien.core import versions
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.forms import attempt
from dangvien.core.queryparams import query_int
from dangvien.core.roles import Capability
from dangvien.core.scope import can
from dangvien.members.selectors import get_member, visible_members
from dangvien.organizations.selectors import get_org, scope_roots
from dangvien.training import selectors, services
from dangvien.training.forms import (
    AnnulForm,
    CorrectionReasonForm,
    CourseCorrectionForm,
    CourseForm,
    ExceptionForm,
    ParticipantForm,
    ResultRowForm,
    course_initial,
    result_initial,
)
from dangvien.training.models import CourseKind


@login_required
@require_safe
def index(request):
    org = scope_roots(request.user).order_by("sort_key").first()
    if org is None:
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return redirect("training:org", code=org.code)


@login_required
@require_safe
def org_courses(request, code):
    org = get_org(request.user, code)
    year = query_int(request.GET, "year", label="Năm", low=1930, high=2100)
    context = {
        "org": org,
        "year": year,
        "courses": selectors.courses_of(request.user, org, year=year)[:500],
        "can_manage": can(request.user, Capability.MANAGE_ORGS, org.path),
    }
    return render(request, "training/org.html", context)


def _form_page(request, org, form, title, back, note=""):
    context = {"org": org, "form": form, "title": title, "back": back, "note": note}
    return render(request, "training/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def course_new(request, code):
    org = get_org(request.user, code, Capability.MANAGE_ORGS)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = attempt(form, lambda: services.create_course(request.user, org, form.plan()))
        if course is not None:
            messages.success(request, f"Đã mở khóa «{course.name}».")
            return redirect("training:course", pk=course.pk)
    back = reverse("training:org", args=[org.code])
    return _form_page(request, org, form, f"Mở khóa bồi dưỡng: {org.name}", back)


@login_required
@require_http_methods(["GET", "POST"])
def course_correct(request, pk):
    course = selectors.get_course(request.user, pk, Capability.MANAGE_ORGS)
    form = CourseCorrectionForm(request.POST or None, initial=course_initial(course))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.correct_course(
                request.user,
                course,
                form.plan(),
                reason=data["reason"],
                expected_version=data["version"],
            ),
        )
        if done is not None:
            messages.success(request, "Đã sửa thông tin khóa.")
            return redirect("training:course", pk=course.pk)
    back = reverse("training:course", args=[course.pk])
    return _form_page(request, course.organization, form, f"Sửa khóa «{course.name}»", back)


def _rows(user, participants, data=None):
    """(learner, row form) of the results screen; the form is None for a learner the user no
    longer sees (moved out of the scope since the course): listed, not editable. The rows'
    versions are read in one query."""
    outside = selectors.outside_scope(user, participants)
    tokens = versions.tokens_many([row for row in participants if row.pk not in outside])
    return [
        (
            participant,
            None
            if participant.pk in outside
            else ResultRowForm(
                data,
                prefix=f"p{participant.pk}",
                initial=result_initial(participant, tokens[participant.pk]),
            ),
        )
        for participant in participants
    ]


def _course_page(request, course, *, rows=None, add_form=None, reason_form=None, status=200):
    participants, annulled = selectors.participants_of(course)
    can_manage = can(request.user, Capability.MANAGE_ORGS, course.org_path)
    candidates = selectors.open_candidates(course) if can_manage else []
    context = {
        "course": course,
        "org": course.organization,
        "participants": participants,
        "annulled": annulled,
        "can_manage": can_manage,
        "rows": rows if rows is not None else _rows(request.user, participants),
        "add_form": add_form or ParticipantForm(candidates=candidates),
        "reason_form": reason_form or CorrectionReasonForm(),
        "results_open": course.starts_on <= timezone.localdate(),
        "history": selectors.course_history(course),
    }
    return render(request, "training/course.html", context, status=status)


@login_required
@require_safe
def course_page(request, pk):
    return _course_page(request, selectors.get_course(request.user, pk))


@login_required
@require_POST
def participant_new(request, pk):
    course = selectors.get_course(request.user, pk, Capability.MANAGE_ORGS)
    form = ParticipantForm(request.POST, candidates=selectors.open_candidates(course))
    if form.is_valid():
        code = form.cleaned_data["member_code"].strip()
        candidate_pk = form.cleaned_data.get("candidate")
        member = visible_members(request.user).filter(code=code).first() if code else None
        candidate = next(
            (c for c in selectors.open_candidates(course) if c.pk == candidate_pk), None
        )
        if code and member is None:
            form.add_error("member_code", "Không tìm thấy đảng viên có mã này trong phạm vi.")
        else:
            added = attempt(
                form,
                lambda: services.add_participant(
                    request.user, course, member=member, candidate=candidate
                ),
            )
            if added is not None:
                messages.success(request, f"Đã thêm học viên {added.person}.")
                return redirect("training:course", pk=course.pk)
    return _course_page(request, course, add_form=form, status=400)


@login_required
@require_POST
def results(request, pk):
    """Save the whole class's results at once: every row changed, in one transaction; a refusal
    names the learner and nothing is saved."""
    course = selectors.get_course(request.user, pk, Capability.MANAGE_ORGS)
    participants, _annulled = selectors.participants_of(course)
    rows = _rows(request.user, participants, request.POST)
    reason_form = CorrectionReasonForm(request.POST)
    valid = reason_form.is_valid() & all([form.is_valid() for _p, form in rows if form])
    if moved := _moved_away(request.POST, rows):
        messages.error(
            request,
            f"Chưa lưu kết quả: {moved} học viên đã chuyển ra ngoài phạm vi của bạn sau khi bạn "
            "mở trang, kết quả bạn nhập cho họ không ghi được. Xem lại danh sách rồi lưu lại.",
        )
        return _course_page(request, course, reason_form=reason_form, status=400)
    if valid:
        reason = reason_form.cleaned_data["reason"]
        saved = _save_results(request.user, rows, reason)
        if saved is not None:
            messages.success(request, f"Đã lưu kết quả của {saved} học viên.")
            return redirect("training:course", pk=course.pk)
    messages.error(request, "Chưa lưu kết quả: xem lỗi ở các dòng được đánh dấu.")
    return _course_page(request, course, rows=rows, reason_form=reason_form, status=400)


def _moved_away(posted, rows) -> int:
    """How many learners the page showed the user could edit, now outside their scope, were
    given a result other than the one stored (their rows carry no form any more)."""
    return sum(
        1
        for participant, form in rows
        if form is None
        and f"p{participant.pk}-result" in posted
        and posted[f"p{participant.pk}-result"] != participant.result
    )


def _save_results(user, rows, reason: str) -> int | None:
    saved = 0
    current = None
    try:
        with transaction.atomic():
            for participant, form in rows:
                current = (participant, form)
                if form is None or not form.has_changed():
                    continue
                services.record_result(
                    user,
                    participant,
                    form.entry(),
                    reason=reason,
                    expected_version=form.cleaned_data["version"],
                )
                saved += 1
    except ScopeDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        participant, form = current
        versions.on_refusal(form, exc)
        # On the row, whatever the field: the row's fields are not shown before the course starts.
        form.add_error(None, f"{participant.person}: {exc.message}")
        return None
    return saved


@login_required
@require_http_methods(["GET", "POST"])
def participant_annul(request, pk):
    participant = selectors.get_participant(request.user, pk, Capability.MANAGE_ORGS)
    course = participant.course
    form = AnnulForm(request.POST or None, initial={"version": versions.token(participant)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.annul_participant(
                request.user, participant, reason=data["reason"], expected_version=data["version"]
            ),
        )
        if done is not None:
            messages.success(request, f"Đã hủy học viên {participant.person} (ghi nhầm).")
            return redirect("training:course", pk=course.pk)
    back = reverse("training:course", args=[course.pk])
    note = (
        "Học viên được giữ lại, đánh dấu đã hủy cùng lý do; những gì kết quả đã cập nhật vào hồ "
        "sơ (trình độ lý luận chính trị, giấy chứng nhận lớp nhận thức) được sửa ở hồ sơ đó."
    )
    title = f"Hủy học viên {participant.person}: {course.name}"
    return _form_page(request, course.organization, form, title, back, note)


@login_required
@require_http_methods(["GET", "POST"])
def new_member_exception(request, pk):
    """Recognition without the new-member class certificate, with the reason and document."""
    member = get_member(request.user, pk, Capability.MANAGE_ORGS)
    form = ExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.except_new_member_class(
                request.user, member, reason=data["reason"], document=data["document"]
            ),
        )
        if done is not None:
            messages.success(
                request,
                f"Đã ghi ngoại lệ: {member.full_name} được xét công nhận chính thức khi chưa có "
                "giấy chứng nhận lớp bồi dưỡng đảng viên mới.",
            )
            return redirect("admissions:probation-member", member_pk=member.pk)
    back = reverse("admissions:probation-member", args=[member.pk])
    note = (
        f"{member.full_name} chưa có giấy chứng nhận {CourseKind.NEW_MEMBER.label.lower()} "
        "trong hồ sơ đào tạo. Ngoại lệ được ghi vào lịch sử hồ sơ cùng lý do và văn bản."
    )
    title = "Ngoại lệ: công nhận chính thức khi chưa có giấy chứng nhận lớp đảng viên mới"
    return _form_page(request, member.branch, form, title, back, note)
