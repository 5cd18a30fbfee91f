"""`dangvien restore FILE`: replace the database with a backup's, after checking the file, and
prove the result against the backup's manifest (core/backup.py)."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dangvien.core import backup


def print_checks(out, checks, label: str) -> None:
    """The comparison table: per table, the rows in the manifest and `label`, and the checksum."""
    out.write(f"  {'bảng':<40} {'sao lưu':>10} {label:>10}  mã kiểm tra")
    for check in checks:
        saved = "—" if check.expected_rows is None else check.expected_rows
        now = "—" if check.actual_rows is None else check.actual_rows
        verdict = "khớp" if check.checksum_matches else "KHÁC"
        out.write(f"  {check.table:<40} {saved!s:>10} {now!s:>10}  {verdict}")


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu từ một tệp sao lưu (thay toàn bộ dữ liệu hiện có)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp sao lưu do `dangvien backup` tạo")
        parser.add_argument("--yes", action="store_true", help="không hỏi xác nhận")

    def handle(self, *args, file, yes=False, **options):
        try:
            self._restore(file, yes)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc

    def _restore(self, file: str, yes: bool) -> None:
        with backup.opened(file) as (manifest, data):
            bad = [check for check in backup.verify_contents(manifest, data) if not check.ok]
            if bad:
                print_checks(self.stdout, bad, "trong tệp")
                raise backup.BackupError(
                    "Tệp sao lưu không khớp manifest, không khôi phục / the backup does not "
                    "verify, nothing restored."
                )
            rows = sum(table["rows"] for table in manifest["tables"].values())
            self.stdout.write(
                f"Tệp {file}: sao lưu lúc {manifest['created_at']}, {len(manifest['tables'])} "
                f"bảng, {rows} dòng. Toàn bộ dữ liệu hiện có sẽ bị thay thế."
            )
            if not yes and not self._confirmed():
                raise CommandError("Đã hủy, không thay đổi gì / cancelled, nothing changed.")
            started = time.perf_counter()
            backup.restore(manifest, data)
        checks = backup.compare(manifest["tables"], backup.live_digests())
        print_checks(self.stdout, checks, "sau khôi phục")
        if not all(check.ok for check in checks):
            raise CommandError(
                "Dữ liệu sau khôi phục không khớp manifest / the restored data does not match."
            )
        self._after_restore()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Đã khôi phục và kiểm tra {len(checks)} bảng trong {seconds:.1f} giây: mọi bảng "
            "khớp số dòng và mã kiểm tra."
        )

    def _confirmed(self) -> bool:
        try:
            answer = input("Gõ «có» (hoặc «co») để khôi phục (type «yes» to restore): ")
        except EOFError:
            return False
        return answer.strip().lower() in {"co", "có", "yes", "y"}

    def _after_restore(self) -> None:
        """Bring the schema to the code's (an older backup), renew the data generation so no
        page cached from the replaced data is served, and recount the unit tallies."""
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("Tệp sao lưu có lược đồ cũ hơn mã nguồn: đang chạy migrate…")
            call_command("migrate", interactive=False, verbosity=0)
        backup.renew_generation()  # app processes' caches are keyed by it
        call_command("recount", all=True, stdout=self.stdout)
