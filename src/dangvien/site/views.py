"""Pages composing every app: the home page (the user's roles, their subtrees' figures)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of
from dangvien.organizations.selectors import scope_roots, subtree_summary


@login_required
def home(request):
    roots = list(scope_roots(request.user)) if scope_of(request.user).any(Capability.VIEW) else []
    summaries = [(root, subtree_summary(root)) for root in roots[:20]]
    bindings = request.user.role_bindings.filter(active=True).select_related("organization")
    return render(request, "site/home.html", {"summaries": summaries, "bindings": bindings})
