"""Pages of party badges: the subtree's list by ceremony (planning list, badges in progress,
badges to recover), the proposal, a badge's page with its steps, and each step's page."""

import datetime
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.badges import forms as badge_forms
from dangvien.badges import planning, services
from dangvien.badges.models import Badge, Stage
from dangvien.core import versions
from dangvien.core.audit import record_read
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.roles import Capability
from dangvien.core.scope import can, visible
from dangvien.core.workbooks import XLSX_TYPE, escape_formula
from dangvien.members import selectors as member_selectors
from dangvien.members.party_age import party_age
from dangvien.organizations.selectors import get_org
from dangvien.reports.render import heading


def _ceremony(request) -> tuple[datetime.date, str]:
    """The ceremony of `?ceremony=dd/mm/yyyy`, else the next one (with why, when unreadable)."""
    text = request.GET.get("ceremony", "").strip()
    if not text:
        return planning.next_ceremony(), ""
    query = badge_forms.CeremonyQuery({"ceremony": text})
    if query.is_valid():
        return query.cleaned_data["ceremony"], ""
    return planning.next_ceremony(), f"“{text}” không phải một ngày (dd/mm/yyyy)."


@login_required
@require_safe  # a download, recorded in the audit: never on a POST
def org_xlsx(request, code):
    """The planning list of a ceremony as a workbook (the rows the page lists)."""
    from openpyxl import Workbook

    org = get_org(request.user, code)
    ceremony, _error = _ceremony(request)
    rows, _total = planning.planning_list(
        org.path, ceremony, overdue=request.GET.get("overdue") == "1"
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Đủ điều kiện"
    sheet.append([escape_formula(f"Huy hiệu Đảng đợt {ceremony:%d/%m/%Y}: {org.name}")])
    heading(sheet, ["Mã đảng viên", "Họ và tên", "Chi bộ", "Mốc (năm)", "Ngày đủ tuổi đảng"])
    for row in rows:
        sheet.append(
            [
                escape_formula(row.code),
                escape_formula(row.name),
                escape_formula(row.branch),
                row.milestone,
                row.reached_on.strftime("%d/%m/%Y"),
            ]
        )
    for letter, width in zip("ABCDE", (18, 36, 36, 12, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    record_read(
        request.user,
        "report.download",
        org_path=org.path,
        label=f"Huy hiệu Đảng đợt {ceremony:%d/%m/%Y}: {org.name}",
        details={"report": "Huy hiệu Đảng", "org": org.code, "format": "xlsx"},
    )
    response = HttpResponse(buffer.getvalue(), XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"huy-hieu-{slugify(org.code)}-{ceremony:%Y%m%d}.xlsx"
    )
    return response


@login_required
def org_list(request, code):
    org = get_org(request.user, code)
    ceremony, error = _ceremony(request)
    overdue = request.GET.get("overdue") == "1"
    rows, total = planning.planning_list(org.path, ceremony, overdue=overdue)
    posthumous = (
        planning.posthumous_list(org.path, ceremony) if request.GET.get("posthumous") == "1" else []
    )
    in_subtree = visible(request.user, Badge).filter(member__branch_path__startswith=org.path)
    context = {
        "org": org,
        "ceremony": ceremony,
        "previous": planning.previous_ceremony(ceremony),
        "ceremonies": planning.upcoming_ceremonies(),
        "error": error,
        "overdue": overdue,
        "show_posthumous": request.GET.get("posthumous") == "1",
        "rows": rows,
        "total": total,
        "posthumous": posthumous,
        "badges": in_subtree.filter(ceremony_planned=ceremony)
        .select_related("member__branch")
        .order_by("-milestone", "member__sort_key"),
        "to_recover": in_subtree.filter(
            recover_due_on__isnull=False, recovered_on__isnull=True, annulled_at__isnull=True
        ).select_related("member"),
        "can_propose": can(request.user, Capability.MANAGE_MEMBERS, org.path),
        "today": timezone.localdate(),
    }
    return render(request, "badges/org.html", context)


def _badge(request, pk, capability=Capability.VIEW) -> Badge:
    badge = get_object_or_404(
        visible(request.user, Badge, capability).select_related("member__branch"), pk=pk
    )
    return badge


def _member_url(member) -> str:
    return reverse("members:detail", args=[member.pk])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def propose(request, member_pk):
    member = member_selectors.get_member(request.user, member_pk, Capability.MANAGE_MEMBERS)
    ceremony = planning.next_ceremony()
    age = party_age(member, ceremony)
    initial = {
        "ceremony": request.GET.get("ceremony") or ceremony,
        "milestone": request.GET.get("milestone"),
        "proposed_on": timezone.localdate(),
        "proposed_by": member.branch.name,
    }
    form = badge_forms.ProposeForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    consequences = [
        f"Tuổi đảng của {member.full_name} đến đợt trao {ceremony:%d/%m/%Y}: {age.label} "
        f"(tính từ {member.admitted_on:%d/%m/%Y}"
        + (f", trừ {age.gap_days} ngày ngoài Đảng" if age.gap_days else "")
        + ").",
        "Hồ sơ đề nghị được cấp trên thẩm định tuổi đảng, ra quyết định, ghi số huy hiệu và "
        "số giấy chứng nhận, rồi trao vào ngày kỷ niệm "
        f"{planning.ceremony_days_label(ceremony.year)}.",
        f"Trao sớm do ốm nặng: {planning.early_award_label(ceremony)}, có hồ sơ bệnh án "
        "(HD 01-HD/TW, mục 18).",
    ]
    return confirm_final_action(
        request,
        FinalAction(
            title=f"Đề nghị tặng Huy hiệu Đảng: {member.full_name}",
            back_url=_member_url(member),
            button="Ghi đề nghị",
            refused="Chưa ghi đề nghị",
            breadcrumb=[(_member_url(member), member.full_name)],
            form_id="badge-propose",
        ),
        form,
        perform=lambda data: services.propose(
            request.user,
            member,
            milestone=data["milestone"],
            ceremony=data["ceremony"],
            proposed_on=data["proposed_on"],
            proposed_by=data.get("proposed_by", ""),
            posthumous=data.get("posthumous", False),
            early=data.get("early", False),
            medical_note=data.get("medical_note", ""),
        ),
        done=f"Đã ghi đề nghị tặng Huy hiệu Đảng cho {member.full_name}.",
        consequences=lambda: consequences,
    )


@login_required
def detail(request, pk):
    badge = _badge(request, pk)
    member = badge.member
    upper = services._upper_path(member)
    context = {
        "badge": badge,
        "member": member,
        "steps": badge.steps.select_related("actor"),
        "can_upper": can(request.user, Capability.MANAGE_MEMBERS, upper),
        "can_branch": can(request.user, Capability.MANAGE_MEMBERS, member.branch_path),
        "next_action": NEXT_ACTION.get(badge.stage),
    }
    return render(request, "badges/detail.html", context)


NEXT_ACTION = {
    Stage.PROPOSED: ("check", "Thẩm định tuổi đảng"),
    Stage.CHECKED: ("decide", "Ghi quyết định tặng"),
    Stage.DECIDED: ("number", "Ghi số huy hiệu, số giấy chứng nhận"),
    Stage.NUMBERED: ("award", "Ghi ngày trao"),
}

# action → (form, title, button, service call(user, badge, data), done)
ACTIONS = {
    "check": (
        badge_forms.CheckForm,
        "Thẩm định tuổi đảng",
        lambda u, b, d: services.check(
            u, b, on=d["on"], note=d.get("note", ""), expected_version=d["version"]
        ),
        "Đã ghi thẩm định.",
    ),
    "decide": (
        badge_forms.DecideForm,
        "Quyết định tặng Huy hiệu Đảng",
        lambda u, b, d: services.decide(
            u, b, number=d["number"], on=d["on"], body=d["body"], expected_version=d["version"]
        ),
        "Đã ghi quyết định.",
    ),
    "number": (
        badge_forms.NumberForm,
        "Số Huy hiệu Đảng, số giấy chứng nhận",
        lambda u, b, d: services.set_numbers(
            u,
            b,
            badge_number=d["badge_number"],
            certificate_number=d["certificate_number"],
            expected_version=d["version"],
        ),
        "Đã ghi số huy hiệu.",
    ),
    "award": (
        badge_forms.AwardForm,
        "Trao Huy hiệu Đảng",
        lambda u, b, d: services.award(u, b, on=d["on"], expected_version=d["version"]),
        "Đã ghi ngày trao.",
    ),
    "undo": (
        badge_forms.ReasonForm,
        "Hủy bước ghi nhầm",
        lambda u, b, d: services.undo_step(u, b, d["reason"], expected_version=d["version"]),
        "Đã hủy bước ghi nhầm.",
    ),
    "annul": (
        badge_forms.ReasonForm,
        "Hủy hồ sơ Huy hiệu Đảng",
        lambda u, b, d: services.annul(u, b, d["reason"], expected_version=d["version"]),
        "Đã hủy hồ sơ.",
    ),
    "reissue": (
        badge_forms.ReissueForm,
        "Cấp lại Huy hiệu Đảng bị mất",
        lambda u, b, d: services.reissue(
            u,
            b,
            badge_number=d["badge_number"],
            on=d["on"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
        "Đã ghi cấp lại huy hiệu.",
    ),
    "recover": (
        badge_forms.RecoverForm,
        "Thu hồi Huy hiệu Đảng",
        lambda u, b, d: services.recover(
            u, b, on=d["on"], note=d.get("note", ""), expected_version=d["version"]
        ),
        "Đã ghi thu hồi huy hiệu.",
    ),
}

CONSEQUENCES = {
    "check": "Tuổi đảng được tính lại theo hồ sơ (ngày vào Đảng, trừ thời gian ngoài Đảng).",
    "decide": "Huy hiệu được quyết định tặng; bước tiếp theo là ghi số huy hiệu.",
    "number": "Số huy hiệu và số giấy chứng nhận được ghi (số huy hiệu không trùng).",
    "award": "Huy hiệu được ghi là đã trao vào ngày này.",
    "undo": "Hồ sơ trở lại bước trước; những gì bước này đã ghi được giữ trong lịch sử.",
    "annul": "Hồ sơ bị hủy (vẫn được giữ cùng lý do); đảng viên lại có tên trong danh sách "
    "đủ điều kiện nếu vẫn đủ điều kiện.",
    "reissue": "Số huy hiệu mới thay số cũ; số cũ được giữ trong các bước của hồ sơ.",
    "recover": "Ghi ngày thu hồi huy hiệu của người đã ra khỏi Đảng.",
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def step(request, pk, action):
    if action not in ACTIONS:
        raise Http404("Không có thao tác này.")
    badge = _badge(request, pk, Capability.MANAGE_MEMBERS)
    form_class, title, call, done = ACTIONS[action]
    initial = {"on": timezone.localdate(), "version": versions.token(badge)}
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    detail_url = reverse("badges:detail", args=[badge.pk])
    return confirm_final_action(
        request,
        FinalAction(
            title=f"{title}: {badge.title}, {badge.member.full_name}",
            back_url=detail_url,
            button=f"Xác nhận: {title.lower()}",
            refused="Chưa ghi",
            breadcrumb=[
                (_member_url(badge.member), badge.member.full_name),
                (detail_url, badge.title),
            ],
            form_id=f"badge-{action}",
        ),
        form,
        perform=lambda data: call(request.user, badge, data),
        done=done,
        consequences=lambda: [CONSEQUENCES[action]],
    )


@login_required
def index(request):
    """The badge list of the top organisation of the user's scope."""
    from django.shortcuts import redirect

    from dangvien.organizations.selectors import scope_roots

    org = scope_roots(request.user).order_by("sort_key").first()
    if org is None:
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return redirect("badges:org", code=org.code)
