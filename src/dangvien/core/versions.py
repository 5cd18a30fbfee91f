"""Edits that never silently overwrite: every edit carries the version of the record it read.

A versioned model has an integer `version` column (`version_field()`) that every service
changing the record increments (`bump`). A page or an API client reads a token
"<version>.<last history entry id>.<mac>"; the service takes it as `expected_version` and
`check` refuses a stale save with what changed in between, read from the AuditEntry rows
recorded after the one the user saw. The mac (an HMAC of the record's model, id, and what its
history counts) binds the token to the record it was read from: a token read from record A
sent to change record B is refused (`StaleEdit`, 412 in the API), whatever their versions.
A token without a mac (a page opened before tokens were bound, or a screen listing many
records) is bound through the history instead (`_read_from`); a bare number is refused.
A model without a version column (rule sets) is versioned by its history alone.
`expected_version=None` (imports, demo loaders, internal callers: the services' default)
skips the check; an empty token "" is what a form or API request that carried no version
hands over, and `check` refuses it (`VersionRequired`): an old page or a client that never
read the record. "*" (RFC 9110's If-Match: * matches any version, so it would protect
nothing) is refused the same way. A record without a row of its own (a quota, a commitment)
is versioned by the history entries of its owner that carry its change key (`key`).
"""

import re
from dataclasses import dataclass

from django import forms
from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from dangvien.core import models as core_models
from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry

FIELD = "version"
TOKEN_MAX = 64  # characters of a token: the forms' hidden field, the API's `version`
MAC_LENGTH = 16  # hex digits of the mac binding a token to its record (64 bits)
_MAC_SALT = "dangvien.core.versions.token"
# version, then the last history entry seen, then the mac; ids within a bigint.
_TOKEN = re.compile(rf"(\d{{1,18}})(?:\.(\d{{1,18}})(?:\.([0-9a-f]{{{MAC_LENGTH}}}))?)?", re.ASCII)


def version_field() -> models.PositiveIntegerField:
    """The column a versioned model declares; 1 for a new row, so bulk loaders need nothing."""
    return models.PositiveIntegerField("phiên bản", default=1, editable=False)


class StaleEdit(DomainError):
    """The record changed after the user read it; `message` names what changed and `current`
    is the token of the version now stored (a form carries it once the user has seen it)."""

    def __init__(self, message: str, current: str = "", changed: dict | None = None):
        super().__init__(message)
        self.current = current
        self.changed = changed or {}  # field → [value when read, value now], as the history has


class VersionRequired(DomainError):
    """A request to change a record carried no version (a page opened before versions, or an
    API client that did not read the record first): nothing is changed."""

    def __init__(self, message: str = "", *, any_version: bool = False):
        self.any_version = any_version  # "*" was sent: any version, which protects nothing
        default = (
            "Phiên bản «*» (bất kỳ phiên bản nào) không được chấp nhận vì có thể ghi đè thay đổi "
            "của người khác: hãy tải lại trang rồi lưu lại."
            if any_version
            else "Trang bạn dùng đã cũ (thiếu phiên bản hồ sơ): hãy tải lại trang rồi lưu lại."
        )
        super().__init__(message or default)  # no field: a form shows it on top


@dataclass(frozen=True)
class Token:
    version: int
    seen: int | None = None  # the id of the last history entry of the record when read
    mac: str = ""  # binds the token to its record (`bound`); "" in a token made without it

    def __str__(self) -> str:
        text = f"{self.version}.{self.seen or 0}"
        return f"{text}.{self.mac}" if self.mac else text


def parse(text: str | int | None) -> Token | None:
    """A token as a form or an If-Match header sends it ('3.1542.<mac>', '"3.1542"', 'W/"3"',
    3); "*" is refused as no version at all (`VersionRequired`)."""
    if text is None or text == "":
        return None
    raw = str(text).strip().removeprefix("W/").strip('"')
    if raw == "*":
        raise VersionRequired(any_version=True)
    match = _TOKEN.fullmatch(raw)
    if match is None:
        raise DomainError("Phiên bản hồ sơ không hợp lệ: hãy mở lại trang.", field=FIELD)
    version, seen, mac = match.groups()
    return Token(int(version), int(seen) if seen is not None else None, mac or "")


def _mac(target, actions: str, key: str, version: int, seen: int | None) -> str:
    """What binds a token to the record it was read from ("" for a record not created yet)."""
    if target is None or target.pk is None:
        return ""
    label = target._meta.concrete_model._meta.label_lower
    message = f"{label}:{target.pk}:{actions}:{key}:{version}.{seen or 0}"
    return salted_hmac(_MAC_SALT, message, algorithm="sha256").hexdigest()[:MAC_LENGTH]


def bound(version: int, seen: int | None, target, actions: str = "", key: str = "") -> str:
    """The token of `version` and history mark `seen` read from `target` (its history counted
    by `actions` and `key` as `check` will count it), bound to that record."""
    return str(Token(version, seen or 0, _mac(target, actions, key, version, seen)))


def _has_column(model) -> bool:
    return any(field.name == FIELD for field in model._meta.concrete_fields)


NOT_CHANGES = core_models.NOT_CHANGES


def _history(target, actions: str = "", key: str = ""):
    """The entries of `target` that record a change (optionally those of one kind of action,
    or those changing the field `key`)."""
    entries = AuditEntry.unscoped.filter(
        target_type=target._meta.label_lower, target_id=target.pk
    ).exclude(action__in=NOT_CHANGES)
    if actions:
        entries = entries.filter(action__startswith=actions)
    return entries.filter(changes__has_key=key) if key else entries


def last_seen(target, actions: str = "", key: str = "") -> int:
    """The id of the last history entry of `target` (0 when none)."""
    if target is None or target.pk is None:
        return 0
    return _history(target, actions, key).aggregate(last=Max("id"))["last"] or 0


def last_seen_many(model, ids, actions: str = "") -> dict[int, int]:
    """`last_seen` of many records of one model in one query (the grading screens' rows)."""
    entries = AuditEntry.unscoped.filter(
        target_type=model._meta.label_lower, target_id__in=list(ids)
    ).exclude(action__in=NOT_CHANGES)
    if actions:
        entries = entries.filter(action__startswith=actions)
    rows = entries.values("target_id").annotate(last=Max("id")).values_list("target_id", "last")
    return dict(rows)


def token(obj, *, history_of=None, actions: str = "", key: str = "") -> str:
    """What an edit page or an API response hands out for `obj` (None: a row not created yet).
    `history_of` is the record whose history names the changes (default `obj`)."""
    target = history_of if history_of is not None else obj
    version = getattr(obj, FIELD, 0) if obj is not None and obj.pk is not None else 0
    return bound(version, last_seen(target, actions, key), target, actions, key)


def tokens_many(objs) -> dict[int, str]:
    """`token` of many records of one versioned model in one query (the rows of a list)."""
    objs = [obj for obj in objs if obj.pk is not None]
    if not objs:
        return {}
    seen = last_seen_many(type(objs[0]), [obj.pk for obj in objs])
    return {obj.pk: bound(getattr(obj, FIELD, 0), seen.get(obj.pk, 0), obj) for obj in objs}


def _locked_version(obj) -> int:
    """The version of `obj` now, its row locked until the end of the transaction (0: no row)."""
    if obj is None or obj.pk is None:
        return 0
    current = (
        type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list(FIELD, flat=True)
    )
    return current.first() or 0


def _read_from(read: Token, target, actions: str, key: str, counted: bool, current: int) -> bool:
    """Whether token `read` was read from `target`. A bound token's mac says so. A token
    without one (a page opened before tokens were bound, a screen listing many records) of a
    record with a version column must name an entry of the record's own history as the last
    it saw, or none when the record has no history; one of a record versioned by its history
    alone is a mark in that history (a page may show many records: the quotas), refused below
    if any later entry changed the record. A bare number says nothing of its record."""
    if read.mac:
        return constant_time_compare(read.mac, _mac(target, actions, key, read.version, read.seen))
    if read.seen is None:
        return False
    if not counted or current != read.version:
        return True  # versioned by its history, or changed since: refused below as stale
    if target is None or target.pk is None:
        return read.seen == 0
    history = _history(target, actions, key)
    return history.filter(id=read.seen).exists() if read.seen else not history.exists()


def check(
    obj,
    expected: str | int | None,
    *,
    history_of=None,
    actions: str = "",
    key: str = "",
    model=None,
    label: str = "Hồ sơ",
) -> None:
    """Refuse the save when `obj` changed after the user read token `expected`, or when the
    token was not read from this record (None: no check; "" or "*": no version, refused).

    `model` names the model when `obj` may be a row not created yet (version 0); `history_of`
    the record whose history says what changed; `actions` a prefix of the actions that count,
    `key` the changed field that counts (a record kept in its owner's history)."""
    if expected is not None and str(expected).strip() == "":
        raise VersionRequired()
    read = parse(expected)
    if read is None:
        return
    target = history_of if history_of is not None else obj
    versioned = model or (type(obj) if obj is not None else None)
    counted = versioned is not None and _has_column(versioned)
    current = _locked_version(obj) if counted else 0
    if not counted and target is not None and target.pk is not None:
        type(target)._base_manager.select_for_update().filter(pk=target.pk).exists()
    if not _read_from(read, target, actions, key, counted, current):
        raise StaleEdit(
            f"{label}: phiên bản gửi kèm không được đọc từ chính hồ sơ này (có thể là của một "
            "hồ sơ khác). Hãy xem lại và lưu lại.",
            bound(current, last_seen(target, actions, key), target, actions, key),
        )
    if counted and current == read.version:
        return
    seen = last_seen(target, actions, key)
    if not counted and seen <= (read.seen or 0):
        return
    now = bound(current, seen, target, actions, key)
    entries = changes_since(target, read, current, actions=actions, key=key)
    changed: dict = {}
    for entry in entries:
        for name, (old, new) in entry.changes.items():
            changed[name] = [changed[name][0] if name in changed else old, new]
    raise StaleEdit(describe(entries, label=label), now, changed)


def bump(obj) -> None:
    """Count one more change of `obj` (call it in the transaction that writes the change)."""
    model = type(obj)
    model._base_manager.filter(pk=obj.pk).update(**{FIELD: models.F(FIELD) + 1})
    setattr(obj, FIELD, model._base_manager.filter(pk=obj.pk).values_list(FIELD, flat=True)[0])


def _value(value) -> str:
    return "—" if value in (None, "", [], {}) else str(value)


def _actor(entry: AuditEntry) -> str:
    if entry.actor is None:
        return "hệ thống (nhập từ tệp)" if entry.reason.startswith("Nhập từ tệp") else "hệ thống"
    return entry.actor.full_name or entry.actor.username


def changes_since(
    target, read: Token, current: int, *, actions: str = "", key: str = ""
) -> list[AuditEntry]:
    """The history entries recorded after the user read `target` (a bare version without the
    history mark: the last `current - read.version` entries)."""
    if target is None or target.pk is None:
        return []
    entries = _history(target, actions, key).select_related("actor")
    if read.seen is not None:
        return list(entries.filter(id__gt=read.seen).order_by("id")[:10])
    count = min(max(current - read.version, 0), 10)
    return list(reversed(entries.order_by("-id")[:count])) if count else []


def describe(entries: list[AuditEntry], *, label: str = "Hồ sơ") -> str:
    """The refusal in Vietnamese: who changed what, when, since the user opened the page."""
    parts = []
    for entry in entries:
        when = timezone.localtime(entry.at).strftime("%H:%M ngày %d/%m/%Y")
        fields = "; ".join(
            f"{name}: {_value(old)} → {_value(new)}" for name, old, new in entry.change_rows()
        )
        parts.append(
            f"{_actor(entry)} sửa lúc {when} ({entry.action_label.lower()}"
            + (f": {fields})" if fields else ")")
        )
    if not parts:
        return f"{label} đã được thay đổi sau khi bạn mở trang. Hãy xem lại và lưu lại."
    return f"{label} đã được {'; '.join(parts)} sau khi bạn mở trang. Hãy xem lại và lưu lại."


class VersionField(forms.CharField):
    """The hidden field an edit form carries: the token of the version the page showed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Phiên bản")
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("max_length", TOKEN_MAX)
        super().__init__(**kwargs)


def refresh(form: forms.Form, current: str, name: str = FIELD) -> None:
    """After a refusal, let the next save apply the user's values over what they now saw: the
    form keeps what they typed and carries the version they were shown."""
    data = form.data.copy()
    data[name] = current
    form.data = data


def _as_posted(value) -> str:
    return "" if value is None else str(value)


def merge(form: forms.Form, changed: dict, prefix: str = "") -> None:
    """Show the other person's change where the user left the field as they read it; where the
    user typed something else, keep it and name the other value on the field."""
    data = form.data.copy()
    for name, (old, new) in changed.items():
        key = f"{prefix}{name}"
        if key not in form.fields or key not in data:
            continue
        if data.get(key, "") == _as_posted(old):
            data[key] = _as_posted(new)
        elif data.get(key, "") != _as_posted(new):
            form.add_error(
                key,
                f"Người khác đã sửa thành «{_value(new)}»; giá trị bạn nhập vẫn được giữ lại.",
            )
    form.data = data


def on_refusal(form: forms.Form, exc: DomainError) -> None:
    """What a view does with a service's refusal: a stale save brings the form to the version
    now stored, the user's own edits kept, so that saving again applies them knowingly."""
    if isinstance(exc, StaleEdit) and FIELD in form.fields and exc.current:
        merge(form, exc.changed)
        refresh(form, exc.current, form.add_prefix(FIELD))  # a prefixed form's own field
