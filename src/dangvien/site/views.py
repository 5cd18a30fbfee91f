"""Pages composing every app: the home page (the user's roles, their subtrees' figures) and the
member's own summary (the sections the apps contribute, site.my_sections)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from dangvien.core.audit import record_read
from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of
from dangvien.members.party_age import party_age
from dangvien.members.selectors import own_record
from dangvien.organizations.selectors import scope_roots, subtree_summary
from dangvien.site.my_sections import sections_for


@login_required
def home(request):
    roots = list(scope_roots(request.user)) if scope_of(request.user).any(Capability.VIEW) else []
    summaries = [(root, subtree_summary(root)) for root in roots[:20]]
    bindings = request.user.role_bindings.filter(active=True).select_related("organization")
    return render(request, "site/home.html", {"summaries": summaries, "bindings": bindings})


@login_required
@require_safe
def my_summary(request):
    """The member's own summary on a phone (issue 17 point 7): the record's key dates, then the
    sections each app contributes (site.my_sections); read-only, recorded in the audit."""
    member = own_record(request.user)
    if member is None:
        raise Http404("Tài khoản của bạn chưa gắn với hồ sơ đảng viên nào.")
    today = timezone.localdate()
    record_read(request.user, "member.view", org_path=member.branch_path, target=member)
    sections = [
        (section, render_to_string(section.template, section.context, request))
        for section in sections_for(member, today)
    ]
    age = party_age(member, today)
    context = {
        "member": member,
        "today": today,
        "age": age,
        "sections": sections,
    }
    return render(request, "site/my_summary.html", context)
