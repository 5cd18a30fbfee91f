"""Pages of the residence contact (QĐ 213-QĐ/TW): an organisation's figures for a year with
the members whose comment is missing, and the forms of a member's link and comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.core import versions
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.forms import attempt
from dangvien.core.queryparams import parse_int
from dangvien.core.roles import Capability
from dangvien.core.scope import visible
from dangvien.meetings.views import year_asked
from dangvien.members.selectors import get_member
from dangvien.organizations.selectors import get_org, scope_roots
from dangvien.residence import services
from dangvien.residence.forms import (
    CommentForm,
    CorrectCommentForm,
    EndLinkForm,
    LinkForm,
    WithdrawForm,
)
from dangvien.residence.models import (
    EXEMPT_CATEGORIES,
    Category,
    Channel,
    ResidenceComment,
    ResidenceLink,
    Result,
)
from dangvien.residence.selectors import comment_statistics, missing_comments

PAGE_SIZE = 50


def _member_url(member) -> str:
    return reverse("members:detail", args=[member.pk]) + "#residence"


@login_required
@require_safe
def index(request):
    org = scope_roots(request.user).order_by("sort_key").first()
    if org is None:
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return redirect("residence:org", code=org.code)


@login_required
@require_safe
def org_page(request, code):
    """The subtree's figures for the year, computed in the database, and the members whose
    comment is missing, a page at a time."""
    org = get_org(request.user, code)
    today = timezone.localdate()
    year, error = year_asked(request)
    if not 1930 <= year <= today.year:
        year, error = today.year, f"Năm {year} không hợp lệ."
    figures = comment_statistics(org.path, year)
    missing = missing_comments(org.path, year).select_related("branch")
    context = {
        "org": org,
        "year": year,
        "error": error,
        "figures": figures,
        "by_result": [(r.label, figures["by_result"][r.value]) for r in Result],
        "by_channel": [(c.label, figures["by_channel"][c.value]) for c in Channel],
        "exempt": [(c.label, figures["exempt"][c.value]) for c in EXEMPT_CATEGORIES],
        "page": Paginator(missing, PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render(request, "residence/org.html", context, status=400 if error else 200)


def _form_page(request, member, form, title: str, button: str):
    context = {"member": member, "form": form, "title": title, "button": button}
    return render(request, "residence/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def link_new(request, pk):
    member = get_member(request.user, pk, Capability.MANAGE_MEMBERS)
    form = LinkForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"introduced_on": timezone.localdate(), "category": Category.REQUIRED},
    )
    if request.method == "POST" and form.is_valid():
        link = attempt(form, lambda: services.introduce(request.user, member, form.introduction()))
        if link is not None:
            messages.success(request, f"Đã ghi: {link}.")
            return redirect(_member_url(member))
    return _form_page(request, member, form, "Giới thiệu về nơi cư trú", "Ghi")


@login_required
@require_http_methods(["GET", "POST"])
def link_end(request, pk):
    link = get_object_or_404(
        visible(request.user, ResidenceLink, Capability.MANAGE_MEMBERS).select_related(
            "member", "residence_org"
        ),
        pk=pk,
    )
    back = _member_url(link.member)
    if link.ended_on is not None:
        messages.info(request, f"Đã kết thúc từ {link.ended_on:%d/%m/%Y}.")
        return redirect(back)
    form = EndLinkForm(
        request.POST if request.method == "POST" else None,
        initial={"ended_on": timezone.localdate(), "version": versions.token(link)},
    )
    return confirm_final_action(
        request,
        FinalAction(
            title=f"Kết thúc giới thiệu về nơi cư trú: {link.member.full_name}",
            back_url=back,
            button="Xác nhận kết thúc",
            refused="Chưa kết thúc",
            breadcrumb=[(back, link.member.full_name)],
            form_id="link-end",
        ),
        form,
        perform=lambda data: services.end_link(
            request.user,
            link,
            ended_on=data["ended_on"],
            reason=data["reason"],
            expected_version=data["version"],
        ),
        done="Đã kết thúc giới thiệu về nơi cư trú.",
        consequences=lambda: [
            f"{link} không còn hiệu lực từ ngày kết thúc; vẫn giữ trong lịch sử cùng lý do.",
            "Từ năm đó, nếu đảng viên vẫn công tác ở cơ quan, đơn vị, doanh nghiệp thì vẫn "
            "thuộc diện phải có nhận xét của chi bộ nơi cư trú (Quy định 213-QĐ/TW) cho đến khi "
            "được giới thiệu lại.",
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_new(request, pk):
    member = get_member(request.user, pk, Capability.MANAGE_MEMBERS)
    year = parse_int(request.GET.get("year"), label="Năm", low=1930, high=9999)
    form = CommentForm(
        request.POST if request.method == "POST" else None,
        initial=CommentForm.initial_for(year),
    )
    if request.method == "POST" and form.is_valid():
        done = attempt(form, lambda: services.record_comment(request.user, member, form.comment()))
        if done is not None:
            messages.success(request, f"Đã ghi nhận xét năm {done.year}.")
            return redirect(_member_url(member))
    return _form_page(request, member, form, "Ghi nhận xét của chi bộ nơi cư trú", "Ghi")


def _comment(request, pk) -> ResidenceComment:
    return get_object_or_404(
        visible(request.user, ResidenceComment, Capability.MANAGE_MEMBERS).select_related(
            "member", "link__residence_org"
        ),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_correct(request, pk):
    record = _comment(request, pk)
    if record.annulled_at is not None:
        messages.info(request, f"Nhận xét năm {record.year} đã được thu hồi.")
        return redirect(_member_url(record.member))
    initial = {
        name: getattr(record, name)
        for name in (
            "year",
            "result",
            "commented_on",
            "received_on",
            "channel",
            "portal_reference",
            "content",
        )
    }
    form = CorrectCommentForm(
        request.POST if request.method == "POST" else None,
        initial={**initial, "version": versions.token(record)},
    )
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: services.correct_comment(
                request.user,
                record,
                form.comment(),
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            ),
        )
        if done is not None:
            messages.success(request, f"Đã sửa nhận xét năm {done.year}.")
            return redirect(_member_url(record.member))
    title = f"Sửa nhận xét năm {record.year} của chi bộ nơi cư trú"
    return _form_page(request, record.member, form, title, "Lưu")


@login_required
@require_http_methods(["GET", "POST"])
def comment_withdraw(request, pk):
    record = _comment(request, pk)
    back = _member_url(record.member)
    if record.annulled_at is not None:
        messages.info(request, f"Nhận xét năm {record.year} đã được thu hồi.")
        return redirect(back)
    form = WithdrawForm(
        request.POST if request.method == "POST" else None,
        initial={"version": versions.token(record)},
    )
    return confirm_final_action(
        request,
        FinalAction(
            title=f"Thu hồi nhận xét năm {record.year}: {record.member.full_name}",
            back_url=back,
            button="Xác nhận thu hồi",
            refused="Chưa thu hồi",
            breadcrumb=[(back, record.member.full_name)],
            form_id="comment-withdraw",
        ),
        form,
        perform=lambda data: services.withdraw_comment(
            request.user, record, reason=data["reason"], expected_version=data["version"]
        ),
        done=f"Đã thu hồi nhận xét năm {record.year}.",
        consequences=lambda: [
            f"Nhận xét năm {record.year} ({record.get_result_display()}) được đánh dấu đã thu "
            "hồi, vẫn giữ trong hồ sơ cùng lý do; không còn tính vào số liệu.",
            "Nếu đảng viên thuộc diện phải nhận xét, năm đó lại thiếu nhận xét cho đến khi ghi "
            "nhận xét mới.",
        ],
        reason_required=lambda: True,
    )
