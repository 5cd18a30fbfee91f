"""`dangvien restore FILE`: replace the database with a backup's, after checking the file, and
prove the result against the backup's manifest (core/backup.py).

Whatever happens once the replacement has started, the data generation token is renewed (it is
renewed with the data, and again at the end, also after a failure), so a running app never
serves a page cached from data that is gone; and once the data is replaced the schema is
migrated and the tallies recounted even if the verification fails, which is then reported with
a non-zero exit."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
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
            backup.check_restorable(manifest)
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
            try:
                checks = self._replace(manifest, data)
            except BaseException:
                self._renew_generation(failed=True)
                raise
            self._renew_generation(failed=False)
        seconds = time.perf_counter() - started
        if not all(check.ok for check in checks):
            raise CommandError(
                "Dữ liệu sau khôi phục KHÔNG khớp manifest ở các bảng ghi «KHÁC» ở trên: đã chạy "
                "migrate, đếm lại số liệu và làm mới bộ nhớ đệm nên ứng dụng vẫn chạy được, nhưng "
                "dữ liệu có thể không đúng bản sao lưu; hãy khôi phục lại từ tệp này hoặc một tệp "
                "khác / the restored data does not match the manifest."
            )
        self.stdout.write(
            f"Đã khôi phục và kiểm tra {len(checks)} bảng trong {seconds:.1f} giây: mọi bảng "
            "khớp số dòng và mã kiểm tra."
        )

    def _replace(self, manifest: dict, data) -> list[backup.TableCheck]:
        """Replace the data, compare it with the manifest, then bring it to a state the app can
        use (migrate, recount) whether or not the comparison succeeded."""
        backup.restore(manifest, data)
        try:
            checks = backup.compare(manifest["tables"], backup.live_digests())
            print_checks(self.stdout, checks, "sau khôi phục")
        finally:
            self._after_restore()
        return checks

    def _confirmed(self) -> bool:
        try:
            answer = input("Gõ «có» (hoặc «co») để khôi phục (type «yes» to restore): ")
        except EOFError:
            return False
        return answer.strip().lower() in {"co", "có", "yes", "y"}

    def _after_restore(self) -> None:
        """Bring the schema to the code's (an older backup) and recount the unit tallies."""
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("Tệp sao lưu có lược đồ cũ hơn mã nguồn: đang chạy migrate…")
            call_command("migrate", interactive=False, verbosity=0)
        call_command("recount", all=True, stdout=self.stdout)

    def _renew_generation(self, failed: bool) -> None:
        """Renew the data generation token once more, after the last step: pages an app process
        cached while the restore ran (or from data a failed step left) are never served. After
        a failure, a failure here is reported without hiding the first one."""
        try:
            backup.renew_generation()
        except DatabaseError as exc:
            message = (
                f"Không làm mới được mã thế hệ dữ liệu ({exc}): hãy khởi động lại ứng dụng để bỏ "
                "các trang đã lưu đệm / could not renew the data generation token."
            )
            if not failed:
                raise CommandError(message) from exc
            self.stderr.write(message)
