"""Pages of probation: the probationary members with their reminders, and a member's recognition
procedure (or striking off, confirmed on its own page and annulled with a reason), with the
admission ceremony's date the probation runs from.

Views parse input and call one service; a refusal of scope is a 403, any other refusal an error
on the form, the page sent back with status 400 (domain-rules §2.4, §2.6)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from dangvien.admissions.models import RecognitionStepKind, StepOutcome
from dangvien.admissions.probation import selectors, services
from dangvien.admissions.probation.forms import (
    RECORDABLE,
    CeremonyDateForm,
    ProbationDecisionForm,
    RecognitionStepForm,
)
from dangvien.admissions.probation.services import probation_end, strike_off_basis
from dangvien.admissions.rules import vote_share_label
from dangvien.admissions.shared.selectors import get_member
from dangvien.admissions.shared.services import step_version
from dangvien.admissions.shared.views import PAGE_SIZE, require_on_member
from dangvien.core import versions
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.forms import ReasonForm, attempt
from dangvien.core.pages import require_any
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import can
from dangvien.members.models import Status
from dangvien.training.selectors import new_member_class

STRIKE_OFF_REASON = "Lý do không công nhận"

# The probation list's columns and the order each heading sorts by (None: it does not sort).
PROBATION_COLUMNS = [
    ("Họ và tên", "name"),
    ("Chi bộ", "branch"),
    ("Ngày vào Đảng", "admitted"),
    ("Lễ kết nạp", "ceremony"),
    ("Hết dự bị", "end"),
    ("Hạn xét", None),
    ("Tình trạng xét", None),
    ("Nhắc việc", None),
]


@login_required
def probation_list(request):
    require_any(request.user, Capability.VIEW)
    filters = selectors.ProbationFilters.from_query(request.GET)
    queryset = selectors.probationary_members(request.user, filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "choices": selectors.PROBATION_FILTERS.items(),
        "summary": selectors.probation_summary(request.user, filters.org),
        "page": page,
        "rows": selectors.probation_rows(page.object_list),
        "headings": selectors.PROBATION_SORTING.headings(
            request.GET, filters.sort, PROBATION_COLUMNS
        ),
        # What the summary's links keep: the organisation and the order.
        "kept": urlencode([(k, v) for k, v in (("org", filters.org), ("sort", filters.sort)) if v]),
    }
    return render(request, "admissions/probation_list.html", context)


def _step_form(request, member, kind, bound):
    if kind in bound:
        return bound[kind]
    initial = {"version": step_version(member, "probation.step", kind)}
    return RecognitionStepForm(kind=kind, user=request.user, initial=initial)


def _probation_page(request, member, bound=None):
    """The checklist with a form for each step the user may record; a form sent back with a
    refusal keeps its input and the page answers 400."""
    bound = bound or {}
    review = selectors.probation_review(member)
    can_manage = can(request.user, Capability.MANAGE_MEMBERS, member.branch_path)
    can_decide = can(request.user, Capability.MANAGE_ORGS, member.branch_path)
    open_review = member.status == Status.PROBATIONARY
    for row in review.recognition + review.strike_off:
        allowed = can_decide if row.committee else can_manage
        if open_review and allowed and row.can_record:
            row.form = _step_form(request, member, row.kind, bound)
    shown = {row.kind for row in review.recognition + review.strike_off if row.form is not None}
    for kind, form in bound.items():
        if kind in RECORDABLE and kind not in shown:
            # The step can no longer be recorded here (a vote that passed): say why on the page.
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    decide = open_review and can_decide
    recognise_form = None
    if decide:
        recognise_form = bound.get("recognise") or ProbationDecisionForm(
            prefix="recognise", user=request.user
        )
    ceremony_file = selectors.ceremony_on_file(member)
    ceremony_form = bound.get("ceremony")  # sent back refused: shown with its input
    if ceremony_form is None and open_review and can_manage and not ceremony_file.awaiting:
        ceremony_form = CeremonyDateForm(
            correcting=member.ceremony_on is not None,
            initial={"version": versions.token(member)},
        )
    context = {
        "member": member,
        "review": review,
        "can_manage": can_manage,
        "can_decide": can_decide,
        "recognise_form": recognise_form,
        "can_strike_off": decide,
        "can_annul": can_decide
        and member.status == Status.REMOVED
        and review.steps.get("strike_off") is not None,
        "ceremony_form": ceremony_form,
        "ceremony_file": ceremony_file,
        "history": selectors.review_history(member),
        # The new-member class certificate, from the training records (rule set of today).
        "new_member_class": new_member_class(member, review.on),
        # The step's form sent back, shown in its row: the «Chưa lưu» banner reads it too.
        "sent_forms": [form for kind, form in bound.items() if kind in shown],
    }
    refused = any(form.is_bound and form.errors for form in bound.values())
    return render(
        request, "admissions/probation_member.html", context, status=400 if refused else 200
    )


@login_required
def probation_member(request, member_pk):
    member = get_member(request.user, member_pk)
    return _probation_page(request, member)


def _vote_message(request, step) -> None:
    rules = RuleBook.load()
    limit = rules.value("vote_attempts_before_upper_level", step.done_on)
    share = vote_share_label(step.done_on, rules)
    text = (
        f"{step.get_kind_display()}: biểu quyết lần {step.attempts} chưa đạt {share} "
        f"({step.votes_for}/{step.votes_total} tán thành), kết quả được ghi là không đạt."
    )
    if step.attempts >= limit:
        text += (
            f" Đã {step.attempts} lần biểu quyết không đạt {share}: báo cáo cấp trên xem xét, "
            "quyết định."
        )
    else:
        text += f" Sau {limit} lần không đạt, cấp trên xem xét, quyết định."
    messages.warning(request, text)


@login_required
@require_POST
def probation_step(request, member_pk):
    member = get_member(request.user, member_pk)
    kind = request.POST.get("kind", "")
    if kind not in RECORDABLE:
        require_on_member(request.user, Capability.MANAGE_MEMBERS, member)
        messages.error(request, "Bước xét công nhận không hợp lệ.")
        return redirect("admissions:probation-member", member_pk=member.pk)
    capability = (
        Capability.MANAGE_ORGS
        if kind == RecognitionStepKind.COMMITTEE_VOTE
        else Capability.MANAGE_MEMBERS
    )
    require_on_member(request.user, capability, member)
    form = RecognitionStepForm(request.POST, kind=kind, user=request.user)
    if form.is_valid():
        step = attempt(
            form,
            lambda: services.record_recognition_step(request.user, member, kind, **form.values()),
        )
        if step is not None:
            if step.outcome == StepOutcome.FAILED:
                _vote_message(request, step)
            else:
                messages.success(request, f"Đã ghi: {step.get_kind_display()}.")
            return redirect("admissions:probation-member", member_pk=member.pk)
    return _probation_page(request, member, {kind: form})


def _decide(request, member_pk, prefix: str, decide, success, **form_kwargs):
    """Record the decision ending probation with `decide` (one service) and say `success(member)`,
    or show the page again with the decision form's errors (status 400)."""
    member = get_member(request.user, member_pk)
    require_on_member(request.user, Capability.MANAGE_ORGS, member)
    form = ProbationDecisionForm(request.POST, prefix=prefix, user=request.user, **form_kwargs)
    if form.is_valid():
        done = attempt(form, lambda: decide(request.user, member, form.decision()))
        if done is not None:
            messages.success(request, success(done))
            return redirect("admissions:probation-member", member_pk=member.pk)
    return _probation_page(request, member, {prefix: form})


@login_required
@require_POST
def probation_recognise(request, member_pk):
    return _decide(
        request,
        member_pk,
        "recognise",
        services.recognise,
        lambda done: (
            f"Đã công nhận {done.full_name} là đảng viên chính thức từ {done.official_on:%d/%m/%Y}."
        ),
    )


@login_required
@require_POST
def probation_ceremony(request, member_pk):
    """Record the ceremony date of a record without one, or correct it with a reason: the
    probation's end follows."""
    member = get_member(request.user, member_pk)
    require_on_member(request.user, Capability.MANAGE_MEMBERS, member)
    before = member.ceremony_on
    form = CeremonyDateForm(request.POST, correcting=before is not None)
    if form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: services.correct_ceremony(
                request.user,
                member,
                on=data["ceremony_on"],
                reason=data["reason"],
                expected_version=data["version"],
            ),
        )
        if done is not None:
            was = f" (trước đây {before:%d/%m/%Y})" if before else ""
            messages.success(
                request,
                f"Đã ghi ngày lễ kết nạp {done.ceremony_on:%d/%m/%Y}{was}: thời gian dự bị "
                f"hết ngày {probation_end(done):%d/%m/%Y}.",
            )
            return redirect("admissions:probation-member", member_pk=member.pk)
    return _probation_page(request, member, {"ceremony": form})


def _review_action(member, *, title: str, button: str, refused: str) -> FinalAction:
    review_url = reverse("admissions:probation-member", args=[member.pk])
    return FinalAction(
        title=f"{title}: {member.full_name}",
        back_url=review_url,
        button=button,
        refused=refused,
        breadcrumb=[
            (reverse("admissions:probation"), "Đảng viên dự bị"),
            (review_url, member.full_name),
        ],
        form_id="review-action",
    )


@login_required
@require_http_methods(["GET", "POST"])
def probation_strike_off(request, member_pk):
    """The decision not recognising the member, who is struck off: a page that says what
    changes, the decision and its required reason; annulled with a reason if recorded by
    mistake."""
    member = get_member(request.user, member_pk)
    require_on_member(request.user, Capability.MANAGE_ORGS, member)
    if member.status != Status.PROBATIONARY:
        messages.info(request, f"{member.full_name} không còn là đảng viên dự bị.")
        return redirect("admissions:probation-member", member_pk=member.pk)
    form = ProbationDecisionForm(
        request.POST if request.method == "POST" else None,
        prefix="strike_off",
        user=request.user,
        reason_label=STRIKE_OFF_REASON,
    )
    page = _review_action(
        member,
        title="Không công nhận đảng viên chính thức, xóa tên",
        button="Xác nhận xóa tên",
        refused="Chưa xóa tên",
    )
    return confirm_final_action(
        request,
        page,
        form,
        perform=lambda _data: services.not_recognise(request.user, member, form.decision()),
        done=f"Đã ghi quyết định không công nhận chính thức, xóa tên {member.full_name}.",
        consequences=lambda: _strike_off_consequences(member),
        reason_required=lambda: True,
    )


def _strike_off_consequences(member) -> list[str]:
    basis = strike_off_basis(member)
    branch = member.branch.name
    return [
        f"{member.full_name} bị xóa tên từ ngày ký quyết định: hồ sơ chuyển sang «Xóa tên», "
        f"không còn trong danh sách và số liệu đảng viên đang sinh hoạt của {branch}.",
        f"Sinh hoạt đảng tại {branch} kết thúc từ ngày đó; hồ sơ, các bước xét đã ghi và lịch "
        "sử vẫn được giữ.",
        f"Căn cứ: {basis}."
        if basis
        else "Chưa có căn cứ: cần nghị quyết chi bộ đề nghị không công nhận (đạt 2/3), hoặc chi "
        "bộ đã biểu quyết 3 lần không đạt để cấp trên quyết định.",
        "Nếu ghi nhầm, cấp ủy có thể hủy quyết định xóa tên (có lý do) trên trang xét công nhận "
        "của đảng viên.",
    ]


@login_required
@require_http_methods(["GET", "POST"])
def probation_strike_off_annul(request, member_pk):
    """Annul the decision striking the member off: probationary again, with a reason."""
    member = get_member(request.user, member_pk)
    require_on_member(request.user, Capability.MANAGE_ORGS, member)
    decision = member.recognition_steps.filter(kind="strike_off").first()
    if member.status != Status.REMOVED or decision is None:
        messages.info(request, f"{member.full_name} không có quyết định xóa tên để hủy.")
        return redirect("admissions:probation-member", member_pk=member.pk)
    page = _review_action(
        member,
        title="Hủy quyết định xóa tên",
        button="Xác nhận hủy quyết định",
        refused="Chưa hủy quyết định xóa tên",
    )
    number = f" số {decision.document_number}" if decision.document_number else ""
    return confirm_final_action(
        request,
        page,
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: services.annul_strike_off(request.user, member, reason=data["reason"]),
        done=f"Đã hủy quyết định xóa tên: {member.full_name} là đảng viên dự bị trở lại.",
        consequences=lambda: [
            f"{member.full_name} là đảng viên dự bị của {member.branch.name} trở lại; ngày ra "
            f"khỏi Đảng ({member.left_on:%d/%m/%Y}) được xóa, sinh hoạt tại chi bộ tiếp tục.",
            f"Quyết định xóa tên{number} ngày {decision.done_on:%d/%m/%Y} được ghi là đã hủy "
            "trong lịch sử, cùng lý do; các nghị quyết chi bộ đã ghi vẫn giữ.",
            f"Việc xét công nhận chính thức tiếp tục: thời gian dự bị hết ngày "
            f"{probation_end(member):%d/%m/%Y}.",
        ],
        reason_required=lambda: True,
    )
