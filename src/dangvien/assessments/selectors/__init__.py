"""Reads of the annual assessment pages, all from the user's scope.

Progress is counted in SQL (one scalar subquery per figure over the indexed paths), never by
looping over members in Python; a screen of members loads them, their assessments and their
commitments in three queries whatever the number of members.
"""

from dangvien.assessments.selectors.commitments import (
    COMMITMENT_ORG_SORTING,
    WITHOUT_COMMITMENT_SORTING,
    CommitmentProgress,
    commitment_progress,
    without_commitment,
)
from dangvien.assessments.selectors.counts import (
    COUNTED,
    GRADE_COLUMNS,
    PROGRESS_FIELDS,
    PROPOSED,
    SELF_ASSESSED,
    Progress,
    progress,
    progress_of,
)
from dangvien.assessments.selectors.grading import (
    MEMBER_STATES,
    ROUND_MEMBER_SORTING,
    MemberRow,
    MemberState,
    base_rows,
    branch_rows,
    is_final,
    member_rows,
    round_members,
)
from dangvien.assessments.selectors.organizations import child_org_rows
from dangvien.assessments.selectors.own import (
    corrections,
    get_assessment,
    own_assessment,
    own_commitments,
    own_years,
)
from dangvien.assessments.selectors.rounds import (
    breadcrumb,
    covering_round,
    get_round,
    my_units,
    open_rounds_of,
    org_choices,
    org_in_round,
    rounds_for,
)

__all__ = [
    "COMMITMENT_ORG_SORTING",
    "COUNTED",
    "GRADE_COLUMNS",
    "MEMBER_STATES",
    "PROGRESS_FIELDS",
    "PROPOSED",
    "ROUND_MEMBER_SORTING",
    "SELF_ASSESSED",
    "WITHOUT_COMMITMENT_SORTING",
    "CommitmentProgress",
    "MemberRow",
    "MemberState",
    "Progress",
    "base_rows",
    "branch_rows",
    "breadcrumb",
    "child_org_rows",
    "commitment_progress",
    "corrections",
    "covering_round",
    "get_assessment",
    "get_round",
    "is_final",
    "member_rows",
    "my_units",
    "open_rounds_of",
    "org_choices",
    "org_in_round",
    "own_assessment",
    "own_commitments",
    "own_years",
    "progress",
    "progress_of",
    "round_members",
    "rounds_for",
    "without_commitment",
]
