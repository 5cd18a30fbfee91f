"""What the probation and card pages share: their page size and the 403 of an action on a
member the user only reads."""

from django.core.exceptions import PermissionDenied

from dangvien.core.scope import can

PAGE_SIZE = 50


def require_on_member(user, capability: str, member) -> None:
    if not can(user, capability, member.branch_path):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này với đảng viên này.")
