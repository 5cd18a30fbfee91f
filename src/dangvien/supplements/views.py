"""Pages of the annual record supplement: rounds and their progress for officers, the branch's
queue for secretaries, and the member's own supplement form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from dangvien.core import versions
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.forms import ReasonForm
from dangvien.core.pages import back, require_any
from dangvien.core.queryparams import object_pk, query_int, query_option
from dangvien.core.roles import Capability
from dangvien.core.scope import can, scope_of
from dangvien.core.vntext import number
from dangvien.members.selectors import get_member, own_record
from dangvien.supplements import selectors, services
from dangvien.supplements.forms import OpenRoundForm, ProposalForm
from dangvien.supplements.models import PROPOSABLE_FIELDS, ProposalStatus, field_label
from dangvien.supplements.rules import may_approve

MEMBERS_PER_PAGE = 25
PROPOSALS_PER_PAGE = 20


def _run(request, action, success: str) -> None:
    """Call one service; a refusal of scope is a 403, any other refusal a message on the page."""
    try:
        action()
    except ScopeDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


# The pages' tables and the order each heading sorts by (None: it does not sort).
ROUND_COLUMNS = [
    ("Năm", "year"),
    ("Tổ chức", "org"),
    ("Hạn nộp", "deadline"),
    ("Trạng thái", "state"),
    ("Đảng viên", "members", "num"),
    ("Đã nộp", "submitted", "num"),
    ("Tỷ lệ", "share", "num"),
]
PROGRESS_COLUMNS = [
    ("Tổ chức", "name"),
    ("Đảng viên", "members", "num"),
    ("Đã nộp", "submitted", "num"),
    ("Chi bộ đã xác nhận", "confirmed", "num"),
    ("Đã duyệt", "approved", "num"),
    ("Tỷ lệ đã nộp", "share", "num"),
]
NOT_SUBMITTED_COLUMNS = [
    ("Họ và tên", "name"),
    ("Mã đảng viên", "code"),
    ("Chi bộ", "branch"),
    ("Tình trạng phiếu", "state"),
]


@login_required
def index(request):
    require_any(request.user, Capability.VIEW)
    sort = selectors.ROUND_SORTING.read(request.GET)
    rounds = Paginator(
        selectors.rounds_with_progress(selectors.visible_rounds(request.user), sort), 20
    )
    applicable = (
        selectors.applicable_rounds(request.user).filter(closed_at__isnull=True)
        if scope_of(request.user).any(Capability.MANAGE_MEMBERS)
        else []
    )
    context = {
        "rounds": rounds.get_page(request.GET.get("page")),
        "headings": selectors.ROUND_SORTING.headings(request.GET, sort, ROUND_COLUMNS),
        "applicable": applicable,
        "can_open": scope_of(request.user).any(Capability.MANAGE_MEMBERS),
    }
    return render(request, "supplements/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def open_round(request):
    require_any(request.user, Capability.MANAGE_MEMBERS)
    form = OpenRoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        opened = form.apply(
            lambda: services.open_round(
                request.user, data["organization"], data["year"], data["deadline"]
            )
        )
        if opened is not None:
            messages.success(request, f"Đã mở đợt bổ sung hồ sơ năm {opened.year}.")
            return redirect("supplements:round", pk=opened.pk)
    context = {"form": form, "parent_choices": selectors.org_choices(request.user)}
    return render(request, "supplements/open.html", context, status=400 if form.errors else 200)


@login_required
def round_detail(request, pk):
    """The officer's dashboard: progress per organisation below, who has not submitted, and the
    proposals confirmed by branches awaiting approval."""
    supplement_round = selectors.get_round(request.user, pk)
    org = selectors.org_in_round(request.user, supplement_round, request.GET.get("org", ""))
    by_org = selectors.PROGRESS_SORTING.read(request.GET)
    sort = selectors.NOT_SUBMITTED_SORTING.read(request.GET)
    total, rows = selectors.progress(request.user, supplement_round, org, by_org)
    missing = Paginator(
        selectors.not_submitted(request.user, supplement_round, org.path, sort=sort),
        MEMBERS_PER_PAGE,
    )
    approvals = Paginator(
        selectors.awaiting_approval(request.user, supplement_round, org), PROPOSALS_PER_PAGE
    ).get_page(request.GET.get("apage"))
    context = {
        "round": supplement_round,
        "org": org,
        "breadcrumb": selectors.breadcrumb(request.user, supplement_round, org),
        "total": total,
        "rows": rows,
        "progress_headings": selectors.PROGRESS_SORTING.headings(
            request.GET, by_org, PROGRESS_COLUMNS, reset=()
        ),
        "missing": missing.get_page(request.GET.get("page")),
        "missing_headings": _missing_headings(request, sort),
        "approvals": approvals,
        "cards": selectors.cards(request.user, approvals),
        "can_manage_round": can(request.user, Capability.MANAGE_MEMBERS, supplement_round.org_path),
        "can_mark_paper": supplement_round.is_open
        and can(request.user, Capability.MANAGE_MEMBERS, org.path),
    }
    return render(request, "supplements/round.html", context)


REACHED_COLUMNS = [
    ("Họ và tên", "name"),
    ("Mã đảng viên", "code"),
    ("Chi bộ", "branch"),
    ("Trạng thái phiếu", "status"),
    ("Gửi lúc", "submitted"),
    ("Duyệt lúc", "approved"),
]


def _reached_page(request, supplement_round, path: str, capability: str, context: dict):
    """The members of one figure of the round (submitted, confirmed by the branch, approved):
    paged, sorted on the server; the figure's count is the list's."""
    state = query_option(request.GET, "state", selectors.REACHED, label="Danh sách") or "submitted"
    label, states = selectors.REACHED[state]
    sort = selectors.REACHED_SORTING.read(request.GET)
    found = Paginator(
        selectors.reached(request.user, supplement_round, path, states, capability, sort),
        PROPOSALS_PER_PAGE,
    )
    context.update(
        round=supplement_round,
        state=state,
        label=label,
        states=[(key, text) for key, (text, _states) in selectors.REACHED.items()],
        proposals=found.get_page(request.GET.get("page")),
        headings=selectors.REACHED_SORTING.headings(request.GET, sort, REACHED_COLUMNS),
    )
    return render(request, "supplements/reached.html", context)


@login_required
def reached(request, pk):
    """A figure of the round's page, as its list of members (below the organisation shown)."""
    supplement_round = selectors.get_round(request.user, pk)
    org = selectors.org_in_round(request.user, supplement_round, request.GET.get("org", ""))
    back = f"{reverse('supplements:round', args=[pk])}?{urlencode({'org': org.code})}"
    context = {
        "org": org,
        "back": (back, f"Bổ sung hồ sơ năm {supplement_round.year} – {org.name}"),
    }
    return _reached_page(request, supplement_round, org.path, Capability.VIEW, context)


@login_required
def branch_reached(request):
    """A figure of the branch's queue page, as its list (the members the user manages)."""
    require_any(request.user, Capability.MANAGE_MEMBERS)
    chosen = query_int(request.GET, "round", label="Đợt bổ sung")
    if chosen is None:
        return redirect("supplements:branch")
    supplement_round = selectors.get_applicable_round(request.user, chosen)
    back = f"{reverse('supplements:branch')}?round={supplement_round.pk}"
    context = {"org": None, "back": (back, "Phiếu bổ sung chờ chi bộ xác nhận")}
    return _reached_page(
        request, supplement_round, supplement_round.org_path, Capability.MANAGE_MEMBERS, context
    )


def _missing_headings(request, sort: str) -> list:
    return selectors.NOT_SUBMITTED_SORTING.headings(request.GET, sort, NOT_SUBMITTED_COLUMNS)


def _round_action(request, pk, *, closing: bool):
    """End or reopen a round: a page that says what the action changes and asks for the reason
    (required to reopen), then the action."""
    supplement_round = selectors.get_round(request.user, pk)
    if not can(request.user, Capability.MANAGE_MEMBERS, supplement_round.org_path):
        raise PermissionDenied("Chỉ cán bộ cấp mở đợt được kết thúc hoặc mở lại đợt.")
    year, name = supplement_round.year, supplement_round.organization.name
    if supplement_round.is_open != closing:
        state = "đã kết thúc" if closing else "đang mở"
        messages.info(request, f"Đợt bổ sung hồ sơ năm {year} {state}.")
        return redirect("supplements:round", pk=supplement_round.pk)
    verb = "kết thúc" if closing else "mở lại"
    action = services.close_round if closing else services.reopen_round
    round_url = reverse("supplements:round", args=[supplement_round.pk])
    page = FinalAction(
        title=f"{verb.capitalize()} đợt bổ sung hồ sơ năm {year}: {name}",
        back_url=round_url,
        button=f"Xác nhận {verb} đợt",
        refused=f"Chưa {verb} đợt",
        breadcrumb=[
            (reverse("supplements:index"), "Bổ sung hồ sơ đảng viên hằng năm"),
            (round_url, f"Bổ sung hồ sơ năm {year} – {name}"),
        ],
        form_id="round-action",
    )

    def consequences() -> list[str]:
        if not closing:
            return [
                f"Đợt bổ sung hồ sơ năm {year} của {name} mở lại: đảng viên nộp phiếu tiếp được "
                f"(hạn nộp ghi trong đợt: {supplement_round.deadline:%d/%m/%Y}).",
            ]
        total, _rows = selectors.progress(
            request.user, supplement_round, supplement_round.organization
        )
        return [
            f"Đợt bổ sung hồ sơ năm {year} của {name} kết thúc: đảng viên không nộp phiếu bổ sung "
            "được nữa, chi bộ không ghi nhận phiếu giấy nữa.",
            "Phiếu đã nộp vẫn được chi bộ xác nhận và cấp trên duyệt.",
            f"{number(total.missing)} đảng viên chưa nộp phiếu.",
            "Đợt có thể được mở lại, với lý do ghi vào lịch sử.",
        ]

    return confirm_final_action(
        request,
        page,
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: action(request.user, supplement_round, reason=data["reason"]),
        done=f"Đã {verb} đợt bổ sung hồ sơ năm {year}.",
        consequences=consequences,
        reason_required=lambda: not closing,
    )


@login_required
@require_http_methods(["GET", "POST"])
def close_round(request, pk):
    return _round_action(request, pk, closing=True)


@login_required
@require_http_methods(["GET", "POST"])
def reopen_round(request, pk):
    return _round_action(request, pk, closing=False)


@login_required
def branch(request):
    """The branch's queue: proposals to confirm and members who have not submitted yet."""
    require_any(request.user, Capability.MANAGE_MEMBERS)
    rounds = list(selectors.applicable_rounds(request.user)[:50])
    chosen = query_int(request.GET, "round", label="Đợt bổ sung")
    if chosen is not None:
        supplement_round = selectors.get_applicable_round(request.user, chosen)
    else:
        supplement_round = rounds[0] if rounds else None
    sort = selectors.NOT_SUBMITTED_SORTING.read(request.GET)
    context = {"rounds": rounds, "round": supplement_round, "sort": sort}
    if supplement_round is not None:
        queue = Paginator(
            selectors.awaiting_confirmation(request.user, supplement_round), PROPOSALS_PER_PAGE
        ).get_page(request.GET.get("qpage"))
        missing = Paginator(
            selectors.not_submitted(
                request.user,
                supplement_round,
                supplement_round.org_path,
                Capability.MANAGE_MEMBERS,
                sort=sort,
            ),
            MEMBERS_PER_PAGE,
        )
        context.update(
            figures=selectors.scope_progress(request.user, supplement_round),
            queue=queue,
            cards=selectors.cards(request.user, queue),
            missing=missing.get_page(request.GET.get("page")),
            missing_headings=_missing_headings(request, sort),
            can_mark_paper=supplement_round.is_open,
            # The member list of the round's organisation, or of the whole scope it covers.
            round_org_in_scope=can(request.user, Capability.VIEW, supplement_round.org_path),
        )
    return render(request, "supplements/branch.html", context)


@login_required
@require_POST
def paper(request, pk):
    """Mark that a member handed in the supplement form on paper."""
    supplement_round = selectors.get_applicable_round(request.user, pk)
    member_pk = object_pk(request.POST.get("member", ""))
    member = get_member(request.user, member_pk, Capability.MANAGE_MEMBERS)
    _run(
        request,
        lambda: services.record_paper_submission(
            request.user, supplement_round, member, request.POST.get("note", "")
        ),
        f"Đã ghi nhận {member.full_name} nộp phiếu bổ sung bản giấy.",
    )
    return back(request, f"{reverse('supplements:branch')}?round={supplement_round.pk}")


@login_required
def proposal_detail(request, pk):
    proposal = selectors.get_proposal(request.user, pk)
    card = selectors.cards(request.user, [proposal])[0]
    if can(request.user, Capability.VIEW, proposal.round.org_path):
        back = (reverse("supplements:round", kwargs={"pk": proposal.round_id}), "Đợt bổ sung")
    else:
        back = (reverse("supplements:my"), "Bổ sung hồ sơ của tôi")
    context = {"card": card, "proposal": proposal, "back": back}
    return render(request, "supplements/proposal.html", context)


def _decide(request, pk, action, success: str):
    """Confirm, approve or reject one proposal, then go back to the page the button was on."""
    proposal = selectors.get_proposal(request.user, pk)
    _run(request, lambda: action(proposal), success.format(name=proposal.member.full_name))
    return back(request, reverse("supplements:proposal", kwargs={"pk": proposal.pk}))


@login_required
@require_POST
def confirm(request, pk):
    return _decide(
        request,
        pk,
        lambda proposal: services.confirm_proposal(request.user, proposal),
        "Chi bộ đã xác nhận phiếu bổ sung của {name}.",
    )


@login_required
@require_POST
def approve(request, pk):
    return _decide(
        request,
        pk,
        lambda proposal: services.approve_proposal(
            request.user, proposal, expected_version=request.POST.get("version") or None
        ),
        "Đã duyệt phiếu bổ sung của {name}; hồ sơ đã được cập nhật.",
    )


def _undo_consequences(proposal, member) -> list[str]:
    """What undoing the approval changes: each field back to its value before, or why not."""
    year = proposal.round.year
    lines = [
        f"{field_label(name)}: «{written or '—'}» trở lại «{before or '—'}»."
        for name, (before, written) in proposal.replaced.items()
    ] or ["Lần duyệt không thay đổi mục nào của hồ sơ: hồ sơ giữ nguyên."]
    if changed := services.changed_since_approval(proposal, member):
        lines.append(
            "Không thể hoàn tác: hồ sơ đã được sửa sau khi duyệt ở "
            f"{'; '.join(changed)}. Nếu cần, hãy đính chính hồ sơ trực tiếp (có lý do)."
        )
        return lines
    return [
        *lines,
        f"Phiếu bổ sung hồ sơ năm {year} của {member.full_name} trở lại «"
        f"{ProposalStatus.CONFIRMED.label}»: có thể duyệt lại hoặc trả lại.",
        "Lịch sử hồ sơ giữ cả lần duyệt và lần hoàn tác, cùng lý do.",
    ]


@login_required
@require_http_methods(["GET", "POST"])
def unapprove(request, pk):
    """Undo an approval made by mistake: the page says which fields of the record go back, a
    required reason, then the undo (refused when the record was corrected since)."""
    proposal = selectors.get_proposal(request.user, pk)
    if not may_approve(request.user, proposal):
        raise PermissionDenied("Chỉ cán bộ cấp mở đợt được hoàn tác duyệt phiếu.")
    proposal_url = reverse("supplements:proposal", args=[proposal.pk])
    if proposal.status != ProposalStatus.APPROVED:
        messages.info(request, f"Phiếu chưa được duyệt ({proposal.get_status_display().lower()}).")
        return redirect(proposal_url)
    name = proposal.member.full_name
    page = FinalAction(
        title=f"Hoàn tác duyệt phiếu bổ sung hồ sơ năm {proposal.round.year}: {name}",
        back_url=proposal_url,
        button="Xác nhận hoàn tác duyệt",
        refused="Chưa hoàn tác duyệt",
        breadcrumb=[
            (reverse("supplements:round", args=[proposal.round_id]), "Đợt bổ sung"),
            (proposal_url, f"Phiếu bổ sung của {name}"),
        ],
        form_id="unapprove",
    )
    return confirm_final_action(
        request,
        page,
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: services.undo_approval(request.user, proposal, data["reason"]),
        done=f"Đã hoàn tác duyệt phiếu bổ sung của {name}; phiếu chờ duyệt lại.",
        consequences=lambda: _undo_consequences(
            proposal, get_member(request.user, proposal.member_id)
        ),
        reason_required=lambda: True,
    )


@login_required
@require_POST
def reject(request, pk):
    return _decide(
        request,
        pk,
        lambda proposal: services.reject_proposal(
            request.user, proposal, request.POST.get("reason", "")
        ),
        "Đã trả lại phiếu bổ sung của {name}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_supplement(request):
    """The member's own page: the open round for their record, the form, past proposals."""
    member = own_record(request.user)
    supplement_round = selectors.covering_round(member) if member else None
    live = selectors.live_proposal(supplement_round, member) if supplement_round else None
    initial = {name: getattr(member, name) for name in PROPOSABLE_FIELDS} if member else {}
    if live is not None and live.status == ProposalStatus.DRAFT:
        initial.update({name: new for name, (_old, new) in live.changes.items()})
        initial["note"] = live.note
    initial["version"] = selectors.proposal_version(live)
    form = ProposalForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        draft = request.POST.get("action") == "draft"
        try:
            services.submit_proposal(
                request.user,
                form.proposed_values(),
                form.cleaned_data["note"],
                draft=draft,
                expected_version=form.cleaned_data["version"],
            )
        except DomainError as exc:
            versions.on_refusal(form, exc)  # saving again applies over what the user now read
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                "Đã lưu nháp phiếu bổ sung." if draft else "Đã gửi phiếu bổ sung đến chi bộ.",
            )
            return redirect("supplements:my")
    context = {
        "member": member,
        "round": supplement_round,
        "live": live,
        "editable": member is not None
        and member.is_active
        and supplement_round is not None
        and (live is None or live.status == ProposalStatus.DRAFT),
        "form": form,
        "past": selectors.own_proposals(member) if member else [],
    }
    return render(request, "supplements/my.html", context, status=400 if form.errors else 200)
