"""`dangvien purge_uploads`: uploads not imported within DANGVIEN_UPLOAD_KEEP_HOURS lose what
was read from them (core/uploads.py); for cron, besides the purge every upload runs."""

from django.core.management.base import BaseCommand

from dangvien.core.uploads import keep_hours, purge_abandoned_uploads


class Command(BaseCommand):
    help = "Xóa dữ liệu đã đọc của các tệp tải lên không được nhập sau thời gian lưu giữ."

    def handle(self, *args, **options):
        count = purge_abandoned_uploads()
        self.stdout.write(
            f"Đã xóa dữ liệu đã đọc của {count} tệp tải lên không được nhập "
            f"trong {keep_hours()} giờ."
        )
