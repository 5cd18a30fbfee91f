"""`dangvien demo`: prepare the database, load the demo data if empty, print logins, serve."""

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from dangvien.accounts.demo import DEMO_PASSWORD, logins
from dangvien.demo.loader import is_empty, load_demo

TRUE_WORDS = {"1", "true", "yes"}


class Command(BaseCommand):
    help = "Tạo cơ sở dữ liệu, nạp dữ liệu mẫu (nếu trống) và chạy ứng dụng web."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="chỉ chuẩn bị, không chạy")

    def handle(self, *args, port, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if is_empty():
            self.stdout.write("Đang nạp dữ liệu mẫu…")
            load_demo()
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, role, where in logins():
            self.stdout.write(f"  {username:<10} {role:<22} {where}")
        # The demo's accounts have no phone app: its server asks for no TOTP code unless the
        # environment says DANGVIEN_REQUIRE_2FA=1 (production settings require one by default).
        require_2fa = os.environ.get("DANGVIEN_REQUIRE_2FA", "0").strip().lower() in TRUE_WORDS
        if require_2fa:
            self.stdout.write("Xác thực hai lớp: BẬT (bắt buộc với quản trị, cán bộ tổ chức).")
        else:
            self.stdout.write(
                "Xác thực hai lớp: TẮT trong bản demo (DANGVIEN_REQUIRE_2FA=1 để bật; "
                "khi triển khai thật mặc định bật)."
            )
        if no_serve:
            return
        self.stdout.write(f"Mở http://127.0.0.1:{port}/ trong trình duyệt. Dừng: Ctrl+C.")
        with override_settings(DANGVIEN_REQUIRE_2FA=require_2fa):
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)
