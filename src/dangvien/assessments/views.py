"""Pages of the annual assessment: the member's commitment and self-assessment, rounds and their
progress for officers, the branch's fast grading screen, the base committee's decisions, the
upper level's organisation grades and reasoned corrections after a round is closed."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_safe

from dangvien.assessments import quarters, selectors, self_forms, services
from dangvien.assessments.forms import (
    BranchGradingForm,
    CommitmentForm,
    CorrectionForm,
    DecisionForm,
    OpenRoundForm,
    OrgGradingForm,
    PaperSelfAssessmentForm,
    QuarterForm,
    SelfAssessmentForm,
    split_outcome,
)
from dangvien.assessments.grading import YearRules
from dangvien.assessments.models import GRADES, SHORT_LABELS, Grade, Round
from dangvien.assessments.selectors.warnings import round_warnings
from dangvien.core import versions
from dangvien.core.confirm import FinalAction, confirm_final_action
from dangvien.core.documents import to_pdf
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.forms import ReasonForm
from dangvien.core.pages import require_any
from dangvien.core.queryparams import query_option
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import can, scope_of
from dangvien.core.vntext import number
from dangvien.discipline.selectors import disciplined_in
from dangvien.meetings.tasks import tasks_of
from dangvien.members.selectors import get_member, own_record
from dangvien.organizations.models import BASE_KINDS, BRANCH_KINDS
from dangvien.organizations.selectors import get_org

MEMBERS_PER_PAGE = 50


def _apply(form, action):
    """Run one service call; a refusal of scope is a 403, a row refusal goes next to its rows,
    any other refusal onto its field (or the top of the form). None when refused."""
    try:
        return action()
    except ScopeDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except services.RowErrors as exc:
        form.add_row_errors(exc.errors)
        form.refresh_versions(exc.current)
        form.add_error(None, exc.message)
    except DomainError as exc:
        versions.on_refusal(form, exc)
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return None


def _render(request, template: str, context: dict, *forms):
    """A page; sent back for a POST that one of `forms` refused, a 400 (the «Chưa lưu» banner
    at the top says why and the forms keep what was typed)."""
    refused = request.method == "POST" and any(f is not None and f.errors for f in forms)
    return render(request, template, context, status=400 if refused else 200)


def _year_of(year: int) -> int:
    if not 1930 <= year <= timezone.localdate().year + 1:
        raise Http404("Năm đánh giá không hợp lệ.")
    return year


# The member's own page


@login_required
@require_http_methods(["GET", "POST"])
def my_assessment(request):
    """The year's commitment, the self-assessment while a round is open, the past grades. A
    save refused (the round locked meanwhile, a result decided meanwhile) keeps what the member
    wrote on the page, with the reason at the top."""
    member = own_record(request.user)
    year = timezone.localdate().year
    context = {"member": member, "year": year}
    if member is None:
        return render(request, "assessments/my.html", context)
    commitments = selectors.own_commitments(member)
    round_ = selectors.open_rounds_of(member).first()
    assessment = selectors.own_assessment(member, round_.year) if round_ else None
    action = request.POST.get("action") if request.method == "POST" else None
    current = commitments.get(year)
    closed = services.covering_round(member.branch_path, year)  # a locked round: no more edits
    commitment_form = CommitmentForm(
        request.POST if action == "commit" else None,
        initial={
            "version": services.commitment_version(member, year),
            **({"level": current.level, "pledges": current.pledges} if current else {}),
        },
    )
    self_form = SelfAssessmentForm(
        request.POST if action == "self" else None,
        initial={
            "year": round_.year if round_ else None,
            "version": services.self_assessment_version(member, round_.year) if round_ else "",
            **_self_initial(member, assessment),
        },
        scoring=round_ is not None and YearRules.of(round_.year).scoring,
    )
    if action == "commit" and commitment_form.is_valid():
        data = commitment_form.cleaned_data
        done = _apply(
            commitment_form,
            lambda: services.register_commitment(
                request.user,
                member,
                year,
                data["level"],
                data["pledges"],
                expected_version=data["version"],
            ),
        )
        if done is not None:
            messages.success(request, f"Đã lưu đăng ký, cam kết năm {year}.")
            return redirect("assessments:my")
    if action == "self" and self_form.is_valid():
        data = self_form.cleaned_data
        # The year the page was opened for: its round may have been locked since.
        self_year = data["year"] or (round_.year if round_ else None)
        if self_year is None:
            self_form.add_error(None, "Hiện chưa có đợt đánh giá nào đang mở cho chi bộ của bạn.")
        else:
            done = _apply(
                self_form,
                lambda: services.submit_self_assessment(
                    request.user,
                    self_year,
                    data["self_grade"],
                    data["self_assessment"],
                    expected_version=data["version"],
                    self_form=data["self_form"],
                    self_score=data.get("self_score"),
                ),
            )
            if done is not None:
                messages.success(request, f"Đã nộp bản tự kiểm điểm năm {self_year}.")
                return redirect("assessments:my")
    can_self_assess = round_ is not None and member.is_active and not selectors.is_final(assessment)
    context.update(
        commitment=current,
        commitment_form=commitment_form,
        round=round_,
        assessment=assessment,
        round_commitment=commitments.get(round_.year) if round_ else None,
        self_form=self_form,
        can_self_assess=can_self_assess,
        # Refused and no longer open to the member: what they wrote stays on the page.
        self_kept=not can_self_assess and self_form.is_bound and bool(self_form.errors),
        years=selectors.own_years(member, commitments),
        # The tasks the branch gave in the year assessed (QĐ 124-QĐ/TW: the member assesses how
        # they carried out the tasks given).
        tasks_year=round_.year if round_ else year,
        tasks=list(tasks_of(member, round_.year if round_ else year)),
        commitment_closed=closed if closed is not None and not closed.is_open else None,
        # The quarters reviewed by the branch in the year (QĐ 366-QĐ/TW).
        quarter_reviews=list(member.quarter_reviews.filter(year=round_.year if round_ else year)),
    )
    return _render(request, "assessments/my.html", context, commitment_form, self_form)


def _self_initial(member, assessment) -> dict:
    """What the self-assessment form shows: the text written, or the outline of the form the
    member most likely uses (self_forms.suggested)."""
    if assessment is not None and assessment.self_assessment:
        return {
            "self_grade": assessment.self_grade,
            "self_assessment": assessment.self_assessment,
            "self_form": assessment.self_form or self_forms.suggested(member),
            "self_score": assessment.self_score,
        }
    form = self_forms.suggested(member)
    return {"self_form": form, "self_assessment": self_forms.outline(form)}


@login_required
@require_safe
def my_self_assessment_pdf(request, year):
    """The member's own self-assessment of `year`, printed on its form (Mẫu 2A/2B/2C)."""
    member = own_record(request.user)
    assessment = selectors.own_assessment(member, year) if member else None
    if assessment is None or not assessment.self_assessment:
        raise Http404("Chưa có bản tự kiểm điểm năm này.")
    document = self_forms.self_assessment_document(assessment)
    response = HttpResponse(to_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"ban-kiem-diem-{year}.pdf")
    return response


# Rounds


@login_required
def index(request):
    require_any(request.user, Capability.VIEW)
    rounds = selectors.rounds_for(request.user)
    open_rounds = list(rounds.filter(status=Round.Status.OPEN)[:50])
    units = []
    if scope_of(request.user).any(Capability.MANAGE_MEMBERS):
        for unit in selectors.my_units(request.user):
            reaching = [r for r in open_rounds if unit.path.startswith(r.org_path)]
            units.append({"org": unit, "rounds": reaching})
    context = {
        "rounds": Paginator(rounds, 20).get_page(request.GET.get("page")),
        "units": units,
        "can_open": scope_of(request.user).any(Capability.MANAGE_ORGS),
        "year": timezone.localdate().year,
    }
    return render(request, "assessments/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def open_round(request):
    require_any(request.user, Capability.MANAGE_ORGS)
    form = OpenRoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        opened = form.apply(
            lambda: services.open_round(request.user, data["organization"], data["year"])
        )
        if opened is not None:
            messages.success(request, f"Đã mở đợt đánh giá năm {opened.year}.")
            return redirect("assessments:round", pk=opened.pk)
    context = {"form": form, "parent_choices": selectors.org_choices(request.user)}
    return _render(request, "assessments/open.html", context, form)


@login_required
def round_detail(request, pk):
    """Progress of the round for an organisation and each organisation directly below it."""
    require_any(request.user, Capability.VIEW)
    round_ = selectors.get_round(request.user, pk)
    org = selectors.org_in_round(request.user, round_, request.GET.get("org", ""))
    total, rows = selectors.progress(request.user, round_.year, org)
    user = request.user
    for row in rows:
        row.screens = _screens(user, row, round_.year)
    context = {
        "round": round_,
        "org": org,
        "breadcrumb": selectors.breadcrumb(user, round_, org),
        "total": total,
        "rows": rows,
        "grades": [(SHORT_LABELS[g], getattr(total, name), name) for name, g in _GRADE_NAMES],
        "screens": _screens(user, org, round_.year),
        "can_grade_orgs": can(user, Capability.MANAGE_ORGS, org.path) and bool(rows),
        "can_manage_round": can(user, Capability.MANAGE_ORGS, round_.org_path),
        "warnings": round_warnings(user, round_.year, org),
    }
    return render(request, "assessments/round.html", context)


_GRADE_NAMES = list(zip(selectors.GRADE_COLUMNS, GRADES, strict=True))

# The columns of a round's member list and the order each heading sorts by.
ROUND_MEMBER_COLUMNS = [
    ("#", None, "num"),
    ("Họ và tên", "name"),
    ("Mã đảng viên", "code"),
    ("Chi bộ", "branch"),
    ("Tự kiểm điểm", "self"),
    ("Chi bộ đề xuất", "proposal"),
    ("Kết quả xếp loại", "result"),
]


@login_required
def round_members(request, pk):
    """The members behind one count of the round page: of the organisation asked for (in the
    round and the user's scope), in one state, paged and sorted on the server."""
    require_any(request.user, Capability.VIEW)
    round_ = selectors.get_round(request.user, pk)
    org = selectors.org_in_round(request.user, round_, request.GET.get("org", ""), strict=True)
    states = selectors.MEMBER_STATES
    key = query_option(request.GET, "state", states, label="Danh sách") or "members"
    sort = selectors.ROUND_MEMBER_SORTING.read(request.GET)
    members = selectors.round_members(request.user, round_.year, org, states[key], sort)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    total = selectors.progress_of(request.user, round_.year, org)
    round_url = reverse("assessments:round", args=[round_.pk])
    context = {
        "round": round_,
        "org": org,
        "state": states[key],
        "page": page,
        "rows": selectors.member_rows(request.user, page.object_list, round_.year),
        "headings": selectors.ROUND_MEMBER_SORTING.headings(
            request.GET, sort, ROUND_MEMBER_COLUMNS
        ),
        "states": [(state, state.count(total)) for state in states.values()],
        "round_url": f"{round_url}?{urlencode({'org': org.code})}",
    }
    return render(request, "assessments/round_members.html", context)


def _screens(user, org, year: int) -> list[tuple[str, str]]:
    """The grading screens of an organisation the user may work on: [(url, label)]."""
    screens = []
    if org.kind in BRANCH_KINDS and can(user, Capability.MANAGE_MEMBERS, org.path):
        screens.append((reverse("assessments:branch", args=[org.code, year]), "Xếp loại nhanh"))
    if org.kind in BASE_KINDS and can(user, Capability.MANAGE_ORGS, org.path):
        screens.append((reverse("assessments:base", args=[org.code, year]), "Quyết định xếp loại"))
    return screens


def _round_action(request, pk, *, closing: bool):
    """Lock or reopen a round: a page that says what the action changes and asks for the
    reason (required to reopen, and to lock while members have no result), then the action."""
    round_ = selectors.get_round(request.user, pk)
    if not can(request.user, Capability.MANAGE_ORGS, round_.org_path):
        raise PermissionDenied("Chỉ cán bộ quản lý tổ chức cấp mở đợt được khóa hoặc mở lại đợt.")
    if round_.is_open != closing:
        state = "đã khóa" if closing else "đang mở"
        messages.info(request, f"Đợt đánh giá năm {round_.year} {state}.")
        return redirect("assessments:round", pk=round_.pk)
    verb = "khóa" if closing else "mở lại"
    action = services.close_round if closing else services.reopen_round
    round_url = reverse("assessments:round", args=[round_.pk])
    page = FinalAction(
        title=f"{verb.capitalize()} đợt đánh giá năm {round_.year}: {round_.organization.name}",
        back_url=round_url,
        button=f"Xác nhận {verb} đợt",
        refused=f"Chưa {verb} đợt",
        breadcrumb=[
            (reverse("assessments:index"), "Đánh giá, xếp loại chất lượng"),
            (round_url, f"Đánh giá năm {round_.year} – {round_.organization.name}"),
        ],
        form_id="round-action",
    )
    return confirm_final_action(
        request,
        page,
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: action(request.user, round_, reason=data["reason"]),
        done=f"Đã {verb} đợt đánh giá năm {round_.year}.",
        consequences=lambda: _round_consequences(round_, services.round_pending(round_), closing),
        reason_required=lambda: not closing or bool(services.round_pending(round_)),
    )


def _round_consequences(round_: Round, pending: int, closing: bool) -> list[str]:
    year, name = round_.year, round_.organization.name
    if not closing:
        return [
            f"Đợt đánh giá năm {year} của {name} chuyển lại «Đang đánh giá».",
            "Chi bộ đề xuất, cấp ủy quyết định xếp loại, đảng viên tự kiểm điểm tiếp được; kết "
            "quả đã quyết định giữ nguyên.",
            *([f"Còn {number(pending)} đảng viên chưa có kết quả xếp loại."] if pending else []),
        ]
    left = (
        f"Còn {number(pending)} đảng viên chưa có kết quả xếp loại: họ không có kết quả năm {year} "
        "cho đến khi đợt được mở lại. Hãy nêu lý do khóa đợt khi chưa xếp loại xong."
        if pending
        else "Mọi đảng viên trong đợt đã có kết quả xếp loại."
    )
    return [
        f"Đợt đánh giá năm {year} của {name} và các tổ chức trực thuộc chuyển sang «Đã khóa».",
        "Chi bộ không đề xuất, cấp ủy không quyết định xếp loại trong đợt nữa; kết quả đã có chỉ "
        "sửa được bằng đính chính có lý do.",
        f"Đảng viên không nộp, không sửa được bản tự kiểm điểm và đăng ký, cam kết năm {year}.",
        left,
        "Đợt có thể được mở lại, với lý do ghi vào lịch sử.",
    ]


@login_required
@require_http_methods(["GET", "POST"])
def close_round(request, pk):
    return _round_action(request, pk, closing=True)


@login_required
@require_http_methods(["GET", "POST"])
def reopen_round(request, pk):
    return _round_action(request, pk, closing=False)


# The commitments page's tables and the order each heading sorts by.
COMMITMENT_ORG_COLUMNS = [
    ("Tổ chức", "name"),
    ("Đảng viên", "members", "num"),
    ("Đã đăng ký", "registered", "num"),
    ("Chưa đăng ký", "missing", "num"),
]
COMMITMENT_MEMBER_COLUMNS = [
    ("Họ và tên", "name"),
    ("Mã đảng viên", "code"),
    ("Chi bộ", "branch"),  # a column, or in the branch order the groups' own headings
    ("Tài khoản", "account"),
]


@login_required
def commitments(request, code, year):
    """Who registered the year's commitment, per organisation below, and who has not."""
    org = get_org(request.user, code)
    year = _year_of(year)
    by_org = selectors.COMMITMENT_ORG_SORTING.read(request.GET)
    sort = selectors.WITHOUT_COMMITMENT_SORTING.read(request.GET)
    total, rows = selectors.commitment_progress(request.user, year, org, by_org)
    missing = Paginator(
        selectors.without_commitment(request.user, year, org, sort), MEMBERS_PER_PAGE
    )
    member_headings = selectors.WITHOUT_COMMITMENT_SORTING.headings(
        request.GET, sort, COMMITMENT_MEMBER_COLUMNS
    )
    # In the branch order the members stand under their branch's name, not beside it.
    grouped = sort in ("", "branch", "-branch")
    branch_heading = member_headings.pop(2) if grouped else None
    context = {
        "org": org,
        "year": year,
        "total": total,
        "rows": rows,
        "missing": missing.get_page(request.GET.get("page")),
        "org_headings": selectors.COMMITMENT_ORG_SORTING.headings(
            request.GET, by_org, COMMITMENT_ORG_COLUMNS, reset=()
        ),
        "member_headings": member_headings,
        "branch_heading": branch_heading,
    }
    return render(request, "assessments/commitments.html", context)


# Grading screens


@login_required
@require_http_methods(["GET", "POST"])
def branch_grading(request, code, year):
    """The fast grading screen: every member of the branch, one POST for all rows."""
    branch = get_org(request.user, code, Capability.MANAGE_MEMBERS)
    if not branch.is_branch:
        raise Http404("Chỉ chi bộ mới đề xuất xếp loại đảng viên.")
    year = _year_of(year)
    posted = request.method == "POST"
    round_ = selectors.covering_round(branch.path, year)
    editable = round_ is not None and round_.is_open
    rows = selectors.branch_rows(request.user, branch, year)
    rules = YearRules.of(year)
    # A POST reads every row it sent whatever the round is now: the service refuses a round
    # locked since the page was opened, and the grades typed stay on the page.
    form = BranchGradingForm(
        request.POST if posted else None,
        rows=rows,
        editable=editable or posted,
        prefill_self=request.GET.get("prefill") == "self",
        disciplined=disciplined_in([row.member.pk for row in rows], year),
        scoring=rules.scoring,
    )
    if posted and form.is_valid():
        proposals = form.changed_rows()
        if not proposals:
            messages.info(request, "Không có thay đổi nào để lưu.")
            return redirect(request.path)
        saved = _apply(form, lambda: services.propose_grades(request.user, branch, year, proposals))
        if saved is not None:
            messages.success(
                request, f"Đã lưu đề xuất xếp loại của {number(len(saved))} đảng viên."
            )
            _warn_without_self_assessment(request, rows, saved)
            return redirect(request.path)
    if posted:
        round_, editable = _round_now(form, branch.path, year)
    total = selectors.progress_of(request.user, year, branch)
    context = {
        "branch": branch,
        "year": year,
        "round": round_,
        "editable": editable,
        "kept": posted and not editable,
        "form": form,
        "table": form.table(),
        "tiles": _tiles(round_, branch, total),
        "rules": rules,
        "quarter": _current_quarter(year) if rules.quarterly else None,
        "quarter_reviews": _quarter_lines(rows, year) if rules.quarterly else {},
    }
    return _render(request, "assessments/branch.html", context, form)


def _quarter_lines(rows, year: int) -> dict[int, str]:
    """member id → "Q1 Tốt · Q2 Xuất sắc": the year's quarterly reviews beside the year's
    grade."""
    found = quarters.year_quarters([row.member.pk for row in rows], year)
    return {
        member_id: " · ".join(
            f"Q{q} {SHORT_LABELS[Grade(r.grade)]}" for q, r in sorted(by_quarter.items())
        )
        for member_id, by_quarter in found.items()
    }


@login_required
@require_http_methods(["GET", "POST"])
def quarter_grading(request, code, year, quarter):
    """The branch's reviews of a quarter (assessments/quarters.py), one POST for all rows."""
    branch = get_org(request.user, code, Capability.MANAGE_MEMBERS)
    if not branch.is_branch:
        raise Http404("Chỉ chi bộ mới đánh giá đảng viên hằng quý.")
    year = _year_of(year)
    try:
        quarters.check_quarter(year, quarter)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    rows = quarters.quarter_rows(request.user, branch, year, quarter)
    form = QuarterForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_rows()
        if not changed:
            messages.info(request, "Không có thay đổi nào để lưu.")
            return redirect(request.path)
        saved = _apply(
            form,
            lambda: quarters.record_quarter(request.user, branch, year, quarter, changed),
        )
        if saved is not None:
            messages.success(
                request,
                f"Đã lưu đánh giá quý {quarter}/{year} của {number(len(saved))} đảng viên.",
            )
            return redirect(request.path)
    today = timezone.localdate()
    context = {
        "branch": branch,
        "year": year,
        "quarter": quarter,
        "form": form,
        "table": form.table(),
        "quarters": [q for q in range(1, 5) if quarters.quarter_start(year, q) <= today],
    }
    return _render(request, "assessments/quarter.html", context, form)


def _current_quarter(year: int) -> int | None:
    """The quarter a branch's quarterly screen opens on: this quarter, or the 4th of a past
    year; None before the year."""
    today = timezone.localdate()
    if year < today.year:
        return 4
    if year == today.year:
        return (today.month - 1) // 3 + 1
    return None


BRANCH_TILES = [
    ("members", "đảng viên"),
    ("self_assessed", "đã tự kiểm điểm"),
    ("proposed", "được chi bộ đề xuất"),
    ("decided", "đã có kết quả"),
]


def _tiles(round_: Round | None, org, total) -> list[tuple[int, str, str]]:
    """The branch screen's counts, each a link to its list in the round (none without one)."""
    if round_ is None:
        return [(getattr(total, key), label, "") for key, label in BRANCH_TILES]
    url = reverse("assessments:round-members", args=[round_.pk])
    return [
        (getattr(total, key), label, f"{url}?{urlencode({'org': org.code, 'state': key})}")
        for key, label in BRANCH_TILES
    ]


def _round_now(form, path: str, year: int) -> tuple[Round | None, bool]:
    """After a save not done, the round as it is now (the refusal may be its lock meanwhile) and
    whether the screen is editable; a locked one shows what was sent, not to be changed."""
    round_ = selectors.covering_round(path, year)
    editable = round_ is not None and round_.is_open
    if not editable:
        form.freeze()
    return round_, editable


def _warn_without_self_assessment(request, rows, saved) -> None:
    """A grade proposed before the member's self-assessment is saved, and said: the member
    writes it first (HD 43-HD/BTCTW), on paper if they have no account."""
    names = {row.member.pk: row.member.full_name for row in rows}
    missing = [
        names[a.member_id] for a in saved if a.proposed_grade and a.self_submitted_at is None
    ]
    if missing:
        more = f" và {number(len(missing) - 5)} người khác" if missing[5:] else ""
        shown = ", ".join(missing[:5]) + more
        messages.warning(
            request,
            f"{number(len(missing))} đảng viên được đề xuất khi chưa có bản tự kiểm điểm: {shown}. "
            "Nếu đảng viên nộp bản giấy, bấm «Ghi nhận bản giấy» ở dòng của họ.",
        )


@login_required
@require_http_methods(["GET", "POST"])
def paper_self_assessment(request, code, year, member):
    """The branch records a self-assessment written on paper by one of its members."""
    branch = get_org(request.user, code, Capability.MANAGE_MEMBERS)
    year = _year_of(year)
    member = get_member(request.user, member, Capability.MANAGE_MEMBERS)
    if member.branch_id != branch.pk:
        raise Http404("Đảng viên không sinh hoạt ở chi bộ này.")
    assessment = selectors.own_assessment(member, year)
    form = PaperSelfAssessmentForm(
        request.POST if request.method == "POST" else None,
        initial={
            "version": services.self_assessment_version(member, year),
            "received_on": timezone.localdate(),
            **(
                {"self_grade": assessment.self_grade, "note": assessment.self_assessment}
                if assessment and assessment.self_paper_on
                else {}
            ),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _apply(
            form,
            lambda: services.record_paper_self_assessment(
                request.user,
                member,
                year,
                data["self_grade"],
                data["received_on"],
                data["note"],
                expected_version=data["version"],
            ),
        )
        if done is not None:
            grade = SHORT_LABELS[Grade(data["self_grade"])]
            messages.success(
                request,
                f"Đã ghi nhận bản tự kiểm điểm giấy năm {year} của {member.full_name} "
                f"(tự xếp loại: {grade}).",
            )
            return redirect("assessments:branch", code=branch.code, year=year)
    context = {"branch": branch, "year": year, "member": member, "form": form}
    return _render(request, "assessments/paper_self.html", context, form)


def _cap_rules(year: int) -> dict:
    book, day = RuleBook.load(), datetime.date(year, 12, 31)
    return {
        "percent": book.value("excellent_cap_percent_of_good", day),
        "round_up": book.value("excellent_cap_round_up", day),
    }


@login_required
@require_http_methods(["GET", "POST"])
def base_decision(request, code, year):
    """The base committee's final grades, with the excellent cap of the base organisation."""
    base = get_org(request.user, code, Capability.MANAGE_ORGS)
    if base.kind not in BASE_KINDS:
        raise Http404("Chỉ tổ chức cơ sở đảng mới quyết định xếp loại đảng viên.")
    year = _year_of(year)
    posted = request.method == "POST"
    round_ = selectors.covering_round(base.path, year)
    editable = round_ is not None and round_.is_open
    rows = selectors.base_rows(request.user, base, year)
    # As on the branch's screen: a round locked meanwhile refuses the save, the choices stay.
    form = DecisionForm(request.POST if posted else None, rows=rows, editable=editable or posted)
    if posted and form.is_valid():
        decisions = form.decisions()
        if not decisions:
            messages.info(request, "Không có thay đổi nào để lưu.")
            return redirect(request.path)
        reason = form.cleaned_data["exception_reason"]
        saved = _apply(
            form, lambda: services.decide_grades(request.user, base, year, decisions, reason)
        )
        if saved is not None:
            messages.success(
                request, f"Đã lưu kết quả xếp loại của {number(len(saved))} đảng viên."
            )
            return redirect(request.path)
    if posted:
        round_, editable = _round_now(form, base.path, year)
    counts = form.preview_counts()
    cap = services.excellent_cap(counts[Grade.GOOD], year)
    context = {
        "base": base,
        "year": year,
        "round": round_,
        "editable": editable,
        "kept": posted and not editable,
        "form": form,
        "table": form.table(),
        "counts": [(g.value, SHORT_LABELS[g], counts[g.value]) for g in GRADES],
        "cap": cap,
        "over_cap": counts[Grade.EXCELLENT] > cap,
        "cap_rules": _cap_rules(year),
    }
    return _render(request, "assessments/base.html", context, form)


@login_required
@require_http_methods(["GET", "POST"])
def org_grading(request, code, year):
    """The upper level grades its direct children organisations."""
    parent = get_org(request.user, code, Capability.MANAGE_ORGS)
    year = _year_of(year)
    round_ = selectors.covering_round(parent.path, year)
    rows = selectors.child_org_rows(request.user, parent, year)
    rules = YearRules.of(year)
    form = OrgGradingForm(
        request.POST if request.method == "POST" else None, rows=rows, scoring=rules.scoring
    )
    if request.method == "POST" and form.is_valid():
        grades = form.grades()
        if not grades:
            messages.info(request, "Không có thay đổi nào để lưu.")
            return redirect(request.path)
        reason = form.cleaned_data["correction_reason"]
        exception = form.cleaned_data["exception_reason"]
        saved = _apply(
            form,
            lambda: services.grade_child_organizations(
                request.user, parent, year, grades, reason, exception
            ),
        )
        if saved is not None:
            messages.success(request, f"Đã lưu xếp loại của {number(len(saved))} tổ chức.")
            return redirect(request.path)
    context = {
        "parent": parent,
        "year": year,
        "round": round_,
        "form": form,
        "table": form.table(),
        "closed": round_ is not None and not round_.is_open,
        "rules": rules,
    }
    return _render(request, "assessments/orgs.html", context, form)


@login_required
@require_http_methods(["GET", "POST"])
def correct(request, pk):
    """A reasoned correction of a member's final grade after the round was closed."""
    assessment = selectors.get_assessment(request.user, pk)
    base = services.base_organization(assessment.branch)
    round_ = selectors.covering_round(assessment.branch_path, assessment.year)
    can_correct = can(request.user, Capability.MANAGE_ORGS, base.path) and not (
        round_ is not None and round_.is_open
    )
    form = CorrectionForm(
        request.POST if request.method == "POST" else None,
        initial={
            "version": versions.token(
                assessment, history_of=assessment.member, actions="assessment."
            )
        },
    )
    if request.method == "POST":
        if not can_correct:
            raise PermissionDenied("Chỉ cấp ủy có thẩm quyền đính chính sau khi khóa đợt.")
        if form.is_valid():
            grade, not_graded = split_outcome(form.cleaned_data["outcome"])
            done = _apply(
                form,
                lambda: services.correct_grade(
                    request.user,
                    assessment,
                    grade,
                    form.cleaned_data["reason"],
                    not_graded,
                    exception_reason=form.cleaned_data["exception_reason"],
                    expected_version=form.cleaned_data["version"],
                ),
            )
            if done is not None:
                messages.success(request, "Đã đính chính kết quả xếp loại.")
                return redirect("assessments:correct", pk=assessment.pk)
    context = {
        "assessment": assessment,
        "member": assessment.member,
        "base": base,
        "round": round_,
        "form": form,
        "can_correct": can_correct,
        "history": selectors.corrections(assessment),
    }
    return _render(request, "assessments/correct.html", context, form)
