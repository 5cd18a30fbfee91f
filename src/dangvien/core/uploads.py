"""Spreadsheet uploads of the web import: bounded while they arrive, read once, kept read.

An upload over DANGVIEN_UPLOAD_MAX_MB is cut off by `SizeLimitedUploadHandler` before it is
stored anywhere. An accepted file is read once within the reading limits
(core/spreadsheets.py), checked against the database without writing, and kept as what it said:
its rows for the import's columns and every problem (compressed JSON lines,
`ImportUpload.parsed`) and the preview's figures (`ImportUpload.report`). The preview, the
error workbook and the confirmation use these; the confirmation checks the rows against the
database again (it may have changed since the preview), never the file. An upload not imported
within DANGVIEN_UPLOAD_KEEP_HOURS loses what was kept of it (`purge_abandoned_uploads`): it
holds personal data.
"""

import datetime
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import transaction
from django.utils import timezone

from dangvien.core import vntext
from dangvien.core.importing import IMPORT_KINDS, ImportReport
from dangvien.core.models import AuditEntry, ImportUpload
from dangvien.core.spreadsheets import Problem, Table, _tag, _untag, read_table

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


# The stored reading: zlib-compressed JSON lines, written and read a line at a time, so neither
# side ever holds the whole text of a 200,000-row file. The first line is the header (the
# table's columns); then one line per row, per problem and per warning, tagged by what it is.
FORMAT = 2
_LINES_PER_CHUNK = 64 * 1024  # characters of JSON lines compressed at a time
_READ_CHUNK = 64 * 1024  # compressed bytes decompressed at a time, and the text at most out


def _document_lines(table: Table, problems: list[Problem]) -> Iterator[str]:
    shared = table.problems is problems  # an importer extends the reading's own list
    header = {"format": FORMAT, "keys": table.keys, "titles": table.titles}
    yield _line(header | {"all_keys": table.all_keys, "shared_problems": shared})
    for number, values in table.cells():
        yield _line(["r", number, *map(_tag, values)])
    for tag, listed in (("w", table.warnings), ("t", [] if shared else table.problems)):
        for problem in listed:
            yield _line([tag, problem.row, problem.column, problem.message])
    for problem in problems:
        yield _line(["p", problem.row, problem.column, problem.message])


def _line(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def _pack(table: Table, problems: list[Problem]) -> bytes:
    compressor, parts, batch, size = zlib.compressobj(6), [], [], 0
    for line in _document_lines(table, problems):
        batch.append(line)
        size += len(line)
        if size >= _LINES_PER_CHUNK:
            parts.append(compressor.compress("".join(batch).encode()))
            batch, size = [], 0
    parts.append(compressor.compress("".join(batch).encode()))
    parts.append(compressor.flush())
    return b"".join(parts)


def _stored_lines(packed) -> Iterator[bytes]:
    """The lines of a stored reading, decompressed a bounded piece at a time."""
    decompressor, view = zlib.decompressobj(), memoryview(packed)

    def pieces() -> Iterator[bytes]:
        for start in range(0, len(view), _READ_CHUNK):
            data = view[start : start + _READ_CHUNK]
            while data:
                yield decompressor.decompress(data, _READ_CHUNK)
                data = decompressor.unconsumed_tail
        yield decompressor.flush()

    head: list[bytes] = []  # the start of a line not yet ended
    for text in pieces():
        *lines, rest = text.split(b"\n")
        if lines:
            lines[0] = b"".join([*head, lines[0]])
            head = []
            yield from lines
        head.append(rest)
    if last := b"".join(head):
        yield last  # a reading stored before FORMAT 2: one line, the whole document


def stored(upload: ImportUpload) -> tuple[Table, list[Problem]] | None:
    """The upload's rows and all its problems as read at upload time (None: not kept)."""
    if not upload.parsed:
        return None
    lines = _stored_lines(upload.parsed)
    header = json.loads(next(lines))
    if "table" in header:  # the single-document format of migration 0007, read as it was
        problems = [Problem(*p) for p in header["problems"]]
        return Table.from_document(header["table"]), problems
    table = Table(
        keys=tuple(header["keys"]),
        titles=tuple(header["titles"]),
        all_keys=tuple(header["all_keys"]),
    )
    problems: list[Problem] = []
    listed = {"w": table.warnings, "t": table.problems, "p": problems}
    for line in lines:
        tag, *values = json.loads(line)
        if tag == "r":
            table.append(values[0], map(_untag, values[1:]))
        else:
            listed[tag].append(Problem(*values))
    if header["shared_problems"]:
        table.problems = problems
    return table, problems


def saved_report(upload: ImportUpload) -> SavedReport | None:
    return SavedReport.from_json(upload.report) if upload.report else None


def _keep(upload: ImportUpload, table: Table, report: ImportReport) -> None:
    report.count_planned()
    upload.parsed = _pack(table, report.problems)
    upload.report = SavedReport.of(report).to_json()
    upload.status = ImportUpload.Status.PREVIEWED if report.ok else ImportUpload.Status.REJECTED


def receive_upload(user, kind: str, file) -> ImportUpload:
    """Read the uploaded file once, check it without writing, and keep both with the upload.

    Raises UnreadableFile (or FileTooLarge) before anything is stored. Every upload first
    purges the uploads abandoned before it (`purge_abandoned_uploads`)."""
    purge_abandoned_uploads()
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
        f"tạo mới {vntext.number(report.created)}, cập nhật {vntext.number(report.updated)}, "
        f"không thay đổi {vntext.number(report.unchanged)}"
    )
    upload.report = SavedReport(
        created=report.created, updated=report.updated, unchanged=report.unchanged
    ).to_json()
    upload.parsed = None
    upload.save(update_fields=["status", "summary", "report", "parsed"])


def keep_hours() -> int:
    """How long an upload not imported keeps what was read from it (DANGVIEN_UPLOAD_KEEP_HOURS)."""
    return settings.UPLOAD_KEEP_HOURS


def not_kept_message() -> str:
    return (
        "Dữ liệu đọc từ tệp này không còn được lưu: một tệp không được nhập trong "
        f"{keep_hours()} giờ sau khi tải lên sẽ bị xóa để bảo vệ thông tin cá nhân. "
        "Hãy tải tệp lên lại."
    )


@transaction.atomic
def purge_abandoned_uploads() -> int:
    """Uploads previewed (or refused) and not imported within `keep_hours()` lose their rows,
    problems and preview, which hold personal data; the upload itself stays, so its page says
    to upload again. One update on the uploads still holding data, and an audit entry with
    how many were purged. Run by every upload and by `dangvien purge_uploads` (cron)."""
    cutoff = timezone.now() - datetime.timedelta(hours=keep_hours())
    count = (
        ImportUpload.objects.filter(parsed__isnull=False, uploaded_at__lt=cutoff)
        .exclude(status=ImportUpload.Status.IMPORTED)
        .update(parsed=None, report=None)
    )
    if count:
        AuditEntry.unscoped.create(
            action="upload.purge",
            target_type=ImportUpload._meta.label_lower,
            target_id=0,
            target_label=f"{vntext.number(count)} tệp tải lên chưa được nhập",
            org_path="",  # the whole system's: read by the administrators
            changes={"parsed": [f"{vntext.number(count)} tệp", "đã xóa"]},
            reason=f"Quá {keep_hours()} giờ sau khi tải lên mà chưa nhập.",
        )
    return count
