"""Reading an .xlsx package within bounds (core/xlsx_stream.py reads through it): the limits
that stop a read, and the zip archive that enforces the size ones, from the directory's
declared sizes before a byte is read and from the bytes counted while reading."""

import io
import zipfile
from typing import IO

EXCEL_COLUMNS = 16_384  # the cells a row can have in Excel


class LimitExceeded(Exception):
    """A reading limit was exceeded and reading stopped (spreadsheets.py words the message)."""


class PartTooLarge(LimitExceeded):
    """A part decompresses past `limit` bytes: `size` as declared, None if found while reading."""

    def __init__(self, part: str, limit: int, size: int | None = None) -> None:
        super().__init__(part, limit, size)
        self.part, self.limit, self.size = part, limit, size


class ArchiveTooLarge(LimitExceeded):
    """The parts read decompressed past `limit` bytes together."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


class RowTooWide(LimitExceeded):
    """Row `row` has more than `limit` cells."""

    def __init__(self, row: int, limit: int) -> None:
        super().__init__(row, limit)
        self.row, self.limit = row, limit


class TooManyFormulas(LimitExceeded):
    """Row `row` starts shared formula group number `limit` + 1."""

    def __init__(self, row: int, limit: int) -> None:
        super().__init__(row, limit)
        self.row, self.limit = row, limit


class TextTooLong(LimitExceeded):
    """A text over `limit` characters: the cell at `row`, `column` (1-based), or with `row`
    None the string item `column` of the shared strings."""

    def __init__(self, part: str, row: int | None, column: int, limit: int) -> None:
        super().__init__(part, row, column, limit)
        self.part, self.row, self.column, self.limit = part, row, column, limit


class BoundedArchive(zipfile.ZipFile):
    """A zip read within bounds: a part read whole (`open`, `read`: how openpyxl reads) at most
    `part_bytes`, a streamed part (`stream`) at most `total_bytes`, and all parts together at
    most `total_bytes`. Each part's declared size is checked before it is read and its bytes
    are counted while it is read, so a directory that understates a size gets no further."""

    def __init__(self, file, part_bytes: int, total_bytes: int) -> None:
        super().__init__(file)
        self.part_bytes = part_bytes
        self.total_bytes = total_bytes
        self.unzipped = 0

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):
        if mode != "r":
            return super().open(name, mode, pwd, force_zip64=force_zip64)
        return self._bounded(name, self.part_bytes, pwd)

    def stream(self, name: str) -> IO[bytes]:
        """A part read piece by piece (a sheet, the shared strings)."""
        return self._bounded(name, self.total_bytes)

    def _bounded(self, name, limit: int, pwd=None) -> IO[bytes]:
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        if info.file_size > limit:
            raise PartTooLarge(info.filename, limit, info.file_size)
        return _CountedPart(super().open(info, "r", pwd), self, info.filename, limit)


class _CountedPart(io.RawIOBase):
    """A part of a `BoundedArchive`, its decompressed bytes counted as they come."""

    def __init__(self, part: IO[bytes], archive: BoundedArchive, name: str, limit: int) -> None:
        super().__init__()
        self._part, self._archive, self._name, self._limit = part, archive, name, limit
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._part.read(len(buffer))
        self._count += len(data)
        self._archive.unzipped += len(data)
        if self._count > self._limit:
            raise PartTooLarge(self._name, self._limit)
        if self._archive.unzipped > self._archive.total_bytes:
            raise ArchiveTooLarge(self._archive.total_bytes)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._part.close()
        super().close()
