"""The demo's dated tree holds its own history: a past report reads the tree as it stood on its
date (reports/structure.py, reports/quality.py), so no organisation of the demo is founded before
its parent, and no member is placed, admitted or graded in a branch not yet founded then."""

from django.db.models import F, Q

from dangvien.assessments.models import MemberAssessment, OrgAssessment
from dangvien.core.scope import unscoped
from dangvien.members.models import EventKind, MemberEvent, Placement
from dangvien.organizations import history
from dangvien.organizations.models import Organization


def test_the_demo_places_and_grades_nobody_before_their_branch_was_founded(demo_data):
    with unscoped():
        # An empty founding date means "before any date": under a dated parent it comes too soon.
        before_parent = Organization.unscoped.filter(
            Q(founded_on__lt=F("parent__founded_on"))
            | Q(founded_on__isnull=True, parent__founded_on__isnull=False)
        )
        assert list(before_parent.values_list("code", flat=True)) == []
        placed_early = Placement.objects.filter(start__lt=F("branch__founded_on"))
        assert list(placed_early.values_list("member__code", "branch__code", "start")) == []
        admitted_early = MemberEvent.objects.filter(
            kind=EventKind.ADMITTED, on__lt=F("to_branch__founded_on")
        )
        assert list(admitted_early.values_list("member__code", "to_branch__code", "on")) == []
        # Founded after 31/12 of the grade's year: founded in a later year.
        graded_early = MemberAssessment.unscoped.filter(branch__founded_on__year__gt=F("year"))
        assert list(graded_early.values_list("member__code", "branch__code", "year")) == []
        orgs_graded_early = OrgAssessment.unscoped.filter(
            organization__founded_on__year__gt=F("year")
        )
        assert list(orgs_graded_early.values_list("organization__code", "year")) == []
        assert Placement.objects.exists() and MemberAssessment.unscoped.exists()
        assert history.check_states() == []
