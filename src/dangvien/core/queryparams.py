"""Query parameters read the same way everywhere: a bad value is a 400 with a Vietnamese
message (never a 500), a number beyond a bigint is refused before the database."""

import re

from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponseBadRequest
from django.template.loader import render_to_string

from dangvien.core.errors import DomainError
from dangvien.core.validation import BIGINT_MAX


class BadQuery(BadRequest):
    """A query parameter the page cannot use; `message` is shown to the user, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_int(raw: str | None, *, label: str, low: int = 0, high: int = BIGINT_MAX) -> int | None:
    """An integer typed in ASCII digits within [low, high]; None when empty; BadQuery else."""
    text = (raw or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"-?[0-9]{1,19}", text):
        raise BadQuery(f"{label}: “{text[:40]}” không phải là một số.")
    value = int(text)
    if not low <= value <= high:
        raise BadQuery(f"{label} phải là số từ {low} đến {high}.")
    return value


def query_int(params, name: str, *, label: str, low: int = 0, high: int = BIGINT_MAX):
    """The integer of `?name=` (None when absent) within [low, high]; BadQuery otherwise."""
    return parse_int(params.get(name), label=label, low=low, high=high)


def parse_year(text: str | None) -> int | None:
    """A year typed by a user ("2024"); None when empty; DomainError when it is not a year."""
    text = (text or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) != 4:
        raise DomainError(f"“{text}” không phải là một năm (ví dụ 2024).", field="year")
    return int(text)


def query_option(params, name: str, options, *, label: str) -> str:
    """`?name=` if it is one of `options` ("" when absent); BadQuery for any other value."""
    value = params.get(name, "").strip()
    if value and value not in options:
        raise BadQuery(f"{label}: “{value[:40]}” không phải là một lựa chọn của trang.")
    return value


def object_pk(raw) -> int:
    """A primary key from a URL or a request: anything but an id within a bigint is a 404."""
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > BIGINT_MAX:
        raise Http404("Không tìm thấy.")
    return int(text)


def bad_request(request, exception=None):
    """handler400: the message of a BadQuery, or a generic one for other bad requests."""
    message = getattr(exception, "message", "") or "Yêu cầu không hợp lệ."
    html = render_to_string("400.html", {"message": message}, request=request)
    return HttpResponseBadRequest(html)
