"""Who may decide a proposal: the services enforce these, the pages use them to show buttons."""

from dangvien.core.roles import Capability
from dangvien.core.scope import can
from dangvien.supplements.models import ProposalStatus, SupplementProposal


def may_confirm(user, proposal: SupplementProposal) -> bool:
    """The branch (its secretary, or an officer managing the member's branch) confirms."""
    return can(user, Capability.MANAGE_MEMBERS, proposal.member.branch_path)


def may_approve(user, proposal: SupplementProposal) -> bool:
    """The officer of the organisation that opened the round approves."""
    return can(user, Capability.MANAGE_ORGS, proposal.round.org_path)


def may_reject(user, proposal: SupplementProposal) -> bool:
    """Whoever decides the current step may send the proposal back."""
    if proposal.status == ProposalStatus.SUBMITTED:
        return may_confirm(user, proposal)
    if proposal.status == ProposalStatus.CONFIRMED:
        return may_approve(user, proposal)
    return False
