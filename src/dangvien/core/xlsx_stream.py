"""The cell values of an .xlsx's first worksheet, streamed: what openpyxl's read-only mode
gives (`iter_rows(values_only=True)`, formulas as text), in a fraction of its memory and time,
and in flat memory whatever the file holds.

openpyxl still reads the package's small parts whole (content types, workbook and its
relationships, styles): which sheet comes first, which cell styles are dates or durations, the
1900 or 1904 epoch. It reads them from a `BoundedArchive`, which refuses a part read whole over
`part_bytes` from its declared size before reading and counts the bytes while reading, and
bounds all parts together the same way. External links, which openpyxl would also read whole,
are not read.

This module reads the two large parts itself with expat, fed 64 KB at a time from the zip
member, building no tree: only the row or string item being read is kept.

- `xl/sharedStrings.xml` into `SharedStrings`, one UTF-8 buffer and an array of offsets. openpyxl
  keeps a str object per string: a 200,000-member file's 664,000 strings took about 90 MB,
  here about 15 MB.
- the sheet's `<row>` elements, one at a time: (row number, values), each value decided as
  openpyxl's `WorkSheetParser.parse_cell` decides it (shared, inline and rich-text strings,
  numbers, booleans, ISO dates, errors, numbers in a date style as dates, formulas as their
  text with shared formulas translated). Rows come in the file's order; a row numbered
  before one already read is skipped, as openpyxl does; gaps are the caller's (raw_rows).
  Cells past `max_column` are counted, never built; a row of more than `max_cells` cells is
  refused, and so is a text longer than a cell can hold, while it arrives.

Expat (2.4.1 and later, bundled with CPython) refuses entity-expansion bombs and never fetches
external entities; a part declaring a DTD, which no spreadsheet writer emits, is refused, so is
nesting deeper than MAX_DEPTH or a single tag, comment or instruction over MAX_TOKEN bytes.
"""

from array import array
from collections.abc import Iterator
from functools import lru_cache
from typing import IO, TYPE_CHECKING
from xml.parsers import expat

from dangvien.core.xlsx_archive import (
    EXCEL_COLUMNS,
    BoundedArchive,
    LimitExceeded,
    RowTooWide,
    TextTooLong,
    TooManyFormulas,
)

if TYPE_CHECKING:
    from openpyxl.formula.translate import Translator

# openpyxl (and numpy, which it imports when installed) is imported when a workbook is read, not
# with this module: commands and pages that read none start faster. Its constants, as it has them:
SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SHEET_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

CHUNK = 64 * 1024
EXCEL_CELL_CHARS = 32_767  # the characters a cell can hold in Excel
MAX_DEPTH = 64  # spreadsheet parts nest a dozen levels at most
MAX_TOKEN = 1024 * 1024  # bytes fed without a single element or text: one tag is never so long
MAX_SHARED_FORMULAS = 100_000  # shared formula groups of a sheet, each kept until the end
_NS = SHEET_MAIN_NS + "}"  # expat's names: "namespace}local"
ROW, CELL, VALUE, FORMULA, INLINE = _NS + "row", _NS + "c", _NS + "v", _NS + "f", _NS + "is"
TEXT, RUN, STRING_ITEM = _NS + "t", _NS + "r", _NS + "si"


class NotASpreadsheet(ValueError):
    """The package has no worksheet."""


def _refuse_dtd(*_args) -> None:
    raise ValueError("a part of the package declares a DTD")


def _parse(source: IO[bytes], handler) -> Iterator[list]:
    """Feed an XML part to expat CHUNK bytes at a time, events to `handler`; after each chunk,
    what the handler finished (`handler.done`, then emptied, possibly empty)."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.data
    parser.StartDoctypeDeclHandler = _refuse_dtd
    fed = 0
    while chunk := source.read(CHUNK):
        parser.Parse(chunk, False)
        fed += len(chunk)
        if fed - parser.CurrentByteIndex > MAX_TOKEN:  # expat keeps an unfinished token whole
            raise ValueError("a tag, comment or instruction of the part is too long")
        yield handler.done
        handler.done = []
    parser.Parse(b"", True)
    yield handler.done


class _Handler:
    """Depth and text capture shared by the readers of the two large parts."""

    def __init__(self) -> None:
        self.done: list = []
        self.depth = 0
        self.capture: list | None = None  # where the text of the open element goes
        self.chars = 0  # characters captured for the value being read
        self.text_limit = EXCEL_CELL_CHARS

    def deeper(self) -> int:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ValueError("a part of the package nests too deeply")
        self.capture = None  # an element's text is what comes before its first child
        return self.depth

    def data(self, text: str) -> None:
        if self.capture is not None:
            self.chars += len(text)
            if self.chars > self.text_limit:
                self.overflow()
            else:
                self.capture.append(text)

    def overflow(self) -> None:
        """The text being captured passed `text_limit`."""
        raise NotImplementedError


class SharedStrings(_Handler):
    """The shared strings table, compact: `strings[i]` decodes the i-th on demand."""

    def __init__(
        self,
        source: IO[bytes] | None = None,
        max_chars: int = EXCEL_CELL_CHARS,
        part: str = "xl/sharedStrings.xml",
    ) -> None:
        super().__init__()
        self.part = part
        self._text = bytearray()
        self._ends = array("Q", [0])
        self.text_limit = max_chars
        self.item = 0  # depth of the string item being read, 0 outside one
        self.in_run = False
        self.parts: list[str] = []
        if source is not None:
            for _ in _parse(source, self):
                pass

    def start(self, tag: str, _attrs) -> None:
        depth = self.deeper()
        if not self.item:
            if tag == STRING_ITEM:
                self.item, self.parts, self.chars = depth, [], 0
            return
        # openpyxl's Text.content: the plain text and the rich-text runs' texts, not the
        # phonetic ones (rPh).
        level = depth - self.item
        if level == 1:
            if tag == TEXT:
                self.capture = self.parts
            elif tag == RUN:
                self.in_run = True
        elif level == 2 and self.in_run and tag == TEXT:
            self.capture = self.parts

    def end(self, _tag: str) -> None:
        level = self.depth - self.item
        self.depth -= 1
        self.capture = None
        if not self.item:
            return
        if level == 0:
            # openpyxl's removal of the "x005F_" escape
            self.append("".join(self.parts).replace("x005F_", ""))
            self.item, self.parts = 0, []
        elif level == 1:
            self.in_run = False

    def overflow(self) -> None:
        raise TextTooLong(self.part, None, len(self) + 1, self.text_limit)

    def append(self, text: str) -> None:
        self._text += text.encode()
        self._ends.append(len(self._text))

    def __len__(self) -> int:
        return len(self._ends) - 1

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self._ends) - 1:
            raise IndexError(f"shared string {index} does not exist")
        return self._text[self._ends[index] : self._ends[index + 1]].decode()


@lru_cache(maxsize=4096)
def _column_of(reference: str) -> int:
    """The 1-based column of a cell reference ("C5" → 3)."""
    from openpyxl.utils.cell import column_index_from_string

    return column_index_from_string(reference.rstrip("0123456789"))


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _row_number(text: str | None, last: int) -> int:
    if text is None:
        return last + 1
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise ValueError(f"{text} is not a valid row number") from None
        return int(number)


class _Sheet(_Handler):
    """Reads a worksheet's rows from expat's events, keeping only the row being read."""

    def __init__(
        self,
        strings,
        epoch,
        date_styles,
        duration_styles,
        max_column: int,
        max_cells: int = EXCEL_COLUMNS,
        max_chars: int = EXCEL_CELL_CHARS,
        part: str = "",
    ) -> None:
        super().__init__()
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        self.from_excel, self.from_iso8601 = from_excel, from_ISO8601
        self.strings = strings
        self.epoch = epoch
        self.date_styles = date_styles
        self.duration_styles = duration_styles
        self.max_column = max_column
        self.max_cells = max_cells
        self.max_chars = max_chars  # a longer value ends the rows read (see _close_row)
        self.text_limit = max(max_chars, EXCEL_CELL_CHARS)  # a longer text is refused at once
        self.part = part
        # Each group's first formula and cell (about 1 KB as a Translator, kept for its last
        # cells only), at most MAX_SHARED_FORMULAS groups.
        self.shared_formulas: dict[str, tuple[str, str]] = {}
        self.translators: dict[str, Translator] = {}
        self.row = 0  # depth of the row being read, 0 outside a row
        self.last = 0  # the highest row number read
        self.number = self.column = self.cells = 0
        self.keep = False
        self.values: list = []
        self.cell: dict | None = None  # the attributes of the cell being read, if it is read
        self.reference: str | None = None
        self.text = self.formula = self.inline = None
        self.formula_attrs: dict = {}
        self.in_inline = self.in_run = False
        # A limit exceeded: raised once the rows finished before it are given; meanwhile
        # nothing more is built (`stopped`).
        self.failure: LimitExceeded | None = None
        self.stopped = False

    def rows(self, source: IO[bytes]) -> Iterator[tuple[int, list]]:
        for batch in _parse(source, self):
            yield from batch
            if self.failure is not None:
                raise self.failure

    def start(self, tag: str, attrs: dict) -> None:
        depth = self.deeper()
        if not self.row:
            if tag == ROW:
                self._open_row(attrs, depth)
            return
        level = depth - self.row
        if level == 1:
            if tag == CELL:
                self._open_cell(attrs)
        elif self.cell is None:
            return
        elif level == 2:  # the cell's value, formula and inline string: the first of each
            if tag == VALUE and self.text is None:
                self.capture = self.text = []
            elif tag == FORMULA and self.formula is None:
                self.capture = self.formula = []
                self.formula_attrs = attrs
            elif tag == INLINE and self.inline is None:
                self.inline = []
                self.in_inline = True
        elif level == 3 and self.in_inline:
            if tag == TEXT:
                self.capture = self.inline
            elif tag == RUN:
                self.in_run = True
        elif level == 4 and self.in_run and tag == TEXT:
            self.capture = self.inline

    def end(self, _tag: str) -> None:
        level = self.depth - self.row
        self.depth -= 1
        self.capture = None
        if not self.row:
            return
        if level == 0:
            self._close_row()
        elif self.cell is None:
            return
        elif level == 1:
            self._close_cell()
        elif level == 2:
            self.in_inline = False
        elif level == 3:
            self.in_run = False

    def overflow(self) -> None:
        self._fail(TextTooLong(self.part, self.number, self.column, self.text_limit))

    def _fail(self, failure: LimitExceeded) -> None:
        self.failure = self.failure or failure
        self.stopped = True
        self.capture = self.cell = None

    def _open_row(self, attrs: dict, depth: int) -> None:
        self.row = depth
        self.number = _row_number(attrs.get("r"), self.last)
        self.keep = self.number > self.last  # a row numbered before one read is skipped
        self.last = max(self.last, self.number)
        self.values = []
        self.cells = self.column = 0

    def _close_row(self) -> None:
        if self.keep and not self.stopped:
            self.done.append((self.number, self.values))
        # After a row holding a value over max_chars, the rest of the chunk is not built: with
        # shared strings, 64 KB of cells could otherwise unfold into gigabytes of text.
        self.stopped = self.failure is not None
        self.row = 0
        self.values = []

    def _open_cell(self, attrs: dict) -> None:
        if self.stopped:
            return
        self.cells += 1
        if self.cells > self.max_cells:
            self._fail(RowTooWide(self.number, self.max_cells))
            return
        if not self.keep:
            return
        reference = attrs.get("r")
        self.column = _column_of(reference) if reference else self.column + 1
        if self.column > self.max_column:
            return
        self.cell, self.reference = attrs, reference
        self.text = self.formula = self.inline = None
        self.in_inline = self.in_run = False
        self.chars = 0

    def _close_cell(self) -> None:
        value = self.value()
        self.cell = None
        column, values = self.column, self.values
        if column > len(values):
            if value is None:
                return
            values.extend([None] * (column - len(values)))
        values[column - 1] = value
        if isinstance(value, str) and len(value) > self.max_chars and not self.failure:
            self.failure = TextTooLong(self.part, self.number, column, self.max_chars)

    def value(self):
        cell = self.cell
        if self.formula is not None:
            return self.formula_text("".join(self.formula), self.formula_attrs)
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            return None if self.inline is None else "".join(self.inline)
        text = "".join(self.text) if self.text else None
        if not text:
            return None
        if kind == "n":
            number = _number(text)
            style = int(cell.get("s") or 0)
            if style not in self.date_styles:
                return number
            try:
                return self.from_excel(number, self.epoch, timedelta=style in self.duration_styles)
            except (OverflowError, ValueError):
                return "#VALUE!"  # openpyxl: a date serial out of range is an error cell
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return self.from_iso8601(text)
        return text  # "str" (a formula's cached text), "e" (an error such as #N/A)

    def formula_text(self, body: str, attrs: dict) -> str:
        text = "=" + body
        if attrs.get("t") == "shared":
            index = attrs.get("si")
            if index in self.shared_formulas:
                return self.translator(index).translate_formula(self.reference)
            if text != "=":
                if len(self.shared_formulas) >= MAX_SHARED_FORMULAS:
                    self._fail(TooManyFormulas(self.number, MAX_SHARED_FORMULAS))
                self.shared_formulas[index] = (text, self.reference)
        return text

    def translator(self, index: str) -> "Translator":
        from openpyxl.formula.translate import Translator

        translator = self.translators.get(index)
        if translator is None:
            if len(self.translators) >= 256:
                self.translators.clear()
            translator = self.translators[index] = Translator(*self.shared_formulas[index])
        return translator


def first_sheet_rows(
    archive: BoundedArchive,
    max_column: int,
    max_cells: int = EXCEL_COLUMNS,
    max_chars: int = EXCEL_CELL_CHARS,
) -> Iterator[tuple[int, list]]:
    """(row number, values up to `max_column`, trailing empty cells left out) of each row of
    the first worksheet, in order. `NotASpreadsheet` without a worksheet; `LimitExceeded` at
    the first limit exceeded, once the rows before it are given (a value over `max_chars` is
    given too: the caller's check words it best); a damaged package raises what openpyxl,
    zipfile or expat raise (the caller words the message).
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(archive.fp, read_only=True, data_only=False, keep_links=False)
    reader.archive, reader.valid_files = archive, archive.namelist()
    reader.read_manifest()
    reader.read_workbook()
    apply_stylesheet(archive, reader.wb)
    target = next(
        (
            rel.target
            for _sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ),
        None,
    )
    if target is None:
        raise NotASpreadsheet("the workbook has no worksheet")
    strings = SharedStrings()
    part = reader.package.find(SHARED_STRINGS)
    if part is not None:
        with archive.stream(part.PartName[1:]) as source:
            strings = SharedStrings(source, max(max_chars, EXCEL_CELL_CHARS), part.PartName[1:])
    workbook = reader.wb
    sheet = _Sheet(
        strings,
        workbook.epoch,
        frozenset(workbook._date_formats),
        frozenset(workbook._timedelta_formats),
        max_column,
        max_cells,
        max_chars,
        target,
    )
    del reader, workbook
    with archive.stream(target) as source:
        yield from sheet.rows(source)
