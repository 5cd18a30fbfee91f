"""Pages of re-admission (kết nạp lại, QĐ 294-QĐ/TW §3.5): the confirmation page that says what
it changes, and the annulment of one recorded by mistake (members.readmission)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.roles import Capability
from dangvien.members import selectors
from dangvien.members.forms import AnnulReadmissionForm, ReadmitForm
from dangvien.members.models import Member, Readmission
from dangvien.members.party_age import party_age
from dangvien.members.readmission import (
    annul_readmission,
    earliest_readmission,
    readmission_refusal,
    readmit_member,
)


def _page(member: Member, title: str, refused: str, button: str, form_id: str) -> FinalAction:
    detail_url = reverse("members:detail", args=[member.pk])
    return FinalAction(
        title=f"{title}: {member.full_name}",
        back_url=detail_url,
        button=button,
        refused=refused,
        breadcrumb=[(reverse("members:list"), "Đảng viên"), (detail_url, member.full_name)],
        form_id=form_id,
    )


def _consequences(member: Member) -> list[str]:
    lines = []
    if problem := readmission_refusal(member):
        lines.append(format_html("<strong>Không kết nạp lại được:</strong> {}", problem))
    left_on = member.left_on or timezone.localdate()  # none: refused above, said first
    earliest, why = earliest_readmission(left_on, None, timezone.localdate())
    age = party_age(member)
    lines += [
        f"{member.full_name} ra khỏi Đảng ({member.get_status_display()}) ngày "
        f"{left_on:%d/%m/%Y}: được xem xét kết nạp lại sau {why}, tức từ ngày "
        f"{earliest:%d/%m/%Y} (sau 60 tháng kể từ ngày được xóa án tích nếu đã bị kết án); "
        "chỉ được kết nạp lại một lần trong đời, có văn bản đồng ý của ban thường vụ tỉnh ủy, "
        "thành ủy (QĐ 294-QĐ/TW, mục 3.5).",
        "Người được kết nạp lại là đảng viên dự bị, phải qua đủ 12 tháng dự bị kể từ lễ kết nạp "
        "lại; ngày chính thức cũ được xóa khỏi hồ sơ (vẫn giữ trong quá trình và lịch sử).",
        f"Tuổi đảng tính từ ngày vào Đảng lần đầu ({member.admitted_on:%d/%m/%Y}), trừ thời gian "
        f"ở ngoài Đảng từ {left_on:%d/%m/%Y} đến ngày quyết định kết nạp lại. Tuổi đảng đã có "
        f"đến khi ra khỏi Đảng: {age.label}.",
        "Người tự bỏ sinh hoạt đảng thì không được xem xét; người đã xin ra khỏi Đảng chỉ được "
        "xem xét khi có lý do chính đáng (ghi lý do, lưu như một ngoại lệ).",
        "Quyết định kết nạp lại ghi nhầm được hủy trên trang hồ sơ, có lý do.",
    ]
    return lines


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def readmit(request, pk):
    member = selectors.get_member(request.user, pk, Capability.MANAGE_MEMBERS)
    form = ReadmitForm(request.POST if request.method == "POST" else None, user=request.user)

    def perform(data):
        return readmit_member(
            request.user,
            member,
            decided_on=data["decided_on"],
            decision_number=data["decision_number"],
            decision_body=data.get("decision_body", ""),
            consent_number=data["consent_number"],
            consent_on=data["consent_on"],
            ceremony_on=data.get("ceremony_on"),
            record_cleared_on=data.get("record_cleared_on"),
            abandoned_activity=data.get("abandoned_activity", False),
            exception_reason=data.get("exception_reason", ""),
            branch=data.get("branch"),
        )

    return confirm_final_action(
        request,
        _page(
            member, "Kết nạp lại vào Đảng", "Chưa kết nạp lại", "Xác nhận kết nạp lại", "readmit"
        ),
        form,
        perform=perform,
        done=f"Đã ghi quyết định kết nạp lại {member.full_name}: đảng viên dự bị.",
        consequences=lambda: _consequences(member),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def annul(request, pk, readmission_pk):
    member = selectors.get_member(request.user, pk, Capability.MANAGE_MEMBERS)
    readmission = get_object_or_404(Readmission, pk=readmission_pk, member=member)
    form = AnnulReadmissionForm(request.POST if request.method == "POST" else None)
    consequences = [
        f"Quyết định kết nạp lại số {readmission.decision_number} ngày "
        f"{readmission.decided_on:%d/%m/%Y} bị hủy: {member.full_name} trở lại tình trạng trước "
        f"đó ({readmission.get_left_status_display()} từ {readmission.left_on:%d/%m/%Y}).",
        "Thời gian từ ngày ra khỏi Đảng lại không được tính tuổi đảng; quá trình trong Đảng và "
        "lịch sử hồ sơ giữ cả quyết định và việc hủy, cùng lý do.",
    ]
    return confirm_final_action(
        request,
        _page(
            member,
            "Hủy quyết định kết nạp lại",
            "Chưa hủy",
            "Xác nhận hủy quyết định kết nạp lại",
            "readmit-annul",
        ),
        form,
        perform=lambda data: annul_readmission(request.user, readmission, data["reason"]),
        done="Đã hủy quyết định kết nạp lại.",
        consequences=lambda: consequences,
    )
