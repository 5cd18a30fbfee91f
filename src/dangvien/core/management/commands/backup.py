"""`dangvien backup FILE`: a verified backup of the whole database (core/backup.py);
`dangvien backup --verify FILE` checks a backup against itself and compares it with the live
database."""

import time

from django.core.management.base import BaseCommand, CommandError

from dangvien.core import backup
from dangvien.core.management.commands.restore import print_checks


class Command(BaseCommand):
    help = "Sao lưu toàn bộ cơ sở dữ liệu vào một tệp (kèm số dòng và mã kiểm tra từng bảng)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp sao lưu sẽ tạo (hoặc cần kiểm tra với --verify)")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="kiểm tra tệp sao lưu đã có và so sánh với cơ sở dữ liệu đang chạy",
        )

    def handle(self, *args, file, verify=False, **options):
        try:
            if verify:
                self._verify(file)
            else:
                self._backup(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc

    def _backup(self, file: str) -> None:
        started = time.perf_counter()
        manifest = backup.create_backup(file)
        seconds = time.perf_counter() - started
        rows = sum(table["rows"] for table in manifest["tables"].values())
        size = manifest["database_file"]["bytes"]
        self.stdout.write(
            f"Đã sao lưu {len(manifest['tables'])} bảng, {rows} dòng ({manifest['engine']}, "
            f"dữ liệu {size} byte) vào {file} trong {seconds:.1f} giây."
        )

    def _verify(self, file: str) -> None:
        with backup.opened(file) as (manifest, data):
            checks = backup.verify_contents(manifest, data)
        self.stdout.write(
            f"Tệp {file}: tạo lúc {manifest['created_at']}, phiên bản {manifest['app_version']}, "
            f"{manifest['engine']}; dữ liệu khớp mã SHA-256 trong manifest."
        )
        if checks:
            print_checks(self.stdout, checks, "trong tệp")
            if not all(check.ok for check in checks):
                raise CommandError("Tệp sao lưu không khớp manifest / the backup is corrupt.")
            self.stdout.write("Mọi bảng trong tệp khớp số dòng và mã kiểm tra của manifest.")
        else:
            self.stdout.write("pg_restore đọc được mục lục của tệp.")
        self.stdout.write("So với cơ sở dữ liệu đang chạy (khác nhau là thay đổi từ khi sao lưu):")
        live = backup.live_digests()
        print_checks(self.stdout, backup.compare(manifest["tables"], live), "hiện tại")
