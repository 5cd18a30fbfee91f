"""What the menu (site.context_processors) asks of members: whether the user has a member record
of their own, and whether records colliding outside their scope await them."""

from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of
from dangvien.members import conflicts
from dangvien.members.selectors import own_record_path


def has_member_record(user) -> bool:
    """Whether the user has a member record (asked once per request, then kept on the user)."""
    return own_record_path(user) is not None


def has_open_conflicts(user) -> bool:
    return scope_of(user).any(Capability.MANAGE_MEMBERS) and conflicts.has_open_conflicts(user)
