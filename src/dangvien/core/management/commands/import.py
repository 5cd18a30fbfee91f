"""`dangvien import KIND FILE [--dry-run]`: import a spreadsheet exactly per formats.md."""

import sys
from contextlib import nullcontext
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangvien.core.errors import DomainError
from dangvien.core.import_lock import import_lock
from dangvien.core.importing import IMPORT_KINDS
from dangvien.core.scope import unscoped
from dangvien.core.spreadsheets import UnreadableFile


class Command(BaseCommand):
    help = "Nhập dữ liệu từ tệp .xlsx hoặc .csv (tất cả hoặc không có gì)."
    # Django's system checks import every URL configuration and view (a second of a 10,000-row
    # import's start-up); they check the project, not the file: `migrate` and `check` run them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORT_KINDS), help="loại dữ liệu")
        parser.add_argument("file", help="tệp .xlsx (trang đầu tiên) hoặc .csv (UTF-8)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")

    def handle(self, *args, kind, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        # A real import holds the whole-system import lock from validation to commit, so the
        # file is checked against the data it is written over; a dry run writes nothing.
        lock = nullcontext() if dry_run else import_lock(None)
        try:
            with unscoped(), lock:
                # The file is streamed from disk within the reading limits of the web import.
                report = IMPORT_KINDS[kind].run(path, path.name, dry_run=dry_run)
        except UnreadableFile as exc:  # unreadable, or over a limit (FileTooLarge)
            raise CommandError(str(exc)) from exc
        except DomainError as exc:  # another import is running, or the database refused
            self.stderr.write(exc.message)
            sys.exit(1)
        for warning in report.warnings:
            self.stderr.write(f"Cảnh báo: {warning}")
        if not report.ok:
            for problem in report.sorted_problems():
                self.stdout.write(str(problem))
            self.stderr.write(f"Tệp có {len(report.problems)} lỗi; không có dữ liệu nào được ghi.")
            sys.exit(1)
        label = IMPORT_KINDS[kind].label
        counts = (
            f"tạo mới {report.created}, cập nhật {report.updated}, "
            f"không thay đổi {report.unchanged}"
        )
        if dry_run:
            self.stdout.write(f"Kiểm tra xong, tệp hợp lệ, chưa ghi gì ({label}: sẽ {counts}).")
        else:
            self.stdout.write(f"Đã nhập {label}: {counts}.")
