"""Member pages: the list with filters and export, the record, its corrections and lifecycle."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.accounts.roles import Capability
from dangvien.core import versions
from dangvien.core.audit import record_read
from dangvien.core.errors import DomainError
from dangvien.core.scope import can, scope_of
from dangvien.core.sorting import Heading, headings
from dangvien.members import columns as member_columns
from dangvien.members import exports, selectors, services
from dangvien.members.forms import (
    CreateMemberForm,
    EditMemberForm,
    LeaveForm,
    MemberActionForm,
    PhotoForm,
    TransferForm,
)
from dangvien.members.models import QUALIFICATIONS, THEORY_LEVELS, Gender
from dangvien.organizations.selectors import get_org

PAGE_SIZE = 50


def _require_view(user) -> None:
    if not scope_of(user).any(Capability.VIEW):
        raise PermissionDenied("Tài khoản của bạn chỉ xem được hồ sơ của chính mình.")


def _columns(request) -> list:
    if "cols" in request.GET:
        request.session["member_columns"] = request.GET.getlist("cols")
    return member_columns.chosen(request.session.get("member_columns"))


@login_required
def member_list(request):
    _require_view(request.user)
    filters = selectors.MemberFilters.from_query(request.GET)
    columns = _columns(request)
    page = request.GET.get("page")
    key = ""
    if settings.LIST_CACHE_SECONDS:  # the data version of the scope is part of the key
        key = selectors.list_cache_key(request.user, filters, page, [c.key for c in columns])
    body = cache.get(key) if key else None
    if body is None:
        body = render_to_string(
            "members/_list_body.html", _list_context(request.user, filters, page, columns)
        )
        if key:
            cache.set(key, body, settings.LIST_CACHE_SECONDS)
    context = {
        "body": mark_safe(body),
        "can_manage": scope_of(request.user).any(Capability.MANAGE_MEMBERS),
    }
    return render(request, "members/list.html", context)


def _list_context(
    user, filters: selectors.MemberFilters, page_number: str | None, columns: list
) -> dict:
    page = selectors.member_page(user, filters, page_number, PAGE_SIZE)
    # Cells formatted here and one reverse() for the 50 links: the template only prints.
    link = reverse("members:detail", args=[0]).removesuffix("0/")
    rows = [
        {"url": f"{link}{pk}/", "cells": [member_columns.as_text(value) for value in values]}
        for pk, values in zip(page.ids, exports.column_values(page.ids, columns), strict=True)
    ]
    return {
        "filters": filters,
        "page": page,
        "rows": rows,
        "columns": columns,
        "headers": _headers(filters, columns),
        "all_columns": member_columns.COLUMNS,
        "query": filters.as_query(),
        "status_filters": [(key, label) for key, (label, _q) in selectors.STATUS_FILTERS.items()],
        "genders": Gender.values,
        "qualifications": QUALIFICATIONS,
        "theory_levels": THEORY_LEVELS,
        "ethnicities": selectors.distinct_values(user, "ethnicity"),
        "religions": selectors.distinct_values(user, "religion"),
    }


# Columns the list sorts by (the query's `sort`; the name is the list's own order).
SORTABLE = {"code": "code", "full_name": "", "birth_date": "birth_date"}
SORTABLE |= {"admitted_on": "admitted_on", "official_on": "official_on"}


def _headers(filters: selectors.MemberFilters, columns: list) -> list[Heading]:
    """Each column's heading, a link that sorts by it (again: the other way) where it can."""
    sortable = [(column.label, SORTABLE.get(column.key)) for column in columns]
    return headings(filters.as_query(), filters.sort, sortable)


@login_required
@require_safe  # a read, recorded in the audit: never on a POST
def export(request, extension):
    _require_view(request.user)
    if extension not in ("csv", "xlsx"):
        raise Http404
    filters = selectors.MemberFilters.from_query(request.GET)
    ids = exports.member_ids(selectors.filter_members(request.user, filters))
    columns = member_columns.COLUMNS if request.GET.get("all_columns") else _columns(request)
    record_read(
        request.user,
        "members.export",
        org_path=selectors.viewed_path(request.user, filters),
        label=f"Danh sách đảng viên ({len(ids)} người)",
        details={
            "rows": len(ids),
            "columns": [column.label for column in columns],
            "filters": filters.as_query(),
            "format": extension,
        },
    )
    filename = f"danh-sach-dang-vien.{extension}"
    if extension == "csv":
        response = StreamingHttpResponse(
            exports.csv_chunks(ids, columns), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(exports.xlsx_file(ids, columns), as_attachment=True, filename=filename)


@login_required
def my_record(request):
    record = selectors.own_record(request.user)
    if record is None:
        raise Http404("Tài khoản của bạn chưa gắn với hồ sơ đảng viên nào.")
    return redirect("members:detail", pk=record.pk)


@login_required
@require_safe  # a read, recorded in the audit: never on a POST
def detail(request, pk):
    member = selectors.get_member(request.user, pk)
    can_manage = can(request.user, Capability.MANAGE_MEMBERS, member.branch_path)
    context = {
        "member": member,
        "timeline": selectors.timeline(member),
        "history": selectors.history(member),
        "can_manage": can_manage,
        "can_view_scope": can(request.user, Capability.VIEW, member.branch_path),
        "has_photo": hasattr(member, "photo"),
        "photo_form": PhotoForm() if can_manage else None,
        "org_chain": get_org_chain(request.user, member),
    }
    record_read(request.user, "member.view", org_path=member.branch_path, target=member)
    return render(request, "members/detail.html", context)


def get_org_chain(user, member):
    from dangvien.organizations.selectors import ancestors

    return [*ancestors(user, member.branch), member.branch]


def _form_page(request, form, title, member=None, template="members/form.html"):
    context = {
        "form": form,
        "title": title,
        "member": member,
        "parent_choices": parent_choices_for_members(request.user),
    }
    return render(request, template, context)


def parent_choices_for_members(user):
    from dangvien.organizations.models import BRANCH_KINDS
    from dangvien.organizations.selectors import visible_orgs

    return list(
        visible_orgs(user, Capability.MANAGE_MEMBERS)
        .filter(kind__in=BRANCH_KINDS, ended_on__isnull=True)
        .order_by("sort_key")
        .only("code", "name")[:1000]
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    if not scope_of(request.user).any(Capability.MANAGE_MEMBERS):
        raise PermissionDenied
    form = CreateMemberForm(
        request.POST or None, initial={"branch_code": request.GET.get("branch")}
    )
    if request.method == "POST" and form.is_valid():
        branch = get_org_or_error(request.user, form, "branch_code")
        if branch is not None:
            try:
                member = services.create_member(
                    request.user,
                    branch=branch,
                    code=form.cleaned_data["code"],
                    values=form.values(),
                    exception_reason=form.cleaned_data.get("exception_reason", ""),
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"Đã thêm hồ sơ đảng viên {member.full_name}.")
                return redirect("members:detail", pk=member.pk)
    return _form_page(request, form, "Thêm hồ sơ đảng viên")


def get_org_or_error(user, form, field):
    try:
        return get_org(user, form.cleaned_data[field].strip(), Capability.MANAGE_MEMBERS)
    except Http404:
        form.add_error(field, "Không tìm thấy chi bộ có mã này trong phạm vi quản lý của bạn.")
        return None


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    member = selectors.get_member(request.user, pk, Capability.MANAGE_MEMBERS)
    form = EditMemberForm(
        request.POST or None, instance=member, initial={"version": versions.token(member)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member(
                request.user,
                member,
                form.values(),
                reason=form.cleaned_data.get("reason", ""),
                exception_reason=form.cleaned_data.get("exception_reason", ""),
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            versions.on_refusal(form, exc)
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Đã lưu hồ sơ; thay đổi được ghi vào lịch sử.")
            return redirect("members:detail", pk=member.pk)
    return _form_page(request, form, f"Sửa hồ sơ: {member.full_name}", member)


# Recognition as an official member is not here: it goes through the review's steps on the
# probation page (admissions:probation-member), which the decision cannot skip.
ACTIONS = {
    # slug: (title, form class, allowed when)
    "transfer": ("Chuyển sinh hoạt đảng", TransferForm, lambda m: m.is_active),
    "exempt": (
        "Miễn công tác và sinh hoạt đảng",
        MemberActionForm,
        lambda m: m.is_active and not m.exempt_since,
    ),
    "end-exemption": (
        "Trở lại sinh hoạt đảng",
        MemberActionForm,
        lambda m: m.is_active and bool(m.exempt_since),
    ),
    "leave": ("Ra khỏi Đảng, xóa tên, khai trừ, từ trần", LeaveForm, lambda m: m.is_active),
}


def _run_action(actor, slug, member, form):
    decision = form.decision()
    if slug == "transfer":
        return services.transfer_member(actor, member, form.cleaned_data["branch"], decision)
    if slug == "exempt":
        return services.exempt_member(actor, member, decision)
    if slug == "end-exemption":
        return services.end_exemption(actor, member, decision)
    return services.end_membership(actor, member, form.cleaned_data["status"], decision)


@login_required
@require_http_methods(["GET", "POST"])
def lifecycle_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    member = selectors.get_member(request.user, pk, Capability.MANAGE_MEMBERS)
    title, form_class, allowed = ACTIONS[action]
    form = form_class(request.POST or None, user=request.user)
    if not allowed(member):
        messages.error(request, f"Không thể thực hiện «{title}» với hồ sơ này.")
        return redirect("members:detail", pk=member.pk)
    if request.method == "POST" and form.is_valid():
        done = form.apply(lambda: _run_action(request.user, action, member, form))
        if done is not None:
            messages.success(request, f"Đã ghi nhận: {title}.")
            return redirect("members:detail", pk=member.pk)
    return _form_page(request, form, f"{title}: {member.full_name}", member)


@login_required
@require_http_methods(["GET", "POST"])
def photo(request, pk):
    if request.method == "POST":
        member = selectors.get_member(request.user, pk, Capability.MANAGE_MEMBERS)
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["photo"]
            try:
                services.set_photo(request.user, member, upload.read(services.PHOTO_MAX_BYTES + 1))
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "Đã cập nhật ảnh.")
        return redirect("members:detail", pk=member.pk)
    member = selectors.get_member(request.user, pk)
    if not hasattr(member, "photo"):
        raise Http404("Chưa có ảnh.")
    response = HttpResponse(bytes(member.photo.content), content_type=member.photo.content_type)
    response["Cache-Control"] = "private, max-age=300"
    return response
