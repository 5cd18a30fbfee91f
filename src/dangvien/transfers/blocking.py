"""What an open transfer keeps from happening elsewhere, registered with core.blockers (the
lower apps never import transfers): an organisation with letters waiting to or from it is not
ended nor absorbed (the member would arrive in, or leave from, a branch that no longer stands),
and a member with a letter waiting or a temporary stay not ended does not leave the Party until
it is cancelled or closed (domain-rules §2.7)."""

from django.db.models import Q

from dangvien.core.blockers import OrgBlocker, register_leaving_check, register_org_blocker
from dangvien.core.vntext import number
from dangvien.transfers.models import Transfer, TransferStatus


def letters_waiting(org) -> int:
    """Letters not yet presented whose sending or receiving branch is in `org`'s subtree."""
    return (
        Transfer.unscoped.filter(status=TransferStatus.LETTER_ISSUED)
        .filter(Q(from_branch__path__startswith=org.path) | Q(to_branch__path__startswith=org.path))
        .count()
    )


def _org_message(org, count: int) -> str:
    return (
        f"{org.name} còn {number(count)} giấy giới thiệu sinh hoạt đảng chưa hoàn tất: hủy hoặc "
        "xác nhận trước."
    )


def leaving_refusal(member, status: str = "", on=None) -> str:
    """A member leaving the Party (resignation, removal, expulsion, death) with a transfer
    open: the letter is cancelled, or the temporary stay closed, first, with its reason."""
    from dangvien.transfers.services.letters import open_transfer

    transfer = open_transfer(member)
    if transfer is None:
        return ""
    if transfer.status == TransferStatus.LETTER_ISSUED:
        number_text = f" số {transfer.letter_number}" if transfer.letter_number else ""
        return (
            f"{member.full_name} có giấy giới thiệu sinh hoạt đảng{number_text} đang chờ đến "
            "sinh hoạt: hãy hủy giấy giới thiệu (trang «Chuyển sinh hoạt đảng», có lý do) "
            "trước khi ghi ra khỏi Đảng."
        )
    return (
        f"{member.full_name} đang sinh hoạt tạm thời ở nơi khác: hãy ghi nhận trở về (trang "
        "«Chuyển sinh hoạt đảng») trước khi ghi ra khỏi Đảng."
    )


def register() -> None:
    register_org_blocker(OrgBlocker("transfer_letters", letters_waiting, _org_message))
    register_leaving_check("transfers", leaving_refusal)
