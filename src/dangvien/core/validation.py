"""Input hygiene, one set of rules for forms, the API, imports and the command line, checked
before the database so SQLite and PostgreSQL behave alike (SQLite stores a NUL or an overlong
string that PostgreSQL refuses with an error).

- codes (organisations, members, candidates, card numbers) use a fixed alphabet safe in URLs
  and spreadsheets: letters, digits, ".", "-", "_", starting with a letter or a digit;
- text fits its column (the max_length read from the model field) and holds no NUL, no other
  control character (tab and line breaks only in multi-line text) and no bidirectional
  embedding, override or isolate character (U+202A–U+202E, U+2066–U+2069: "Trojan Source");
- integers fit a bigint; years and dates stay within the Party's history and the near future.

Each check returns a Vietnamese message or None (importers attach it to a row and column);
`require_*` raise a DomainError naming the field (services, forms, the API).
"""

import datetime
import re
from typing import Any

from django.db import models
from django.utils import timezone

from dangvien.core.errors import DomainError

CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
CODE_RULE = "chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới"
# C0 controls but tab/LF/CR, DEL, C1 controls, bidirectional embeddings/overrides/isolates.
_FORBIDDEN_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORBIDDEN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
FIRST_YEAR = 1930  # the founding of the Party: no party record is older
OLDEST_DATE = datetime.date(1900, 1, 1)  # a member's birth date may precede 1930


def last_year() -> int:
    """The latest year a record may name: next year (plans, targets, terms)."""
    return timezone.localdate().year + 1


def _describe(char: str) -> str:
    names = {"\x00": "NUL", "\t": "tab", "\n": "xuống dòng", "\r": "CR"}
    return f"U+{ord(char):04X}" + (f" ({names[char]})" if char in names else "")


def text_error(value: str, *, multiline: bool = False) -> str | None:
    """Why a text may not be stored (a control or bidirectional-override character), or None."""
    pattern = _FORBIDDEN_MULTILINE if multiline else _FORBIDDEN_LINE
    if match := pattern.search(value):
        return f"chứa ký tự không được phép {_describe(match.group())}."
    return None


def code_error(value: str) -> str | None:
    """Why a code (of an organisation, a member, a card…) is malformed, or None."""
    if not CODE_PATTERN.fullmatch(value):
        return f"mã “{_printable(value)}” không hợp lệ: {CODE_RULE} (không có dấu cách, “/”)."
    return None


def _printable(value: str) -> str:
    return (_FORBIDDEN_MULTILINE.sub("�", value))[:60]


def max_length(model: type[models.Model], field_name: str) -> int | None:
    return model._meta.get_field(field_name).max_length


def length_error(model: type[models.Model], field_name: str, value: str) -> str | None:
    """Why a text is too long for its column (the model field's max_length), or None."""
    limit = max_length(model, field_name)
    if limit is not None and len(value) > limit:
        return f"dài {len(value)} ký tự, tối đa {limit} ký tự."
    return None


def integer_error(value: int) -> str | None:
    if not BIGINT_MIN <= value <= BIGINT_MAX:
        return "số quá lớn."
    return None


def year_error(year: int) -> str | None:
    if not FIRST_YEAR <= year <= last_year():
        return f"năm {year} nằm ngoài khoảng {FIRST_YEAR}–{last_year()}."
    return None


def date_error(value: datetime.date) -> str | None:
    """Dates between 1900 and the end of ten years from now (decisions, terms, due dates)."""
    latest = datetime.date(timezone.localdate().year + 10, 12, 31)
    if not OLDEST_DATE <= value <= latest:
        return f"ngày {value:%d/%m/%Y} nằm ngoài khoảng {OLDEST_DATE:%d/%m/%Y}–{latest:%d/%m/%Y}."
    return None


def field_error(
    model: type[models.Model], field_name: str, value: Any, *, code: bool = False
) -> str | None:
    """Every rule that applies to `value` for the model field: characters, length, code
    alphabet (`code`), integer range, date range."""
    if value is None or value == "":
        return None
    field = model._meta.get_field(field_name)
    if isinstance(value, str):
        multiline = isinstance(field, models.TextField)
        return (
            text_error(value, multiline=multiline)
            or length_error(model, field_name, value)
            or (code_error(value) if code else None)
        )
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return integer_error(value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return date_error(value)
    return None


def field_problems(
    model: type[models.Model], values: dict[str, Any], *, codes: tuple[str, ...] = ()
):
    """(field name, message) for every value of a model's fields breaking a rule (imports)."""
    names = {field.name for field in model._meta.concrete_fields}
    for name, value in values.items():
        if name in names and (error := field_error(model, name, value, code=name in codes)):
            yield name, error


class FieldRules:
    """`field_problems` for the many rows of one import: each field's rule read once, and the
    latest date allowed computed once, instead of per value (a 10,000-row members file checks
    150,000 values). The common value, printable text within its length (a code in the code
    alphabet) or a date within the range, is passed in a few operations; anything else gets
    `field_error` itself, so the messages and the rules are exactly those of `field_problems`."""

    def __init__(self, model: type[models.Model], *, codes: tuple[str, ...] = ()) -> None:
        self.model = model
        self.codes = codes
        self.latest = datetime.date(timezone.localdate().year + 10, 12, 31)
        self.limits = {
            field.name: field.max_length or 0 for field in model._meta.concrete_fields
        }  # 0: no length limit

    def problems(self, values: dict[str, Any]):
        """(field name, message) for every value of the model's fields breaking a rule."""
        for name, value in values.items():
            limit = self.limits.get(name)
            if limit is None or value is None or value == "":
                continue  # not a field of the model, or empty: nothing to check
            kind = type(value)
            if kind is str:
                # Printable text holds no control or bidirectional character (all are of the
                # Unicode categories Cc/Cf, never printable): only its length and alphabet left.
                if (
                    value.isprintable()
                    and (not limit or len(value) <= limit)
                    and (name not in self.codes or CODE_PATTERN.fullmatch(value))
                ):
                    continue
            elif kind is datetime.date and OLDEST_DATE <= value <= self.latest:
                continue
            if error := field_error(self.model, name, value, code=name in self.codes):
                yield name, error


def require_fields(
    model: type[models.Model], values: dict[str, Any], *, codes: tuple[str, ...] = ()
) -> None:
    """Refuse the first value breaking a rule, naming its field (DomainError.field)."""
    for name, value in values.items():
        if error := field_error(model, name, value, code=name in codes):
            label = str(model._meta.get_field(name).verbose_name)
            raise DomainError(f"{label[:1].upper()}{label[1:]}: {error}", field=name)


def require_text(value: str, *, field: str, label: str, multiline: bool = False) -> None:
    """Refuse a free text (not stored in one model field) with a forbidden character."""
    if error := text_error(value, multiline=multiline):
        raise DomainError(f"{label}: {error}", field=field)


def require_reason(reason: str, missing: str) -> str:
    """The reason of a final action, or of its undoing, kept in the history: required, checked
    like every free text; returns it stripped. `missing`: the refusal when it is empty."""
    require_text(reason, field="reason", label="Lý do", multiline=True)
    if not reason.strip():
        raise DomainError(missing, field="reason")
    return reason.strip()


def check_instance(instance: models.Model, fields=None) -> None:
    """The last line before the database: every text, integer and date of `instance` checked
    against its column, the same on SQLite and PostgreSQL (a pre_save receiver). `fields`:
    the names a save writes (update_fields), so a legacy value in a column the save leaves
    alone (an imported code from before the alphabet rule) does not block a rename."""
    for field in instance._meta.concrete_fields:
        if field.primary_key or isinstance(field, models.BinaryField | models.JSONField):
            continue
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, datetime.date):
            continue  # a stored date is checked where it is entered: history may predate 1900
        if error := field_error(type(instance), field.name, value):
            label = str(field.verbose_name)
            raise DomainError(f"{label[:1].upper()}{label[1:]}: {error}", field=field.name)
