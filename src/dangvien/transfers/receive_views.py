"""«Tiếp nhận đảng viên từ ngoài hệ thống»: the officer of the receiving branch picks the record
of a member coming from a party organisation outside the system, then confirms the arrival
(services.receive_from_outside). The record is one the officer sees (entered just now, or of a
member who left from their scope), or one transferred out from another officer's scope, found
by the papers the member brings (transfers.identify) and remembered for this session only."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.roles import Capability
from dangvien.core.scope import can, scope_of
from dangvien.members.models import Member, Status
from dangvien.members.selectors import get_member
from dangvien.transfers import identify, selectors, services
from dangvien.transfers.forms import IdentifyForm, ReceiveForm

# The records this session found by their papers (ids), the latest few.
IDENTIFIED = "transfers.identified"
KEEP_IDENTIFIED = 10
NOT_IDENTIFIED = (
    "Không tìm thấy hồ sơ đảng viên đã chuyển sinh hoạt ra ngoài hệ thống khớp với số giấy tờ "
    "và ngày sinh này."
)


def _require_manage_some(user) -> None:
    if not scope_of(user).any(Capability.MANAGE_MEMBERS):
        raise PermissionDenied("Tài khoản của bạn không tiếp nhận được đảng viên.")


@login_required
@require_http_methods(["GET", "POST"])
def receive_start(request):
    """Choose the record: by its code among those the officer sees (GET), or by the papers the
    member brings (POST: the numbers stay out of addresses and logs)."""
    _require_manage_some(request.user)
    code = request.GET.get("code", "").strip()
    not_found = False
    if code:
        member = selectors.find_member_to_receive(request.user, code)
        if member is not None:
            return redirect("transfers:receive", pk=member.pk)
        not_found = True
    form = IdentifyForm(request.POST or None)
    not_identified = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = identify.find_transferred_out(
            request.user, data["paper"], data["number"], data["birth_date"]
        )
        if member is not None:
            _remember(request, member)
            return redirect("transfers:receive", pk=member.pk)
        not_identified = True
    context = {
        "code": code,
        "not_found": not_found,
        "returning": selectors.returning_members(request.user),
        "identify": form,
        "not_identified": NOT_IDENTIFIED if not_identified else "",
    }
    status = 400 if form.errors else 200
    return render(request, "transfers/receive_start.html", context, status=status)


def _remember(request, member: Member) -> None:
    kept = [pk for pk in request.session.get(IDENTIFIED, []) if pk != member.pk]
    request.session[IDENTIFIED] = [*kept, member.pk][-KEEP_IDENTIFIED:]


def _forget(request, member: Member) -> None:
    kept = request.session.get(IDENTIFIED, [])
    if member.pk in kept:
        request.session[IDENTIFIED] = [pk for pk in kept if pk != member.pk]


def _member_to_receive(request, pk: int) -> tuple[Member, bool]:
    """The record the user sees, or one they found by its papers in this session and still
    transferred out (True: outside their scope, shown only as far as it confirms who it is)."""
    if pk in request.session.get(IDENTIFIED, []):
        found = identify.still_transferred_out(pk)
        if found is not None and not can(request.user, Capability.VIEW, found.branch_path):
            return found, True
    return get_member(request.user, pk), False


def _who(member: Member) -> str:
    """What confirms the identity: name, birth date, where and when they left the system."""
    left = identify.departure(member)
    where = f" đến {left.outside_destination}" if left and left.outside_destination else ""
    when = f" ngày {member.left_on:%d/%m/%Y}" if member.left_on else ""
    return (
        f"Hồ sơ: {member.full_name}, sinh ngày {member.birth_date:%d/%m/%Y}; đã chuyển sinh hoạt "
        f"ra ngoài hệ thống{where}{when}."
    )


def _counted(member: Member) -> str:
    if member.status == Status.TRANSFERRED_OUT:
        return (
            f"{member.full_name} (đã chuyển sinh hoạt ra ngoài hệ thống từ "
            f"{member.left_on:%d/%m/%Y}) trở lại đảng số của hệ thống từ ngày đến sinh hoạt, "
            "ở chi bộ tiếp nhận; trạng thái trở lại như trước khi chuyển đi."
        )
    return (
        f"Hồ sơ vừa nhập của {member.full_name} được tính vào đảng số của chi bộ từ ngày "
        "đến sinh hoạt (không từ ngày vào Đảng): trước đó đảng viên sinh hoạt ngoài hệ "
        "thống."
    )


@login_required
@require_http_methods(["GET", "POST"])
def receive(request, pk):
    member, identified = _member_to_receive(request, pk)
    _require_manage_some(request.user)
    # A record found by its papers: its former branch belongs to another scope, not named.
    initial = {"to_code": "" if identified else member.branch.code}
    form = ReceiveForm(request.POST or None, user=request.user, initial=initial)
    facts = [_who(member)] if member.status == Status.TRANSFERRED_OUT else []
    back = reverse("transfers:receive-start")
    page = FinalAction(
        title=f"Tiếp nhận đảng viên từ ngoài hệ thống: {member.full_name}",
        back_url=back,
        button="Xác nhận tiếp nhận",
        refused="Chưa tiếp nhận",
        breadcrumb=[(reverse("transfers:list"), "Chuyển sinh hoạt đảng"), (back, "Tiếp nhận")],
    )

    def received():
        _forget(request, member)
        return redirect("members:detail", pk=member.pk)

    return confirm_final_action(
        request,
        page,
        form,
        perform=lambda data: services.receive_from_outside(
            request.user,
            member,
            to_branch=data["to_branch"],
            arrived_on=data["arrived_on"],
            outside_origin=data["outside_origin"],
            letter_number=data["letter_number"],
            letter_issued_on=data["letter_issued_on"],
            identified_by_papers=identified,
        ),
        done=f"Đã tiếp nhận {member.full_name} đến sinh hoạt.",
        consequences=lambda: [
            *facts,
            _counted(member),
            "Quá trình sinh hoạt của đảng viên ghi lần chuyển đến này; lịch sử của chi bộ tiếp "
            "nhận ghi việc tiếp nhận.",
        ],
        after=received,
    )
