"""Member pages: the list with filters and export, the record, its corrections and lifecycle."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.core import versions, vntext
from dangvien.core.audit import record_read
from dangvien.core.confirm import FinalAction, confirm_final_action, succeeded
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import can, scope_of
from dangvien.core.sorting import Heading, headings
from dangvien.core.xlsx_write import SPREADSHEET_TYPE
from dangvien.discipline.selectors import decisions_on
from dangvien.meetings.compliance import member_flags
from dangvien.members import columns as member_columns
from dangvien.members import exports, selectors, services
from dangvien.members.forms import (
    CreateMemberForm,
    EditMemberForm,
    LeaveForm,
    MemberActionForm,
    PhotoForm,
    ReinstateForm,
    TransferForm,
)
from dangvien.members.models import QUALIFICATIONS, THEORY_LEVELS, Gender, Status
from dangvien.organizations.selectors import get_org
from dangvien.residence.selectors import member_section as residence_section
from dangvien.training.selectors import member_trainings

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
    values = zip(page.ids, exports.column_values(page.ids, columns), strict=True)
    rows = table_rows(page, values)
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


def table_rows(page: selectors.MemberPage, values) -> list[dict]:
    """The table's rows from (id, column values) pairs: cells, row numbers (1.234, as the
    Vietnamese write them) and one reverse() for the 50 links made here, so the template only
    prints (a filter or an {% if %} in the loop over 400 cells costs more than all the rest)."""
    link = reverse("members:detail", args=[0]).removesuffix("0/")
    rows = []
    for index, (pk, cells) in enumerate(values):
        first, *rest = [member_columns.as_text(value) for value in cells]
        number = number_format(page.start_index + index, force_grouping=True)
        rows.append({"url": f"{link}{pk}/", "number": number, "first": first, "rest": rest})
    return rows


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
    response = StreamingHttpResponse(
        exports.xlsx_chunks(ids, columns), content_type=SPREADSHEET_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def my_record(request):
    record = selectors.own_record(request.user)
    if record is None:
        raise Http404("Tài khoản của bạn chưa gắn với hồ sơ đảng viên nào.")
    return redirect("members:detail", pk=record.pk)


@login_required
@require_safe  # a read, recorded in the audit: never on a POST
def detail(request, pk):
    return _detail_page(request, selectors.get_member(request.user, pk))


def _detail_page(request, member, photo_form: PhotoForm | None = None, status: int = 200):
    """The record, read (recorded in the audit); after a refused photo, with the refusal at
    the top («Chưa lưu ảnh», status 400)."""
    can_manage = can(request.user, Capability.MANAGE_MEMBERS, member.branch_path)
    context = {
        "member": member,
        "timeline": selectors.timeline(member),
        "history": selectors.history(member),
        "can_manage": can_manage,
        "can_view_scope": can(request.user, Capability.VIEW, member.branch_path),
        "has_photo": hasattr(member, "photo"),
        "photo_form": photo_form or (PhotoForm() if can_manage else None),
        "org_chain": get_org_chain(request.user, member),
        "own_banner": photo_form is not None,  # the page says «Chưa lưu ảnh» itself
        "disciplines": list(decisions_on(member)),
        "discipline_new_url": reverse("discipline:member-new", args=[member.pk])
        if member.is_active
        else "",
        "suspensions": list(member.suspensions.select_related("deciding_org")),
        "suspend_url": reverse("discipline:suspend", args=[member.pk]) if member.is_active else "",
        "absence_flags": member_flags(member),
        "residence": residence_section(member, timezone.localdate()),
        # The base committee's decisions on the residence link (HD 33-HD/BTCTW), not the branch's.
        "can_decide_residence": can(request.user, Capability.MANAGE_ORGS, member.branch_path),
        "trainings": member_trainings(member),
    }
    record_read(request.user, "member.view", org_path=member.branch_path, target=member)
    return render(request, "members/detail.html", context, status=status)


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
    return render(request, template, context, status=400 if form.errors else 200)


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
}
LEAVE_TITLE = "Ra khỏi Đảng, xóa tên, từ trần"


def _run_action(actor, slug, member, form):
    decision = form.decision()
    if slug == "transfer":
        return services.transfer_member(actor, member, form.cleaned_data["branch"], decision)
    if slug == "exempt":
        return services.exempt_member(actor, member, decision)
    return services.end_exemption(actor, member, decision)


@login_required
@require_http_methods(["GET", "POST"])
def lifecycle_action(request, pk, action):
    if action != "leave" and action not in ACTIONS:
        raise Http404
    member = selectors.get_member(request.user, pk, Capability.MANAGE_MEMBERS)
    if action == "leave":
        return _leave(request, member)
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
        data, files = request.POST, request.FILES  # parsed first: the size handler runs then
        form = PhotoForm(data, files, too_large=getattr(request, "upload_too_large", False))
        if form.is_valid() and succeeded(
            form,
            lambda: services.set_photo(
                request.user, member, form.cleaned_data["photo"].read(services.PHOTO_MAX_BYTES + 1)
            ),
        ):
            messages.success(request, "Đã cập nhật ảnh.")
            return redirect("members:detail", pk=member.pk)
        return _detail_page(request, member, photo_form=form, status=400)
    member = selectors.get_member(request.user, pk)
    if not hasattr(member, "photo"):
        raise Http404("Chưa có ảnh.")
    response = HttpResponse(bytes(member.photo.content), content_type=member.photo.content_type)
    response["Cache-Control"] = "private, max-age=300"
    return response


def _member_page(member, title: str, refused: str, button: str, form_id: str) -> FinalAction:
    detail_url = reverse("members:detail", args=[member.pk])
    return FinalAction(
        title=f"{title}: {member.full_name}",
        back_url=detail_url,
        button=button,
        refused=refused,
        breadcrumb=[(reverse("members:list"), "Đảng viên"), (detail_url, member.full_name)],
        form_id=form_id,
    )


def _list_url(**query) -> str:
    return f"{reverse('members:list')}?{urlencode(query)}"


def _leave(request, member):
    """Resignation, removal, expulsion or death: a page that says what it changes, the form
    of the decision with its required reason, then the action (members.services)."""
    if not member.is_active:
        messages.info(
            request, f"{member.full_name} không còn sinh hoạt đảng ({member.get_status_display()})."
        )
        return redirect("members:detail", pk=member.pk)
    form = LeaveForm(request.POST if request.method == "POST" else None, user=request.user)
    return confirm_final_action(
        request,
        _member_page(member, LEAVE_TITLE, "Chưa ghi nhận", "Xác nhận ghi nhận", "member-leave"),
        form,
        perform=lambda data: services.end_membership(
            request.user, member, data["status"], form.decision()
        ),
        done=f"Đã ghi nhận vào hồ sơ của {member.full_name}; hồ sơ vẫn được giữ.",
        consequences=lambda: _leave_consequences(member),
    )


def _leave_consequences(member) -> list[str]:
    branch = member.branch
    active = selectors.member_counts(branch)["members"]
    lines = [
        f"{member.full_name} ({member.get_status_display()}, {branch.name}) chuyển sang hình thức "
        "chọn dưới đây từ ngày của quyết định: không còn trong danh sách đảng viên đang sinh "
        "hoạt, không được tính trong các số liệu, báo cáo về đảng viên từ ngày đó.",
        format_html(
            "Quá trình sinh hoạt tại {} kết thúc vào ngày đó: chi bộ có "
            '<a href="{}">{} đảng viên đang sinh hoạt</a>, còn {} sau khi ghi nhận.',
            branch.name,
            _list_url(org=branch.code),
            vntext.number(active),
            vntext.number(max(active - 1, 0)),
        ),
        format_html(
            'Hồ sơ được giữ nguyên, tìm được trong danh sách <a href="{}">«Đã ra khỏi Đảng, từ '
            "trần»</a>.",
            _list_url(org=branch.code, status="left"),
        ),
    ]
    if member.card_number:
        lines.append(
            f"Thẻ đảng viên số {member.card_number} vẫn ghi trong hồ sơ; thu hồi thẻ ghi trên "
            "trang «Thẻ đảng viên»."
        )
    if member.user_id:
        lines.append(
            "Tài khoản đăng nhập của đảng viên vẫn còn; thu hồi vai trò trên trang tài khoản nếu "
            "cần."
        )
    lines.append(
        "Nếu ghi nhầm, việc này hủy được trên trang hồ sơ («Hủy việc ra khỏi Đảng»), với lý do "
        "ghi vào lịch sử."
    )
    return lines


@login_required
@require_http_methods(["GET", "POST"])
def reinstate(request, pk):
    """Undo a leaving recorded by mistake or annulled since: a page that says what comes back,
    the day the member is active again and the required reason, then the correction."""
    member = selectors.get_member(request.user, pk, Capability.MANAGE_MEMBERS)
    if member.is_active:
        messages.info(request, f"{member.full_name} đang sinh hoạt đảng.")
        return redirect("members:detail", pk=member.pk)
    form = ReinstateForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"effective_on": timezone.localdate()},
    )
    return confirm_final_action(
        request,
        _member_page(
            member,
            "Hủy việc ra khỏi Đảng",
            "Chưa hủy việc ra khỏi Đảng",
            "Xác nhận hủy việc ra khỏi Đảng",
            "member-reinstate",
        ),
        form,
        perform=lambda data: services.reinstate_member(request.user, member, form.decision()),
        done=f"Đã hủy việc ra khỏi Đảng: {member.full_name} trở lại sinh hoạt đảng.",
        consequences=lambda: _reinstate_consequences(member),
    )


def _reinstate_consequences(member) -> list[str]:
    branch, left = member.branch, member.get_status_display()
    back = (Status.OFFICIAL if member.official_on else Status.PROBATIONARY).label
    since = f" ngày {member.left_on:%d/%m/%Y}" if member.left_on else ""
    lines = []
    if problem := services.reinstatement_refusal(member):
        lines.append(format_html("<strong>Không hủy được:</strong> {}", problem))
    lines += [
        f"{member.full_name} trở lại «{back}», sinh hoạt tại {branch.name} từ ngày ghi dưới đây; "
        f"tình trạng «{left}»{since} được xóa khỏi hồ sơ.",
        format_html(
            'Đảng viên có lại trong <a href="{}">danh sách đảng viên đang sinh hoạt</a> của chi '
            "bộ và trong các số liệu, báo cáo từ ngày đó.",
            _list_url(org=branch.code),
        ),
    ]
    if member.left_on:
        lines.append(
            f"Trở lại từ chính ngày {member.left_on:%d/%m/%Y}: quá trình sinh hoạt tại "
            f"{branch.name} được nối lại như chưa từng gián đoạn, báo cáo của các ngày từ đó tính "
            "cả đảng viên này. Trở lại từ một ngày sau: báo cáo của những ngày trước ngày đó giữ "
            "nguyên như đã lập (không tính đảng viên)."
        )
    lines.append(
        f"Quá trình trong Đảng và lịch sử hồ sơ giữ cả việc ghi «{left}»{since} và việc hủy "
        "này, cùng lý do."
    )
    return lines
