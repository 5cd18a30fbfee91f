"""Reads shared across areas: the change history of the user's subtree, and the review of
reads and account events (who looked at, printed or exported what; who signed in)."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from dangvien.core.errors import DomainError
from dangvien.core.models import AUTH_ACTIONS, NOT_CHANGES, READ_ACTIONS, AuditEntry
from dangvien.core.roles import role_reads
from dangvien.core.scope import path_filter, scope_of, visible
from dangvien.core.spreadsheets import parse_date

HISTORY_DAYS = 31  # the history page's default period: "this month"
HISTORY_MAX_DAYS = 3660  # ten years


@dataclass(frozen=True)
class HistoryFilters:
    """The change history's filters from the query string: ?from=&to= (dd/mm/yyyy, by default
    the last 31 days; ?days=N, the period links, still works), ?person= (who made the change),
    ?record= (the record's name or code as the history names it), ?action= (one kind)."""

    date_from: datetime.date
    date_to: datetime.date
    person: str = ""
    record: str = ""
    action: str = ""

    @classmethod
    def from_query(cls, query, days: int | None = None) -> "HistoryFilters":
        """The filters asked for; DomainError (Vietnamese, with the field) for a bad value."""
        today = timezone.localdate()
        since = today - datetime.timedelta(days=(days or HISTORY_DAYS) - 1)
        date_from = _review_day(query.get("from", ""), "from", since)
        date_to = _review_day(query.get("to", ""), "to", today)
        if date_from > date_to:
            raise DomainError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.", field="from")
        action = query.get("action", "").strip()
        if action and action not in change_actions():
            raise DomainError("Loại thay đổi không hợp lệ.", field="action")
        person, record = (_text_filter(query, name) for name in ("person", "record"))
        return cls(date_from, date_to, person, record, action)

    def as_query(self) -> dict[str, str]:
        query = {"from": f"{self.date_from:%d/%m/%Y}", "to": f"{self.date_to:%d/%m/%Y}"}
        for name in ("person", "record", "action"):
            if value := getattr(self, name):
                query[name] = value
        return query


def _text_filter(query, name: str) -> str:
    value = query.get(name, "").strip()
    if len(value) > 150 or any(ord(char) < 32 for char in value):
        raise DomainError("Giá trị lọc không hợp lệ.", field=name)
    return value


def change_actions() -> dict[str, str]:
    """The kinds of change the history lists (every action but reads and sign-ins), by label."""
    from dangvien.core.models import ACTION_LABELS

    changes = {key: label for key, label in ACTION_LABELS.items() if key not in NOT_CHANGES}
    return dict(sorted(changes.items(), key=lambda item: item[1]))


def changes(user, filters: HistoryFilters) -> QuerySet[AuditEntry]:
    """Changes in the user's subtree matching `filters`, newest first (the page pages them)."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(filters.date_from, datetime.time.min, zone)
    end = datetime.datetime.combine(
        filters.date_to + datetime.timedelta(1), datetime.time.min, zone
    )
    entries = (
        visible(user, AuditEntry).filter(at__gte=start, at__lt=end).exclude(action__in=NOT_CHANGES)
    )
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.record:
        entries = entries.filter(target_label__icontains=filters.record)
    if filters.person:
        named = Q(username__icontains=filters.person) | Q(full_name__icontains=filters.person)
        people = get_user_model().objects.filter(named).values("pk")
        entries = entries.filter(actor__in=people)
    return entries.select_related("actor").order_by("-at", "-id")


# -- The access review: reads of personal data and account events, by person and period -------

ACCESS_KINDS = {"": "Tất cả", "reads": "Xem, in, xuất dữ liệu", "auth": "Đăng nhập và tài khoản"}


@dataclass(frozen=True)
class AccessFilters:
    """The review's filters from the query string: ?person=&from=dd/mm/yyyy&to=dd/mm/yyyy&kind=
    (by default the last 31 days, everybody, every kind)."""

    date_from: datetime.date
    date_to: datetime.date
    person: str = ""
    kind: str = ""

    @classmethod
    def from_query(cls, query) -> "AccessFilters":
        """The filters asked for; DomainError (Vietnamese, with the field) for a bad value."""
        today = timezone.localdate()
        date_from = _review_day(query.get("from", ""), "from", today - datetime.timedelta(30))
        date_to = _review_day(query.get("to", ""), "to", today)
        if date_from > date_to:
            raise DomainError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.", field="from")
        kind = query.get("kind", "").strip()
        if kind not in ACCESS_KINDS:
            raise DomainError("Loại hoạt động không hợp lệ.", field="kind")
        person = query.get("person", "").strip()
        if len(person) > 150 or any(ord(char) < 32 for char in person):
            raise DomainError("Tên người không hợp lệ.", field="person")
        return cls(date_from, date_to, person, kind)

    def as_query(self) -> dict[str, str]:
        query = {"from": f"{self.date_from:%d/%m/%Y}", "to": f"{self.date_to:%d/%m/%Y}"}
        if self.person:
            query["person"] = self.person
        if self.kind:
            query["kind"] = self.kind
        return query


def _review_day(text: str, field: str, default: datetime.date) -> datetime.date:
    text = text.strip()
    if not text:
        return default
    try:
        day = parse_date(text)
    except ValueError as error:
        raise DomainError(f"Ngày: {error}", field=field) from None
    if not 1900 <= day.year <= 9000:
        raise DomainError(f"Ngày {text} nằm ngoài khoảng cho phép.", field=field)
    return day


def inspector_paths(user) -> tuple[str, ...]:
    """The subtrees the user inspects (active inspector bindings on organisations not ended),
    asked once per request and kept on the user like the scope."""
    if not user.is_authenticated or not user.is_active:
        return ()
    if not hasattr(user, "_dangvien_inspects"):
        scope_of(user)  # reads the role bindings once for the scope and for this
    return user._dangvien_inspects


def may_review_access(user) -> bool:
    """Administrators review every trace; inspectors those of their subtrees."""
    return scope_of(user).everything or bool(inspector_paths(user))


def access_entries(user, filters: AccessFilters) -> QuerySet[AuditEntry]:
    """Reads and account events the user may review, newest first.

    An administrator sees all of them. An inspector sees the reads filed under their subtrees
    (the record's or the scope's organisation) and the account events (logins, failed logins,
    password changes…) of users who hold an active role inside their subtrees; events of
    administrators and of unknown user names stay with the administrators."""
    User = get_user_model()
    entries = AuditEntry.unscoped.all()
    user_type = User._meta.label_lower
    if not scope_of(user).everything:
        paths = inspector_paths(user)
        if not paths:
            return entries.none()
        bound = role_reads().holders(paths)
        entries = entries.filter(
            (Q(action__in=READ_ACTIONS) & path_filter("org_path", paths))
            | Q(action__in=AUTH_ACTIONS, target_type=user_type, target_id__in=bound)
        )
    kinds = {"reads": READ_ACTIONS, "auth": AUTH_ACTIONS, "": READ_ACTIONS + AUTH_ACTIONS}
    entries = entries.filter(action__in=kinds[filters.kind])
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(filters.date_from, datetime.time.min, zone)
    end = datetime.datetime.combine(
        filters.date_to + datetime.timedelta(1), datetime.time.min, zone
    )
    entries = entries.filter(at__gte=start, at__lt=end)
    if filters.person:
        people = User.objects.filter(
            Q(username__iexact=filters.person)
            | Q(username__icontains=filters.person)
            | Q(full_name__icontains=filters.person)
        ).values("pk")
        entries = entries.filter(
            Q(actor__in=people) | Q(target_type=user_type, target_id__in=people)
        )
    return entries.select_related("actor").order_by("-at", "-id")
