"""The transfer deadline counted in working days, registered with the holiday calendar
(core/holiday_effects.py): the member presents the introduction letter within 30 working days
of its issue (QĐ 294-QĐ/TW; domain-rules §2.7)."""

import datetime

from dangvien.core.holiday_effects import WorkingDayDeadline, register_deadline
from dangvien.core.rules import RuleBook
from dangvien.transfers.deadlines import PRESENT_KEY
from dangvien.transfers.models import TransferStatus


def _letters_waiting(user, starts: list[datetime.date], rules: RuleBook) -> int:
    """Letters issued on one of `starts` whose member has not arrived yet."""
    from dangvien.transfers.selectors import visible_transfers

    return (
        visible_transfers(user)
        .filter(status=TransferStatus.LETTER_ISSUED, letter_issued_on__in=starts)
        .count()
    )


def register() -> None:
    register_deadline(
        WorkingDayDeadline(
            PRESENT_KEY,
            name="Hạn xuất trình giấy giới thiệu sinh hoạt đảng",
            started_by="giấy giới thiệu được cấp",
            files="giấy giới thiệu sinh hoạt đảng chưa được xác nhận đến sinh hoạt",
            count_waiting=_letters_waiting,
        )
    )
