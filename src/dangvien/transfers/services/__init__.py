"""Every write of a transfer of party activity (chuyển sinh hoạt đảng, domain-rules §2.7).

The sending side (an officer managing the member's branch) issues the introduction letter; the
receiving side (an officer managing the receiving branch) confirms the arrival, on which day a
permanent transfer moves the member's placement: until then the member stays in the sending
branch, from then in the receiving one, never in both and never in neither. A temporary
transfer (or one for full-time study) changes no placement: the member stays counted at home
and the transfer is the host branch's record of them until they return.
"""

from dangvien.transfers.services.arrivals import (
    confirm_arrival,
    receive_from_outside,
    record_return,
)
from dangvien.transfers.services.letters import (
    cancel_transfer,
    issue_letter,
    open_transfer,
    reopen_transfer,
)
from dangvien.transfers.services.records import (
    acting_user,
    audit_both_sides,
    confirming_path,
    join_branch,
    leave_branch,
    leave_system,
    record_timeline,
    return_to_system,
)

__all__ = [
    "acting_user",
    "audit_both_sides",
    "cancel_transfer",
    "confirm_arrival",
    "confirming_path",
    "issue_letter",
    "join_branch",
    "leave_branch",
    "leave_system",
    "open_transfer",
    "receive_from_outside",
    "record_return",
    "record_timeline",
    "reopen_transfer",
    "return_to_system",
]
