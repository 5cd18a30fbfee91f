"""The resolution study pages: the plans binding an organisation and a new one (with its
document and file), one plan with its figures by the deadline per child organisation, the
organisations not done yet, the sessions and learning reports recorded, and their annulment on
confirmation pages (core.confirm)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dangvien.core import attachments
from dangvien.core.confirm import FinalAction, confirm_final_action, succeeded
from dangvien.core.forms import ReasonForm
from dangvien.core.roles import Capability
from dangvien.core.scope import can, scope_of, visible
from dangvien.members.models import Member
from dangvien.members.selectors import own_record
from dangvien.organizations.selectors import get_org, scope_roots
from dangvien.programmes import selectors, study, study_figures
from dangvien.programmes.forms import LearningReportForm, SessionForm, StudyPlanForm
from dangvien.programmes.models import LearningReport, StudyPlan, StudySession


@login_required
@require_safe
def index(request):
    org = scope_roots(request.user).order_by("sort_key").first()
    if org is None:
        raise Http404("Không có tổ chức nào trong phạm vi của bạn.")
    return redirect("programmes:study", code=org.code)


def _new_plan(request, org, form: StudyPlanForm) -> StudyPlan | None:
    data = form.cleaned_data
    made: list[StudyPlan] = []

    def create() -> None:
        upload = data.get("file")
        kept = attachments.accept(upload.name, upload.read()) if upload else None
        document = study.record_document(
            request.user,
            kind=data["kind"],
            number=data["number"],
            title=data["title"],
            issued_on=data["issued_on"],
            issuing_body=data["issuing_body"],
            attachment=kept,
        )
        made.append(
            study.adopt_plan(
                request.user, org, document, deadline=data["deadline"], number=data["plan_number"]
            )
        )

    return made[0] if succeeded(form, create) else None


@login_required
@require_http_methods(["GET", "POST"])
def org_plans(request, code):
    """GET: the study plans binding `code` (its own, below it, above it), each with its share
    of base organisations done by the deadline. POST: a new plan of `code`, for its committee."""
    org = get_org(request.user, code)
    may_create = can(request.user, Capability.MANAGE_ORGS, org.path)
    form = StudyPlanForm()
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied("Bạn chỉ được xem kế hoạch học tập của tổ chức này.")
        form = StudyPlanForm(request.POST, request.FILES)
        if form.is_valid() and (plan := _new_plan(request, org, form)) is not None:
            messages.success(request, "Đã ban hành kế hoạch học tập, quán triệt.")
            return redirect("programmes:study-plan", pk=plan.pk)
    context = {
        "org": org,
        "plans": selectors.plans_for(org),
        "form": form,
        "may_create": may_create,
        "today": timezone.localdate(),
    }
    return render(request, "programmes/study_org.html", context, status=400 if form.errors else 200)


def _plan_context(request, plan: StudyPlan, session_form=None, report_form=None) -> dict:
    """The plan's figures as the reader may see them: every child of the owner to its readers,
    only the children in their scope to the readers below it."""
    figures = study_figures.progress(plan)
    whole = can(request.user, Capability.VIEW, plan.owner_path)
    # A reader below the owner sees the rows of the children inside their scope, and, below a
    # child they only partly see, their own base organisations: never a row (its names of the
    # organisations not done, its totals) reaching beyond their scope.
    children = [c for c in figures.children if whole or can(request.user, Capability.VIEW, c.path)]
    own = [] if whole else study_figures.own_bases(plan, request.user, children)
    return {
        "plan": plan,
        "figures": figures if whole else None,
        "children": children,
        "own_bases": own,
        "sessions": visible(request.user, StudySession)
        .filter(plan=plan)
        .select_related("organization")
        .order_by("held_on", "id"),
        "reports": visible(request.user, LearningReport)
        .filter(plan=plan)
        .select_related("member")
        .order_by("-submitted_on", "-id")[:200],
        "may_record": scope_of(request.user).any(Capability.MANAGE_MEMBERS),
        "may_annul": can(request.user, Capability.MANAGE_ORGS, plan.owner_path),
        "session_form": session_form or SessionForm(initial={"held_on": timezone.localdate()}),
        "report_form": report_form
        or LearningReportForm(initial={"submitted_on": timezone.localdate()}),
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request, pk):
    """GET: the plan with its figures. POST: a session of a base organisation the user manages
    the members of."""
    plan = selectors.get_plan(request.user, pk)
    form = None
    if request.method == "POST":
        form = SessionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            org = get_org(request.user, data["org_code"].strip(), Capability.MANAGE_MEMBERS)
            session = study.Session(
                held_on=data["held_on"],
                mode=data["mode"],
                present=data["present"],
                attendees=data["codes"],
            )
            if succeeded(form, lambda: study.record_session(request.user, plan, org, session)):
                messages.success(request, "Đã ghi buổi học tập, quán triệt.")
                return redirect("programmes:study-plan", pk=plan.pk)
    context = _plan_context(request, plan, session_form=form)
    errors = form is not None and form.errors
    return render(request, "programmes/study_plan.html", context, status=400 if errors else 200)


@login_required
@require_POST
def learning_report(request, pk):
    """A member's learning report on the plan, by those who manage the member."""
    plan = selectors.get_plan(request.user, pk)
    form = LearningReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        member = (
            visible(request.user, Member, Capability.MANAGE_MEMBERS)
            .filter(code=data["member_code"].strip())
            .first()
        )
        if member is None:
            form.add_error("member_code", "Không tìm thấy đảng viên trong phạm vi quản lý.")
        elif succeeded(
            form,
            lambda: study.record_learning_report(
                request.user, plan, member, submitted_on=data["submitted_on"], text=data["text"]
            ),
        ):
            messages.success(request, "Đã ghi bài thu hoạch.")
            return redirect("programmes:study-plan", pk=plan.pk)
    context = _plan_context(request, plan, report_form=form)
    return render(request, "programmes/study_plan.html", context, status=400)


@login_required
@require_safe
def document_file(request, pk):
    """The file of the plan's document, always as a download."""
    plan = selectors.get_plan(request.user, pk)
    document = plan.document
    if not document.file_name:
        raise Http404("Văn bản này chưa có tệp.")
    response = HttpResponse(bytes(document.file_content), content_type=document.file_type)
    response["Content-Disposition"] = content_disposition_header(True, document.file_name)
    return response


def _own_member(request) -> Member:
    member = own_record(request.user)
    if member is None:
        raise Http404("Tài khoản của bạn chưa gắn với hồ sơ đảng viên nào.")
    return member


@login_required
@require_safe
def my_studies(request):
    """The member's own page: the documents their organisations are studying, whether their
    base organisation held the study in time, whether they attended and handed in a report."""
    member = _own_member(request)
    return render(
        request,
        "programmes/study_my.html",
        {"member": member, "studies": selectors.my_studies(member), "today": timezone.localdate()},
    )


@login_required
@require_safe
def my_document(request, pk):
    """A document of a plan binding the member's branch, as a download."""
    member = _own_member(request)
    found = [s.plan for s in selectors.my_studies(member) if s.plan.pk == pk]
    if not found or not found[0].document.file_name:
        raise Http404("Không tìm thấy văn bản.")
    document = found[0].document
    response = HttpResponse(bytes(document.file_content), content_type=document.file_type)
    response["Content-Disposition"] = content_disposition_header(True, document.file_name)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def annul_plan(request, pk):
    plan = selectors.get_plan(request.user, pk)
    if not can(request.user, Capability.MANAGE_ORGS, plan.owner_path):
        raise PermissionDenied("Chỉ cấp ủy ban hành kế hoạch được hủy kế hoạch.")
    back = reverse("programmes:study-plan", args=[plan.pk])
    if plan.annulled_at is not None:
        return redirect(back)
    return confirm_final_action(
        request,
        FinalAction(
            title=f"Hủy {plan}",
            back_url=back,
            button="Xác nhận hủy kế hoạch",
            refused="Chưa hủy kế hoạch",
            breadcrumb=[(back, str(plan))],
            form_id="study-plan-annul",
        ),
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: study.annul_plan(request.user, plan, reason=data["reason"]),
        done="Đã hủy kế hoạch học tập.",
        consequences=lambda: [
            "Kế hoạch vẫn hiện, ghi «Đã hủy» cùng lý do; không còn tính vào tỷ lệ tổ chức cơ sở "
            "đảng tổ chức quán triệt nghị quyết của các chương trình hành động."
        ],
        reason_required=lambda: True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def annul_session(request, pk):
    session = selectors.get_session(request.user, pk)
    if not can(request.user, Capability.MANAGE_MEMBERS, session.org_path):
        raise PermissionDenied("Bạn chỉ được xem buổi học tập này.")
    back = reverse("programmes:study-plan", args=[session.plan_id])
    if session.annulled_at is not None:
        return redirect(back)
    return confirm_final_action(
        request,
        FinalAction(
            title=f"Hủy buổi học tập của {session.organization.name} ngày "
            f"{session.held_on:%d/%m/%Y}",
            back_url=back,
            button="Xác nhận hủy buổi học tập",
            refused="Chưa hủy buổi học tập",
            breadcrumb=[(back, str(session.plan))],
            form_id="study-session-annul",
        ),
        ReasonForm(request.POST if request.method == "POST" else None),
        perform=lambda data: study.annul_session(request.user, session, reason=data["reason"]),
        done="Đã hủy buổi học tập.",
        consequences=lambda: [
            "Buổi học tập vẫn hiện, ghi «Đã hủy» cùng lý do; tổ chức không còn được tính là đã "
            "học tập nếu không có buổi nào khác đúng hạn."
        ],
        reason_required=lambda: True,
    )
