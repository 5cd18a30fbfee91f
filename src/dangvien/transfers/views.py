"""Transfer pages: the lists of both sides, the letter, the arrival and the corrections. Each
view reads through transfers.selectors and writes through one service. Receiving a member from
outside the system: receive_views.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.forms import attempt
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import can, scope_of
from dangvien.members.selectors import get_member
from dangvien.transfers import deadlines, selectors, services
from dangvien.transfers.forms import ArrivalForm, IssueLetterForm, ReasonForm, ReturnForm
from dangvien.transfers.models import Direction, TransferKind, TransferStatus


def _require_view(user) -> None:
    if not scope_of(user).any(Capability.VIEW):
        raise PermissionDenied("Tài khoản của bạn không xem được việc chuyển sinh hoạt.")


@login_required
@require_safe
def transfer_list(request):
    _require_view(request.user)
    user = request.user
    context = {
        "outgoing": selectors.outgoing(user).order_by("letter_issued_on", "id"),
        "incoming": selectors.incoming(user).order_by("letter_issued_on", "id"),
        "overdue": selectors.overdue(user),
        "hosted": selectors.hosted(user).order_by("temporary_until", "id"),
        "recent": selectors.recent(user),
        "may_receive": scope_of(user).any(Capability.MANAGE_MEMBERS),
    }
    return render(request, "transfers/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def issue(request, pk):
    member = get_member(request.user, pk, Capability.MANAGE_MEMBERS)
    form = IssueLetterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        transfer = attempt(
            form,
            lambda: services.issue_letter(
                request.user,
                member,
                kind=data["kind"],
                to_branch=data["to_branch"],
                outside_destination=data["outside_destination"],
                trigger_on=data["trigger_on"],
                letter_issued_on=data["letter_issued_on"],
                letter_number=data["letter_number"],
                temporary_until=data["temporary_until"],
                late_explanation=data["late_explanation"],
            ),
        )
        if transfer is not None:
            messages.success(request, "Đã cấp giấy giới thiệu sinh hoạt đảng.")
            return redirect("transfers:detail", pk=transfer.pk)
    title = f"Cấp giấy giới thiệu sinh hoạt đảng: {member.full_name}"
    context = {"form": form, "title": title, "member": member}
    return render(request, "members/form.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def detail(request, pk):
    transfer = selectors.get_transfer(request.user, pk)
    user, rules = request.user, RuleBook.load()
    present_due = (
        deadlines.present_due(transfer.letter_issued_on, rules)
        if transfer.letter_issued_on
        else None
    )
    start_due = (
        deadlines.start_due(transfer.trigger_on, rules)
        if transfer.trigger_on and transfer.kind == TransferKind.PERMANENT
        else None
    )
    sending = transfer.from_branch_id and can(
        user, Capability.MANAGE_MEMBERS, transfer.from_branch.path
    )
    waiting = transfer.status == TransferStatus.LETTER_ISSUED
    confirming = transfer.direction != Direction.IN and can(
        user, Capability.MANAGE_MEMBERS, services.confirming_path(transfer)
    )
    context = {
        "transfer": transfer,
        "present_due": present_due,
        "start_due": start_due,
        "member_visible": can(user, Capability.VIEW, transfer.member.branch_path),
        "may_confirm": waiting and confirming,
        "may_cancel": waiting and sending,
        "may_reopen": (transfer.status == TransferStatus.CANCELLED and sending)
        or (transfer.status == TransferStatus.ARRIVED and confirming),
        "may_return": transfer.is_temporary
        and transfer.status == TransferStatus.ARRIVED
        and (sending or confirming),
    }
    return render(request, "transfers/detail.html", context)


def _page(transfer, title: str, button: str, refused: str) -> FinalAction:
    back = reverse("transfers:detail", args=[transfer.pk])
    return FinalAction(
        title=title,
        back_url=back,
        button=button,
        refused=refused,
        breadcrumb=[(reverse("transfers:list"), "Chuyển sinh hoạt đảng"), (back, str(transfer))],
    )


@login_required
@require_http_methods(["GET", "POST"])
def arrive(request, pk):
    transfer = selectors.get_transfer(request.user, pk)
    member = transfer.member
    if transfer.is_temporary:
        moves = (
            f"{member.full_name} sinh hoạt tạm thời tại {transfer.destination}; vẫn tính vào "
            f"đảng số của {transfer.origin}."
        )
    elif transfer.to_branch_id:
        moves = (
            f"{member.full_name} sinh hoạt tại {transfer.destination} từ ngày đến; đến hết ngày "
            f"hôm trước vẫn ở {transfer.origin}."
        )
    else:
        moves = (
            f"{member.full_name} ra khỏi đảng số của hệ thống từ ngày chuyển đến "
            f"{transfer.destination}."
        )
    page = _page(
        transfer,
        f"Xác nhận đến sinh hoạt: {member.full_name}",
        "Xác nhận đến sinh hoạt",
        "Chưa xác nhận",
    )
    return confirm_final_action(
        request,
        page,
        ArrivalForm(request.POST or None),
        perform=lambda data: services.confirm_arrival(
            request.user,
            transfer,
            data["arrived_on"],
            late_explanation=data["late_explanation"],
        ),
        done=f"Đã xác nhận {member.full_name} đến sinh hoạt.",
        consequences=lambda: [moves, "Quá trình sinh hoạt của đảng viên ghi lần chuyển này."],
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    transfer = selectors.get_transfer(request.user, pk)
    page = _page(transfer, "Hủy giấy giới thiệu", "Xác nhận hủy giấy", "Chưa hủy")
    form = ReasonForm(request.POST or None)
    form.fields["reason"].required = True
    return confirm_final_action(
        request,
        page,
        form,
        perform=lambda data: services.cancel_transfer(request.user, transfer, data["reason"]),
        done="Đã hủy giấy giới thiệu.",
        consequences=lambda: [
            f"Giấy giới thiệu số {transfer.letter_number or '(không số)'} hết hiệu lực; "
            f"{transfer.member.full_name} tiếp tục sinh hoạt tại {transfer.origin}."
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request, pk):
    transfer = selectors.get_transfer(request.user, pk)
    if transfer.status == TransferStatus.ARRIVED:
        what = (
            f"Việc xác nhận đến sinh hoạt ngày {transfer.arrived_on:%d/%m/%Y} được bỏ; "
            f"{transfer.member.full_name} trở lại sinh hoạt tại {transfer.origin} như chưa chuyển."
        )
    else:
        what = "Giấy giới thiệu có hiệu lực trở lại, chờ đảng viên đến sinh hoạt."
    page = _page(transfer, "Mở lại việc chuyển sinh hoạt", "Xác nhận mở lại", "Chưa mở lại")
    form = ReasonForm(request.POST or None)
    form.fields["reason"].required = True
    return confirm_final_action(
        request,
        page,
        form,
        perform=lambda data: services.reopen_transfer(request.user, transfer, data["reason"]),
        done="Đã mở lại việc chuyển sinh hoạt.",
        consequences=lambda: [what],
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_home(request, pk):
    transfer = selectors.get_transfer(request.user, pk)
    page = _page(transfer, "Ghi nhận trở về", "Xác nhận trở về", "Chưa ghi nhận")
    return confirm_final_action(
        request,
        page,
        ReturnForm(request.POST or None),
        perform=lambda data: services.record_return(request.user, transfer, data["returned_on"]),
        done="Đã ghi nhận đảng viên trở về.",
        consequences=lambda: [
            f"{transfer.member.full_name} kết thúc sinh hoạt tạm thời tại "
            f"{transfer.destination}; đảng số không thay đổi."
        ],
    )
