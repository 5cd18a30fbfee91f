"""The candidate's page (their admission file) with the forms of every part of it, which the
candidate, introducer and procedure views render again with a refused form; and the
confirmation pages of the final actions on the file (core/confirm.py)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from dangvien.admissions.candidates import selectors
from dangvien.admissions.candidates.forms import AwarenessClassForm, MoveForm
from dangvien.admissions.introducers.forms import IntroducerForm, IntroductionForm
from dangvien.admissions.introducers.selectors import introducer_choices, introducers_of
from dangvien.admissions.introducers.services import INTRODUCERS_PER_CANDIDATE
from dangvien.admissions.models import AdmissionStepKind, Candidate, Stage
from dangvien.admissions.procedure.annulment import annulment_problem
from dangvien.admissions.procedure.forms import CeremonyForm, StepForm
from dangvien.admissions.procedure.selectors import checklist as file_checklist
from dangvien.admissions.procedure.services import COMMITTEE_STEPS
from dangvien.admissions.shared.services import step_version
from dangvien.core.confirm import FinalAction
from dangvien.core.errors import DomainError
from dangvien.core.forms import attempt
from dangvien.core.roles import Capability
from dangvien.core.scope import can
from dangvien.organizations.selectors import ancestors

Kind = AdmissionStepKind
REASON_KEPT = "Lý do được ghi vào lịch sử hồ sơ cùng người thực hiện và thời điểm."


# The candidate's page: data, class, introducers, the checklist and the decision


def _step_form_allowed(user, candidate, checklist, row) -> bool:
    """Whether the page offers a form for this step (the services decide in the end)."""
    if not candidate.is_open or row.kind in (Kind.DECISION, Kind.CEREMONY) or not row.applies:
        return False
    if row.kind in COMMITTEE_STEPS:
        return (
            can(user, Capability.MANAGE_ORGS, candidate.org_path)
            and checklist.branch_vote_done
            and not checklist.committee_vote_done
        )
    return not checklist.branch_vote_done


def detail_page(request, candidate, status: int = 200, **bound):
    """Render the candidate's page with the forms the user may use; `bound` holds the form the
    user sent, shown with its errors in place of the blank one (even where the page would no
    longer offer it, so the refusal is read where it was made)."""
    user = request.user
    checklist = file_checklist(candidate)
    introducers = introducers_of(candidate)
    manage = can(user, Capability.MANAGE_MEMBERS, candidate.org_path)
    step_forms = bound.pop("step_forms", {})
    rows = []
    for row in checklist.rows:
        form = step_forms.get(row.kind)
        if form is None and manage and _step_form_allowed(user, candidate, checklist, row):
            form = StepForm(
                kind=row.kind,
                initial={"version": step_version(candidate, "candidate.step", row.kind)},
            )
        rows.append((row, form))
    context = {
        "candidate": candidate,
        "checklist": checklist,
        "rows": rows,
        "introducers": introducers,
        "can_manage": manage,
        "history": selectors.history(candidate),
        "org_chain": [*ancestors(user, candidate.organization), candidate.organization],
        "introduction_forms": _introduction_forms(
            introducers if manage and candidate.is_open else [], bound.pop("introduction", None)
        ),
        # Helpers replaced or removed and letters corrected: only before the branch votes.
        "can_change_introducers": manage and candidate.is_open and not checklist.branch_vote_done,
    }
    decides = can(user, Capability.MANAGE_ORGS, candidate.org_path)
    if manage and candidate.is_open:
        context["class_form"] = AwarenessClassForm()
        context["can_withdraw"] = True
        if not checklist.branch_vote_done:
            context["move_form"] = MoveForm(user=user)
        if len(introducers) < INTRODUCERS_PER_CANDIDATE:
            context["introducer_form"] = IntroducerForm(user=user)
        context["can_admit"] = checklist.ready_for_decision and decides
    context["can_reopen"] = manage and candidate.stage == Stage.WITHDRAWN
    if manage and candidate.stage == Stage.ADMITTED and checklist.ceremony is None:
        context["ceremony_form"] = CeremonyForm()
        context["can_annul"] = decides and annulment_problem(candidate) is None
    context.update(bound)
    if "introducer_form" in context:
        context["introducer_choices"] = introducer_choices(user, candidate)
    return render(request, "admissions/candidate_detail.html", context, status=status)


def _introduction_forms(introducers, sent) -> list[tuple[int, IntroductionForm]]:
    """One letter form per introducer without a letter yet, as (introducer pk, form) pairs (a
    list, which the «Chưa lưu» banner walks); the one sent keeps its errors."""
    forms = {
        introducer.pk: IntroductionForm(auto_id=f"id_intro{introducer.pk}_%s")
        for introducer in introducers
        if introducer.introduced_on is None
    }
    if sent is not None:
        forms[sent[0]] = sent[1]
    return list(forms.items())


def post_form(request, pk, form, action, success, bound_name):
    """The shared shape of the candidate page's small forms: validate, call one service, go
    back to the page with a message, or show the page again with the form's errors."""
    candidate = selectors.get_candidate(request.user, pk)
    if form.is_valid():
        result = attempt(form, lambda: action(candidate, form))
        if result is not None:
            message = success(candidate, result) if callable(success) else success
            if message:
                messages.success(request, message)
            return redirect("admissions:candidate", pk=candidate.pk)
    candidate.refresh_from_db()
    return detail_page(request, candidate, status=400, **{bound_name: form})


# The final actions on the file and their undoing, each on a confirmation page that says what
# it will change. A GET of an action that can no longer be done goes back to the file with the
# reason; a refused POST says why at the top (400).


def candidate_for(request, pk: int, capability: str) -> Candidate:
    """The candidate, 404 outside the user's scope, 403 where the user only reads it."""
    candidate = selectors.get_candidate(request.user, pk)
    if not can(request.user, capability, candidate.org_path):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này với hồ sơ kết nạp.")
    return candidate


def confirm_page(candidate: Candidate, title: str, button: str, refused: str, form_id: str):
    """The confirmation page of an action on `candidate`'s file, which goes back to the file."""
    url = reverse("admissions:candidate", args=[candidate.pk])
    return FinalAction(
        title=title,
        back_url=url,
        button=button,
        refused=refused,
        breadcrumb=[
            (reverse("admissions:candidates"), "Nguồn kết nạp"),
            (url, candidate.full_name),
        ],
        form_id=form_id,
    )


def refusal_of(check) -> str | None:
    """The service's own refusal of an action that can no longer be done (None: it can)."""
    try:
        check()
    except DomainError as exc:
        return exc.message
    return None


def gone_back(request, candidate: Candidate, refusal: Callable[[], str | None]):
    """A GET of an action no longer possible: back to the file, saying why (a POST is refused
    by the service itself, on the confirmation page)."""
    if request.method != "GET":
        return None
    if reason := refusal():
        messages.warning(request, reason)
        return redirect("admissions:candidate", pk=candidate.pk)
    return None


def posted_data(request):
    """What a confirmation form is bound to: the POST, or nothing for the page's GET."""
    return request.POST if request.method == "POST" else None
