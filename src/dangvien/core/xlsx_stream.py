"""The cell values of an .xlsx's first worksheet, streamed: what openpyxl's read-only mode
gives (`iter_rows(values_only=True)`, formulas as text), in a fraction of its memory and time.

openpyxl still reads the package's small parts (content types, workbook and relationships,
styles): which sheet comes first, which cell styles are dates or durations, the 1900 or 1904
epoch. This module reads the two large parts itself, with the standard library's C XML parser
fed 64 KB at a time from the zip member, each element dropped once read:

- `xl/sharedStrings.xml` into `SharedStrings`, one UTF-8 buffer and an array of offsets. openpyxl
  keeps a str object per string: a 200,000-member file's 664,000 strings took about 90 MB,
  here about 15 MB.
- the sheet's `<row>` elements, one at a time: (row number, values), each value decided as
  openpyxl's `WorkSheetParser.parse_cell` decides it (shared, inline and rich-text strings,
  numbers, booleans, ISO dates, errors, numbers in a date style as dates, formulas as their
  text with shared formulas translated). Rows come in the file's order; a row numbered
  before one already read is skipped, as openpyxl does; gaps are the caller's (raw_rows).

Expat (2.4.1 and later, bundled with CPython) refuses entity-expansion bombs and never fetches
external entities; a part declaring a DTD, which no spreadsheet writer emits, is refused before
parsing. The sizes of the parts are bounded before anything is read (spreadsheets.check_archive).
"""

import zipfile
from array import array
from collections.abc import Iterator
from functools import lru_cache
from typing import IO
from xml.etree.ElementTree import XMLPullParser

from openpyxl.formula.translate import Translator
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

CHUNK = 64 * 1024
_NS = f"{{{SHEET_MAIN_NS}}}"
ROW, CELL, VALUE, FORMULA, INLINE = _NS + "row", _NS + "c", _NS + "v", _NS + "f", _NS + "is"
TEXT, RUN, STRING_ITEM = _NS + "t", _NS + "r", _NS + "si"


class NotASpreadsheet(ValueError):
    """The package has no worksheet."""


def _elements(source: IO[bytes], wanted: str) -> Iterator:
    """Each complete `wanted` element of an XML stream, removed from the tree after use."""
    parser = XMLPullParser(("start", "end"))
    parents: list = []
    first = True
    while chunk := source.read(CHUNK):
        if first and b"<!DOCTYPE" in chunk:
            raise ValueError("a part of the package declares a DTD")
        first = False
        parser.feed(chunk)
        for event, element in parser.read_events():
            if event == "start":
                parents.append(element)
            else:
                parents.pop()
                if element.tag == wanted:
                    yield element
                    if parents:
                        parents[-1].remove(element)
    parser.close()


class SharedStrings:
    """The shared strings table, compact: `strings[i]` decodes the i-th on demand."""

    def __init__(self, source: IO[bytes] | None = None) -> None:
        self._text = bytearray()
        self._ends = array("Q", [0])
        if source is not None:
            for item in _elements(source, STRING_ITEM):
                # openpyxl's Text.content: the plain text and the rich-text runs, not the
                # phonetic ones (rPh), with its removal of the "x005F_" escape.
                self.append("".join(_text_of(item)).replace("x005F_", ""))

    def append(self, text: str) -> None:
        self._text += text.encode()
        self._ends.append(len(self._text))

    def __len__(self) -> int:
        return len(self._ends) - 1

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self._ends) - 1:
            raise IndexError(f"shared string {index} does not exist")
        return self._text[self._ends[index] : self._ends[index + 1]].decode()


def _text_of(element) -> Iterator[str]:
    """The texts of a string item (`<si>`, `<is>`): its `<t>` and each run's `<t>`."""
    for child in element:
        if child.tag == TEXT:
            yield child.text or ""
        elif child.tag == RUN:
            for part in child:
                if part.tag == TEXT:
                    yield part.text or ""


@lru_cache(maxsize=4096)
def _column_of(reference: str) -> int:
    """The 1-based column of a cell reference ("C5" → 3)."""
    return column_index_from_string(reference.rstrip("0123456789"))


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class _Sheet:
    def __init__(self, strings, epoch, date_styles, duration_styles, max_column: int) -> None:
        self.strings = strings
        self.epoch = epoch
        self.date_styles = date_styles
        self.duration_styles = duration_styles
        self.max_column = max_column
        self.shared_formulas: dict[str, Translator] = {}

    def rows(self, source: IO[bytes]) -> Iterator[tuple[int, list]]:
        last = 0
        for row in _elements(source, ROW):
            number = row.get("r")
            if number is None:
                number = last + 1
            else:
                try:
                    number = int(number)
                except ValueError:
                    number = float(number)
                    if not number.is_integer():
                        raise ValueError(f"{row.get('r')} is not a valid row number") from None
                    number = int(number)
            if number > last:
                yield number, self.values(row)
            last = max(last, number)

    def values(self, row) -> list:
        values: list = []
        column = 0
        for cell in row:
            if cell.tag != CELL:
                continue
            reference = cell.get("r")
            column = _column_of(reference) if reference else column + 1
            if column > self.max_column:
                continue
            value = self.value(cell, reference)
            if column > len(values):
                if value is None:
                    continue
                values.extend([None] * (column - len(values)))
            values[column - 1] = value
        return values

    def value(self, cell, reference):
        kind = cell.get("t", "n")
        text = formula = inline = None
        for child in cell:
            tag = child.tag
            if tag == VALUE and text is None:
                text = child.text or ""
            elif tag == FORMULA and formula is None:
                formula = child
            elif tag == INLINE and inline is None:
                inline = child
        if formula is not None:
            return self.formula(formula, reference)
        if kind == "inlineStr":
            return None if inline is None else "".join(_text_of(inline))
        if not text:
            return None
        if kind == "n":
            number = _number(text)
            style = int(cell.get("s") or 0)
            if style not in self.date_styles:
                return number
            try:
                return from_excel(number, self.epoch, timedelta=style in self.duration_styles)
            except (OverflowError, ValueError):
                return "#VALUE!"  # openpyxl: a date serial out of range is an error cell
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # "str" (a formula's cached text), "e" (an error such as #N/A)

    def formula(self, element, reference) -> str:
        text = "=" + (element.text or "")
        if element.get("t") == "shared":
            index = element.get("si")
            if index in self.shared_formulas:
                return self.shared_formulas[index].translate_formula(reference)
            if text != "=":
                self.shared_formulas[index] = Translator(text, reference)
        return text


def first_sheet_rows(handle: IO[bytes], max_column: int) -> Iterator[tuple[int, list]]:
    """(row number, values up to `max_column`, trailing empty cells left out) of each row of
    the first worksheet, in order. `NotASpreadsheet` without a worksheet; a damaged package
    raises what openpyxl, zipfile or the XML parser raise (the caller turns it into a message).
    """
    reader = ExcelReader(handle, read_only=True, data_only=False)
    archive: zipfile.ZipFile = reader.archive
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
        with archive.open(part.PartName[1:]) as source:
            strings = SharedStrings(source)
    workbook = reader.wb
    sheet = _Sheet(
        strings,
        workbook.epoch,
        frozenset(workbook._date_formats),
        frozenset(workbook._timedelta_formats),
        max_column,
    )
    del reader, workbook
    with archive.open(target) as source:
        yield from sheet.rows(source)
