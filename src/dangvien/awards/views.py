"""The award pages: a subtree's awards filtered by year, form and level (and its xlsx), the
forms to record, correct and annul an award, the candidates of a proposal built from the
grades, the proposals and the decision on one (HD 21-HD/BTCTW)."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.awards import selectors, services
from dangvien.awards.exports import HEADERS, award_rows
from dangvien.awards.forms import (
    AwardCorrectionForm,
    AwardRecordForm,
    DecisionForm,
    ProposalForm,
    VersionedReasonForm,
    award_initial,
    proposal_initial,
)
from dangvien.awards.models import AwardForm, AwardLevel, Basis, EntryStatus, ProposalStatus
from dangvien.core import versions
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.forms import ReasonForm, attempt
from dangvien.core.roles import Capability
from dangvien.core.scope import can
from dangvien.core.workbooks import XLSX_TYPE, escape_formula
from dangvien.meetings.views import year_asked
from dangvien.members.selectors import get_member
from dangvien.organizations.selectors import get_org, scope_roots

PAGE_SIZE = 50


def _found(read, view_read):
    """The record `read()` finds with the capability asked; one the user only sees is a 403,
    one outside the scope a 404."""
    try:
        return read()
    except ObjectDoesNotExist:
        try:
            view_read()
        except ObjectDoesNotExist:
            raise Http404("Không tìm thấy trong phạm vi của bạn.") from None
        raise PermissionDenied("Bạn chỉ được xem, không được thay đổi.") from None


def _award(request, pk, capability=Capability.MANAGE_ORGS):
    return _found(
        lambda: selectors.get_award(request.user, pk, capability),
        lambda: selectors.get_award(request.user, pk, Capability.VIEW),
    )


def _proposal(request, pk, capability):
    return _found(
        lambda: selectors.get_proposal(request.user, pk, capability),
        lambda: selectors.get_proposal(request.user, pk, Capability.VIEW),
    )


@login_required
@require_safe
def index(request):
    org = scope_roots(request.user).order_by("sort_key").first()
    if org is None:
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return redirect("awards:list", code=org.code)


@login_required
@require_safe
def award_list(request, code):
    org = get_org(request.user, code)
    filters = selectors.AwardFilters.parse(request.GET)
    rows = selectors.awards_below(request.user, org, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "org": org,
        "page": page,
        "filters": filters,
        "counts": selectors.award_counts(request.user, org, filters),
        "forms": AwardForm.choices,
        "levels": AwardLevel.choices,
        "query": request.GET.urlencode(),
        "can_manage": can(request.user, Capability.MANAGE_ORGS, org.path),
        "can_propose": can(request.user, Capability.MANAGE_MEMBERS, org.path),
    }
    return render(request, "awards/list.html", context)


@login_required
@require_safe
def export(request, code):
    """The list as filtered, in a workbook (cells escaped: never a formula)."""
    from openpyxl import Workbook

    org = get_org(request.user, code)
    filters = selectors.AwardFilters.parse(request.GET)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Khen thưởng")
    sheet.append(HEADERS)
    for row in award_rows(selectors.awards_below(request.user, org, filters).iterator()):
        sheet.append([escape_formula(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    name = f"khen-thuong-{org.code}.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX_TYPE)


def _form_page(request, form, title, back, subject_name):
    context = {"form": form, "title": title, "back": back, "subject_name": subject_name}
    return render(request, "awards/form.html", context, status=400 if form.errors else 200)


def _record(request, subject, back, name):
    form = AwardRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        award = attempt(
            form, lambda: services.record_award(request.user, subject, form.data_object())
        )
        if award is not None:
            messages.success(request, f"Đã ghi khen thưởng: {award}.")
            return redirect(back)
    return _form_page(request, form, f"Ghi khen thưởng: {name}", back, name)


@login_required
@require_http_methods(["GET", "POST"])
def org_award_new(request, code):
    org = get_org(request.user, code, Capability.MANAGE_ORGS)
    return _record(request, org, reverse("organizations:detail", args=[org.code]), org.name)


@login_required
@require_http_methods(["GET", "POST"])
def member_award_new(request, pk):
    member = get_member(request.user, pk, Capability.MANAGE_ORGS)
    back = reverse("members:detail", args=[member.pk])
    return _record(request, member, back, member.full_name)


def _subject_url(award) -> str:
    if award.member_id:
        return reverse("members:detail", args=[award.member_id])
    return reverse("organizations:detail", args=[award.organization.code])


@login_required
@require_http_methods(["GET", "POST"])
def award_correct(request, pk):
    award = _award(request, pk)
    if award.annulled_at is not None:
        raise Http404("Khen thưởng đã bị hủy.")
    form = AwardCorrectionForm(request.POST or None, initial=award_initial(award))
    back = _subject_url(award)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.correct_award(
                request.user,
                award,
                form.data_object(),
                reason=data["correction_reason"],
                expected_version=data["version"],
            ),
        )
        if done is not None:
            messages.success(request, "Đã sửa khen thưởng.")
            return redirect(back)
    name = str(award.subject)
    return _form_page(request, form, f"Sửa khen thưởng: {name}", back, name)


@login_required
@require_http_methods(["GET", "POST"])
def award_annul(request, pk):
    award = _award(request, pk)
    back = _subject_url(award)
    page = FinalAction(
        title=f"Hủy khen thưởng: {award.subject}, {award}",
        back_url=back,
        button="Xác nhận hủy khen thưởng",
        refused="Chưa hủy",
        form_id="award-annul",
    )
    return confirm_final_action(
        request,
        page,
        VersionedReasonForm(request.POST or None, initial={"version": versions.token(award)}),
        perform=lambda data: services.annul_award(
            request.user, award, reason=data["reason"], expected_version=data["version"]
        ),
        done="Đã hủy khen thưởng.",
        consequences=lambda: [
            f"Khen thưởng theo quyết định số {award.decision_number} ngày "
            f"{award.decided_on:%d/%m/%Y} không còn được tính trong danh sách, thống kê và hồ sơ.",
            "Khen thưởng vẫn được giữ lại cùng lý do hủy, người hủy và thời điểm.",
        ],
        reason_required=lambda: True,
    )


# -- Proposals -------------------------------------------------------------------------------


def _basis_asked(request) -> str:
    basis = request.GET.get("basis", "")
    return basis if basis in Basis.values else Basis.STREAK


@login_required
@require_http_methods(["GET", "POST"])
def candidates(request, code):
    """The candidates of a year and basis, verified; officers and the branch's secretary
    choose some and propose them."""
    org = get_org(request.user, code)
    today = timezone.localdate()
    year, year_error = year_asked(request)
    if year > today.year:
        year, year_error = today.year, f"Năm {year} chưa đến."
    if "year" not in request.GET and not year_error:
        year = today.year - 1  # the last year whose grades are normally final
    basis = _basis_asked(request)
    can_propose = can(request.user, Capability.MANAGE_MEMBERS, org.path)
    found = selectors.candidates(request.user, org, year, basis)
    kind = "org" if found.organizations and not found.members else "member"
    form = ProposalForm(
        request.POST or None,
        initial=proposal_initial(basis, year, year - found.first_year + 1, kind),
    )
    chosen = request.POST.getlist("chosen")
    if request.method == "POST":
        if not can_propose:
            raise PermissionDenied("Bạn chỉ được xem danh sách, không được lập đề nghị.")
        if form.is_valid():
            proposal = attempt(
                form,
                lambda: services.create_proposal(
                    request.user, org, year, basis, form.plan(), chosen
                ),
            )
            if proposal is not None:
                messages.success(request, f"Đã lập đề nghị khen thưởng: {proposal.title}.")
                return redirect("awards:proposal", pk=proposal.pk)
    context = {
        "org": org,
        "year": year,
        "year_error": year_error,
        "basis": basis,
        "bases": Basis.choices,
        "found": found,
        "form": form,
        "chosen": set(chosen),
        "can_propose": can_propose,
        "limit": selectors.CANDIDATE_LIMIT,
    }
    return render(request, "awards/candidates.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def proposals(request, code):
    org = get_org(request.user, code)
    rows = selectors.proposals_below(request.user, org)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "awards/proposals.html", {"org": org, "page": page})


@login_required
@require_safe
def proposal_detail(request, pk):
    proposal = _proposal(request, pk, Capability.VIEW)
    is_open = proposal.status == ProposalStatus.PROPOSED
    context = {
        "proposal": proposal,
        "entries": selectors.entries_of(proposal),
        "can_propose": is_open and can(request.user, Capability.MANAGE_MEMBERS, proposal.org_path),
        "can_decide": is_open and can(request.user, Capability.MANAGE_ORGS, proposal.org_path),
        "proposed": EntryStatus.PROPOSED,
    }
    return render(request, "awards/proposal.html", context)


def _proposal_page(proposal, title: str, button: str, refused: str, form_id: str) -> FinalAction:
    back = reverse("awards:proposal", args=[proposal.pk])
    return FinalAction(
        title=f"{title}: {proposal.title}",
        back_url=back,
        button=button,
        refused=refused,
        breadcrumb=[(back, f"Đề nghị khen thưởng năm {proposal.year}")],
        form_id=form_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_decide(request, pk):
    proposal = _proposal(request, pk, Capability.MANAGE_ORGS)
    remaining = proposal.entries.filter(status=EntryStatus.PROPOSED).count()
    return confirm_final_action(
        request,
        _proposal_page(
            proposal,
            "Ghi quyết định khen thưởng",
            "Xác nhận ghi quyết định",
            "Chưa ghi quyết định",
            "proposal-decide",
        ),
        DecisionForm(request.POST or None, initial={"version": versions.token(proposal)}),
        perform=lambda data: services.decide_proposal(
            request.user,
            proposal,
            services.Decision(data["decision_number"], data["decided_on"], data["deciding_body"]),
            expected_version=data["version"],
        ),
        done="Đã ghi quyết định và khen thưởng cho từng đối tượng trong danh sách.",
        consequences=lambda: [
            f"Ghi khen thưởng «{proposal.title}» ({proposal.get_form_display()}, "
            f"{proposal.level_label}) cho {remaining} tổ chức, đảng viên còn trong danh "
            "sách đề nghị; mỗi khen thưởng hiện trên hồ sơ đảng viên, trang tổ chức.",
            "Đề nghị chuyển sang «Đã có quyết định»: không thêm, bớt danh sách được nữa. Khen "
            "thưởng ghi sai được sửa hoặc hủy từng cái, có lý do.",
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request, pk):
    proposal = _proposal(request, pk, Capability.MANAGE_MEMBERS)
    return confirm_final_action(
        request,
        _proposal_page(
            proposal,
            "Rút đề nghị khen thưởng",
            "Xác nhận rút đề nghị",
            "Chưa rút",
            "proposal-withdraw",
        ),
        VersionedReasonForm(request.POST or None, initial={"version": versions.token(proposal)}),
        perform=lambda data: services.withdraw_proposal(
            request.user, proposal, reason=data["reason"], expected_version=data["version"]
        ),
        done="Đã rút đề nghị khen thưởng.",
        consequences=lambda: [
            "Đề nghị và danh sách được giữ lại, đánh dấu «Đã rút», cùng lý do; những người, tổ "
            "chức trong danh sách có thể được đề nghị lại.",
        ],
        reason_required=lambda: True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_reject(request, pk):
    entry = _found(
        lambda: selectors.get_entry(request.user, pk, Capability.MANAGE_MEMBERS),
        lambda: selectors.get_entry(request.user, pk, Capability.VIEW),
    )
    return confirm_final_action(
        request,
        _proposal_page(
            entry.proposal,
            f"Không đề nghị {entry.subject}",
            "Xác nhận không đề nghị",
            "Chưa bỏ khỏi danh sách",
            "entry-reject",
        ),
        ReasonForm(request.POST or None),
        perform=lambda data: services.reject_entry(request.user, entry, reason=data["reason"]),
        done=f"Đã bỏ {entry.subject} khỏi danh sách đề nghị.",
        consequences=lambda: [
            f"{entry.subject} không được khen thưởng theo đề nghị này; vẫn hiện trong danh sách "
            "với lý do không đề nghị.",
        ],
        reason_required=lambda: True,
    )
