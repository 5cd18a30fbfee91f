"""Inside/outside samples for the assessment URLs (used by tests/test_scope_walk.py): the year's
round opened on the inside subtree and on the outside one, and a graded member on each side."""

from django.utils import timezone

from dangvien.assessments import services
from dangvien.assessments.models import Grade, MemberAssessment
from dangvien.core.roles import Role
from tests.assessments.workflow import decisions_post, proposals_post, this_year


def _graded(member, year: int) -> MemberAssessment:
    return MemberAssessment.unscoped.create(
        member=member,
        year=year,
        branch=member.branch,
        branch_path=member.branch_path,
        grade=Grade.GOOD,
        imported=True,
    )


def scope_samples(world) -> dict:
    year = this_year()
    inside = services.open_round(world.users[Role.OFFICER], world.upper, year)
    outside = services.open_round(world.users["outside_officer"], world.outside_upper, year)
    rounds = {"pk": (inside.pk, outside.pk)}
    years = {"year": (year, year)}
    bases = {"code": (world.base.code, world.outside_base.code), **years}
    graded = {
        "pk": (_graded(world.member, year - 1).pk, _graded(world.outside_member, year - 1).pk)
    }
    return {
        "assessments:round": rounds,
        "assessments:round-members": rounds,
        "assessments:close": rounds,
        "assessments:reopen": rounds,
        "assessments:commitments": years,
        "assessments:my-print": years,  # the member's own: no one else's to reach
        "assessments:branch": years,
        "assessments:quarter": {
            "code": (world.branch.code, world.outside_branch.code),
            "quarter": (1, 1),
            **years,
        },
        "assessments:base": bases,
        "assessments:orgs": bases,
        "assessments:correct": graded,
        "assessments:paper-self": {"member": (world.member.pk, world.outside_member.pk), **years},
    }


def post_samples(world, outside: bool) -> dict:
    """POSTs that would change data. `assessments:my` has none on purpose: the walk treats the
    member role as read-only, and an empty form changes nothing."""
    member = world.outside_member if outside else world.member
    other = world.outside_member if outside else world.other_member
    branch = world.outside_branch if outside else world.branch
    return {
        "assessments:open": {
            "organization_code": (world.outside_upper if outside else world.upper).code,
            "year": str(this_year() - 1),
        },
        "assessments:branch": proposals_post({member: {"grade": Grade.GOOD}}),
        "assessments:quarter": {"row": [str(member.pk)], f"g-{member.pk}": Grade.GOOD},
        "assessments:base": decisions_post({other: Grade.GOOD}),
        "assessments:orgs": {"row": [str(branch.pk)], f"o-{branch.pk}": Grade.GOOD},
        "assessments:correct": {"outcome": Grade.COMPLETED, "reason": "Theo kết luận kiểm tra"},
        "assessments:paper-self": {  # the member's current version: only the scope refuses
            "self_grade": Grade.GOOD,
            "received_on": f"{timezone.localdate():%d/%m/%Y}",
            "version": services.self_assessment_version(member, this_year()),
        },
    }
