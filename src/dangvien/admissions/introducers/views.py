"""Pages of the members who help a candidate: assigned and their letter recorded on the
candidate's page; before the branch votes, replaced or removed and a letter's date corrected,
each on a confirmation page with its reason (core/confirm.py). After the vote a GET goes back
to the file saying why and a POST is refused by the service (400)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from dangvien.admissions.candidates.file_page import (
    REASON_KEPT,
    confirm_page,
    detail_page,
    gone_back,
    post_form,
    posted_data,
    refusal_of,
)
from dangvien.admissions.candidates.selectors import get_candidate
from dangvien.admissions.candidates.services import require_before_vote, require_open
from dangvien.admissions.introducers import selectors, services
from dangvien.admissions.introducers.forms import (
    CorrectIntroductionForm,
    IntroducerForm,
    IntroductionForm,
    RemoveIntroducerForm,
    ReplaceIntroducerForm,
)
from dangvien.admissions.models import Introducer
from dangvien.core.confirm import confirm_final_action
from dangvien.core.forms import attempt
from dangvien.core.roles import Capability
from dangvien.core.scope import can
from dangvien.core.vntext import number


@login_required
@require_POST
def candidate_introducer(request, pk):
    return post_form(
        request,
        pk,
        IntroducerForm(request.POST, user=request.user),
        lambda candidate, form: services.assign_introducer(
            request.user,
            candidate,
            form.cleaned_data["member"],
            assigned_on=form.cleaned_data["assigned_on"],
            together_since=form.cleaned_data["together_since"],
        ),
        lambda candidate, introducer: (
            f"Đã phân công {introducer.member.full_name} giúp đỡ {candidate.full_name}."
        ),
        "introducer_form",
    )


@login_required
@require_POST
def introduction(request, pk):
    """The introducer's letter (3-KNĐ): official member, 12 months beside the applicant."""
    introducer = selectors.get_introducer(request.user, pk)
    candidate = introducer.candidate
    form = IntroductionForm(request.POST, auto_id=f"id_intro{introducer.pk}_%s")
    if form.is_valid():
        done = attempt(
            form,
            lambda: services.record_introduction(
                request.user, introducer, on=form.cleaned_data["introduced_on"]
            ),
        )
        if done is not None:
            messages.success(
                request, f"Đã ghi nhận giấy giới thiệu của {introducer.member.full_name}."
            )
            return redirect("admissions:candidate", pk=candidate.pk)
    candidate = get_candidate(request.user, candidate.pk)
    return detail_page(request, candidate, status=400, introduction=(introducer.pk, form))


def _introducer(request, pk: int) -> Introducer:
    introducer = selectors.get_introducer(request.user, pk)
    if not can(request.user, Capability.MANAGE_MEMBERS, introducer.candidate.org_path):
        raise PermissionDenied("Bạn không có quyền thay đổi người giúp đỡ quần chúng này.")
    return introducer


def _helpers_fixed(introducer: Introducer) -> str | None:
    candidate = introducer.candidate

    def check():
        require_open(candidate)
        require_before_vote(candidate, "người giới thiệu, giấy giới thiệu")

    return refusal_of(check)


def _letters_left(introducer: Introducer) -> str:
    candidate = introducer.candidate
    left = candidate.introducers.exclude(pk=introducer.pk).exclude(introduced_on=None).count()
    return (
        f"Hồ sơ còn {number(left)} giấy giới thiệu; chi bộ xét khi có đủ 2 (hoặc 1 giấy và nghị "
        "quyết giới thiệu đoàn viên ưu tú)."
    )


def _helper_text(introducer: Introducer) -> str:
    member = introducer.member
    text = f"{member.full_name} ({member.code}) không còn là đảng viên giúp đỡ, giới thiệu "
    text += f"{introducer.candidate.full_name}"
    if introducer.introduced_on:
        text += (
            f"; giấy giới thiệu ngày {introducer.introduced_on:%d/%m/%Y} của người này không "
            "còn được tính trong hồ sơ"
        )
    return text + "."


@login_required
@require_http_methods(["GET", "POST"])
def introducer_remove(request, pk):
    introducer = _introducer(request, pk)
    candidate, member = introducer.candidate, introducer.member
    if gone := gone_back(request, candidate, lambda: _helpers_fixed(introducer)):
        return gone
    page = confirm_page(
        candidate,
        f"Bỏ phân công {member.full_name} giúp đỡ {candidate.full_name}",
        "Xác nhận bỏ phân công",
        "Chưa bỏ phân công",
        "remove-introducer",
    )
    return confirm_final_action(
        request,
        page,
        RemoveIntroducerForm(posted_data(request)),
        perform=lambda data: services.remove_introducer(
            request.user, introducer, reason=data["reason"]
        ),
        done=f"Đã bỏ phân công {member.full_name} giúp đỡ {candidate.full_name}.",
        consequences=lambda: [
            _helper_text(introducer),
            _letters_left(introducer),
            "Có thể phân công đảng viên khác giúp đỡ. " + REASON_KEPT,
        ],
        reason_required=lambda: True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def introducer_replace(request, pk):
    introducer = _introducer(request, pk)
    candidate, member = introducer.candidate, introducer.member
    if gone := gone_back(request, candidate, lambda: _helpers_fixed(introducer)):
        return gone
    page = confirm_page(
        candidate,
        f"Thay {member.full_name} giúp đỡ {candidate.full_name}",
        "Xác nhận thay người",
        "Chưa thay người giúp đỡ",
        "replace-introducer",
    )
    form = ReplaceIntroducerForm(posted_data(request), user=request.user)
    return confirm_final_action(
        request,
        page,
        form,
        perform=lambda data: services.replace_introducer(
            request.user,
            introducer,
            data["member"],
            assigned_on=data["assigned_on"],
            together_since=data["together_since"],
            reason=data["reason"],
        ),
        done=f"Đã thay {member.full_name} giúp đỡ {candidate.full_name}.",
        consequences=lambda: [
            _helper_text(introducer),
            "Đảng viên chính thức ghi dưới đây được phân công giúp đỡ thay; người này viết giấy "
            "giới thiệu khi đã cùng công tác, học tập hoặc cư trú với quần chúng đủ 12 tháng.",
            REASON_KEPT,
        ],
        reason_required=lambda: True,
    )


def _no_letter(introducer: Introducer) -> str | None:
    if refusal := _helpers_fixed(introducer):
        return refusal
    if introducer.introduced_on is None:
        return f"Chưa có giấy giới thiệu của {introducer.member.full_name} để sửa."
    return None


@login_required
@require_http_methods(["GET", "POST"])
def introduction_correct(request, pk):
    introducer = _introducer(request, pk)
    candidate, member = introducer.candidate, introducer.member
    if gone := gone_back(request, candidate, lambda: _no_letter(introducer)):
        return gone
    page = confirm_page(
        candidate,
        f"Sửa ngày giấy giới thiệu của {member.full_name}",
        "Xác nhận sửa ngày",
        "Chưa sửa ngày giấy giới thiệu",
        "correct-introduction",
    )
    old = introducer.introduced_on
    form = CorrectIntroductionForm(posted_data(request), initial={"introduced_on": old})
    return confirm_final_action(
        request,
        page,
        form,
        perform=lambda data: services.correct_introduction_date(
            request.user, introducer, on=data["introduced_on"], reason=data["reason"]
        ),
        done=f"Đã sửa ngày giấy giới thiệu của {member.full_name}.",
        consequences=lambda: [
            f"Giấy giới thiệu (mẫu 3-KNĐ) của {member.full_name} đổi từ ngày "
            f"{old:%d/%m/%Y} sang ngày ghi dưới đây."
            if old
            else f"Giấy giới thiệu của {member.full_name} được ghi ngày dưới đây.",
            "Ngày mới được kiểm tra lại: người giới thiệu là đảng viên chính thức và đã cùng "
            "công tác, học tập hoặc cư trú với quần chúng đủ 12 tháng vào ngày đó.",
            "Ngày cũ vẫn được giữ trong lịch sử hồ sơ. " + REASON_KEPT,
        ],
        reason_required=lambda: True,
    )
