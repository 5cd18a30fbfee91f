"""`dangvien reset_two_factor USERNAME`: the operator's way back in when the last administrator
lost their phone (administrators otherwise reset it on the user's page)."""

from django.core.management.base import BaseCommand, CommandError

from dangvien.accounts.models import User
from dangvien.accounts.two_factor.services import reset_two_factor
from dangvien.core.errors import DomainError

CONSOLE_REASON = "Đặt lại trên máy chủ bằng lệnh reset_two_factor."


class Command(BaseCommand):
    help = "Đặt lại xác thực hai lớp của một tài khoản (khi mất điện thoại)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="tên đăng nhập")
        parser.add_argument(
            "--reason",
            default=CONSOLE_REASON,
            help=f"lý do, ghi vào nhật ký (mặc định: «{CONSOLE_REASON}»)",
        )

    def handle(self, *args, username, reason, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản {username}.")
        try:
            reset_two_factor(None, user, reason, from_console=True)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Đã đặt lại xác thực hai lớp của {username}; "
            "lần đăng nhập sau sẽ thiết lập ứng dụng mới."
        )
