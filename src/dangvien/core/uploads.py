"""Spreadsheet uploads of the web import: bounded while they arrive, read once, kept read.

An upload over DANGVIEN_UPLOAD_MAX_MB is cut off by `SizeLimitedUploadHandler` before it is
stored anywhere. An accepted file is read once within the reading limits
(core/spreadsheets.py), checked against the database without writing, and kept as what it said:
its rows for the import's columns and every problem (compressed, `ImportUpload.parsed`) and the
preview's figures (`ImportUpload.report`). The preview, the error workbook and the confirmation
use these; the confirmation checks the rows against the database again (it may have changed
since the preview), never the file.
"""

import json
import zlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from dangvien.core.importing import IMPORT_KINDS, ImportReport
from dangvien.core.models import ImportUpload
from dangvien.core.spreadsheets import Problem, Table, read_table

PREVIEW_ROWS = 500  # planned rows listed on the preview page
SHOWN_PROBLEMS = 1000  # problems listed on the page; the error workbook has them all


def max_upload_bytes() -> int:
    return settings.UPLOAD_MAX_MB * 1024 * 1024


def too_large_message() -> str:
    return (
        f"Tệp lớn hơn {settings.UPLOAD_MAX_MB} MB, giới hạn của một lần tải lên; tệp chưa được "
        "lưu. Hãy chia dữ liệu thành nhiều tệp nhỏ hơn hoặc nhờ quản trị hệ thống nhập bằng "
        "dòng lệnh."
    )


class SizeLimitedUploadHandler(FileUploadHandler):
    """Drops an uploaded file as soon as it passes the limit: the rest of it is read from the
    connection and discarded, never kept in memory or on disk; `request.upload_too_large`
    tells the form why the file is missing."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > max_upload_bytes():
            self.request.upload_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


@dataclass
class PreviewRow:
    row: int
    code: str
    name: str
    detail: str
    action: str


@dataclass
class SavedReport:
    """What the preview page shows of an upload's check, as kept in `ImportUpload.report`."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)  # the first SHOWN_PROBLEMS, sorted
    warnings: list[Problem] = field(default_factory=list)
    planned_count: int = 0
    planned: list[PreviewRow] = field(default_factory=list)  # the first PREVIEW_ROWS

    @property
    def ok(self) -> bool:
        return not self.problem_count

    @classmethod
    def of(cls, report: ImportReport) -> "SavedReport":
        return cls(
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            problem_count=len(report.problems),
            problems=report.sorted_problems()[:SHOWN_PROBLEMS],
            warnings=report.warnings[:SHOWN_PROBLEMS],
            planned_count=len(report.planned),
            planned=[
                PreviewRow(p.row, p.code, p.name, getattr(p, "detail", ""), p.action)
                for p in report.planned[:PREVIEW_ROWS]
            ],
        )

    def to_json(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "problem_count": self.problem_count,
            "problems": [[p.row, p.column, p.message] for p in self.problems],
            "warnings": [[p.row, p.column, p.message] for p in self.warnings],
            "planned_count": self.planned_count,
            "planned": [[r.row, r.code, r.name, r.detail, r.action] for r in self.planned],
        }

    @classmethod
    def from_json(cls, data: dict) -> "SavedReport":
        return cls(
            **{key: data[key] for key in ("created", "updated", "unchanged")},
            problem_count=data["problem_count"],
            problems=[Problem(*p) for p in data["problems"]],
            warnings=[Problem(*p) for p in data["warnings"]],
            planned_count=data["planned_count"],
            planned=[PreviewRow(*r) for r in data["planned"]],
        )


def _pack(table: Table, problems: list[Problem]) -> bytes:
    document = {
        "table": table.to_document(),
        "problems": [[p.row, p.column, p.message] for p in problems],
    }
    return zlib.compress(json.dumps(document, ensure_ascii=False).encode(), 6)


def stored(upload: ImportUpload) -> tuple[Table, list[Problem]] | None:
    """The upload's rows and all its problems as read at upload time (None: not kept)."""
    if not upload.parsed:
        return None
    document = json.loads(zlib.decompress(bytes(upload.parsed)))
    return Table.from_document(document["table"]), [Problem(*p) for p in document["problems"]]


def saved_report(upload: ImportUpload) -> SavedReport | None:
    return SavedReport.from_json(upload.report) if upload.report else None


def _keep(upload: ImportUpload, table: Table, report: ImportReport) -> None:
    report.count_planned()
    upload.parsed = _pack(table, report.problems)
    upload.report = SavedReport.of(report).to_json()
    upload.status = ImportUpload.Status.PREVIEWED if report.ok else ImportUpload.Status.REJECTED


def receive_upload(user, kind: str, file) -> ImportUpload:
    """Read the uploaded file once, check it without writing, and keep both with the upload.

    Raises UnreadableFile (or FileTooLarge) before anything is stored."""
    import_kind = IMPORT_KINDS[kind]
    table = read_table(file, import_kind.columns, file.name)
    report = import_kind.run(table, file.name, actor=user, dry_run=True)
    upload = ImportUpload(uploaded_by=user, kind=kind, filename=file.name)
    _keep(upload, table, report)
    upload.save()
    return upload


def keep_recheck(upload: ImportUpload, table: Table, report: ImportReport) -> None:
    """A confirmation refused by the database's current state: its problems replace the
    preview's, so the page and the error workbook show why."""
    _keep(upload, table, report)
    upload.save(update_fields=["parsed", "report", "status"])


def mark_imported(upload: ImportUpload, report: ImportReport) -> None:
    """The file is written: its summary stays, its rows are no longer needed."""
    upload.status = ImportUpload.Status.IMPORTED
    upload.summary = (
        f"tạo mới {report.created}, cập nhật {report.updated}, không thay đổi {report.unchanged}"
    )
    upload.report = SavedReport(
        created=report.created, updated=report.updated, unchanged=report.unchanged
    ).to_json()
    upload.parsed = None
    upload.save(update_fields=["status", "summary", "report", "parsed"])
