"""The reorganisation screen's batch (issue 13, item 4): what an officer chose for the
organisations under one (move, absorb, end, rename) becomes rows of `import org-events`
(formats.md), checked, rehearsed and written by the importer's own machinery
(`events_importing.apply_event_rows`), so the screen and the file refuse, record and audit the
same way. Here too: the before/after counts of the units a batch changes, read inside the
rehearsal, and the fingerprint that keeps a stale preview from being applied."""

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.utils.crypto import salted_hmac

from dangvien.core.errors import DomainError
from dangvien.core.import_lock import import_lock
from dangvien.core.importing import ImportReport, chunks
from dangvien.core.roles import Capability
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.members.selectors import active_members_below
from dangvien.organizations import selectors
from dangvien.organizations.events_importing import apply_event_rows
from dangvien.organizations.models import (
    BASE_KINDS,
    BRANCH_KINDS,
    Organization,
    OrgEvent,
    OrgEventKind,
    OrgKind,
)

MOVE, ABSORB, END = "move", "absorb", "end"
EVENT_OF_ACTION = {MOVE: OrgEventKind.MOVE, ABSORB: OrgEventKind.ABSORB, END: OrgEventKind.END}
ACTION_CHOICES = [("", "Giữ nguyên"), (MOVE, "Chuyển"), (ABSORB, "Sáp nhập"), (END, "Giải thể")]
# Rows one page offers: three fields each stay under Django's 1,000 fields of a request.
MAX_ROWS = 250
# The organisations counted below each unit of the before/after table, by group.
COUNTED_KINDS = {
    "upper": frozenset({OrgKind.UPPER}),
    "base": BASE_KINDS,
    "partial": frozenset({OrgKind.PARTIAL_COMMITTEE}),
    "branches": BRANCH_KINDS,
}
_FINGERPRINT_SALT = "dangvien.organizations.reorganising.fingerprint"


@dataclass
class Choice:
    """One organisation of the screen and what the officer chose for it."""

    org: Organization  # with the counts of `with_subtree_counts`
    level: int = 0  # 0 directly under the screen's organisation, 1 one level more
    action: str = ""
    target: str = ""  # the new parent's or the receiving organisation's code
    new_name: str = ""
    problems: list[str] = field(default_factory=list)
    toggle_url: str = ""  # the screen showing or hiding the organisations under this one
    expanded: bool = False

    @property
    def renames(self) -> bool:
        return bool(self.new_name) and self.new_name != self.org.name

    @property
    def chosen(self) -> bool:
        return bool(self.action) or self.renames


@dataclass(frozen=True)
class BatchDecision:
    """The one decision behind the whole batch."""

    effective_on: datetime.date
    number: str
    body: str = ""


def offered(root: Organization, query: str = "", expand=()) -> list[Choice]:
    """The active organisations directly under `root` (those whose name or code `query` finds),
    each followed by its own when its code is in `expand`; at most MAX_ROWS."""
    children = root.children.filter(ended_on__isnull=True)
    if query:
        children = selectors.matching(children, query)
    listed = list(_counted(children).order_by("sort_key")[:MAX_ROWS])
    opened = [child.pk for child in listed if child.code in expand]
    below: dict[int, list[Organization]] = {}
    if opened:  # the expanded ones' children in one query, not one a row
        grandchildren = Organization.unscoped.filter(parent_id__in=opened, ended_on__isnull=True)
        for org in _counted(grandchildren).order_by("sort_key")[: MAX_ROWS * len(opened)]:
            below.setdefault(org.parent_id, []).append(org)
    found = []
    for child in listed:
        found.append(Choice(child))
        found += [Choice(org, level=1) for org in below.get(child.pk, [])[:MAX_ROWS]]
    return found[:MAX_ROWS]


def _counted(orgs: QuerySet[Organization]) -> QuerySet[Organization]:
    return selectors.with_subtree_counts(orgs.select_related("parent"))


def posted_orgs(user, ids: list[int]) -> list[Organization] | None:
    """The organisations of a posted batch, in its order, if the user manages every one."""
    found = {
        org.pk: org
        for org in _counted(
            selectors.visible_orgs(user, Capability.MANAGE_ORGS).filter(pk__in=ids[:MAX_ROWS])
        )
    }
    if len(ids) > MAX_ROWS or any(pk not in found for pk in ids):
        return None
    return [found[pk] for pk in ids]


def check_choice(root: Organization, choice: Choice) -> None:
    """What the screen itself refuses in a row, before the importer sees it."""
    org = choice.org
    if choice.chosen and (not org.path.startswith(root.path) or org.pk == root.pk):
        choice.problems.append(f"{org.name} không trực thuộc {root.name}.")
    elif choice.chosen and not org.is_active:
        choice.problems.append(f"{org.name} đã thôi hoạt động.")
    if choice.action in (MOVE, ABSORB) and not choice.target:
        where = "cấp trên mới" if choice.action == MOVE else "tổ chức tiếp nhận"
        choice.problems.append(f"Cần ghi mã {where}.")
    if choice.action not in (MOVE, ABSORB) and choice.target:
        choice.problems.append(
            "Mã tổ chức chỉ ghi khi chọn «Chuyển» hoặc «Sáp nhập»; hãy chọn hoặc xóa mã."
        )
    if choice.action in (ABSORB, END) and choice.renames:
        choice.problems.append("Tổ chức sáp nhập hoặc giải thể thì không đổi tên.")


def event_rows(choices: list[Choice], decision: BatchDecision) -> list[tuple[Choice, dict]]:
    """The rows of `import org-events` the choices make, in the order they apply (all on one
    day, in the order of the rows: formats.md): moves, renames, then absorptions and ends, the
    deepest first, so that what an organisation held has left it before it ends."""
    common = {
        "effective_on": decision.effective_on,
        "number": decision.number,
        "body": decision.body,
    }

    def row(choice: Choice, kind: OrgEventKind, **cells) -> tuple[Choice, dict]:
        return choice, {"code": choice.org.code, "event": kind.label, **common, **cells}

    deepest_first = sorted(choices, key=lambda choice: -choice.org.depth)
    return [
        *(row(c, OrgEventKind.MOVE, new_parent=c.target) for c in choices if c.action == MOVE),
        *(row(c, OrgEventKind.RENAME, new_name=c.new_name) for c in choices if c.renames),
        *(
            row(c, OrgEventKind.ABSORB, receiving=c.target)
            for c in deepest_first
            if c.action == ABSORB
        ),
        *(row(c, OrgEventKind.END) for c in deepest_first if c.action == END),
    ]


def reason(root: Organization) -> str:
    """The note kept with every event of a batch (the importer keeps the file's name)."""
    return f"Sắp xếp lại tổ chức trực thuộc {root.name} (mã {root.code}) trên màn hình"


def attach_problems(rows: list[tuple[Choice, dict]], report: ImportReport) -> None:
    """Each problem of the importer (by row number) on the choice that made the row."""
    for problem in report.sorted_problems():
        index = problem.row - 2  # event_table numbers the rows from 2
        if 0 <= index < len(rows):
            choice, cells = rows[index]
            column = f" – {problem.column}" if problem.column else ""
            choice.problems.append(f"{cells['event']}{column}: {problem.message}")


@dataclass
class Unit:
    """An organisation whose subtree the batch changes, before and after."""

    code: str
    name: str
    kind: str
    before: dict
    after: dict

    @property
    def changed(self) -> bool:
        keys = ("members", *COUNTED_KINDS, "parent", "ended_on")
        return any(self.before.get(key) != self.after.get(key) for key in keys)


@dataclass
class Preview:
    """A rehearsal of the batch: the importer's report and, when every row applied, the
    units before and after."""

    report: ImportReport
    total: Unit | None = None
    units: list[Unit] = field(default_factory=list)
    members_moved: int = 0
    counts: dict = field(default_factory=dict)  # event label → rows of that event


def preview(user, root: Organization, rows: list[tuple[Choice, dict]]) -> Preview:
    """The batch rehearsed and rolled back (nothing written), with the counts of each unit it
    concerns read before and, inside the rehearsal, after."""
    ids = _concerned(user, root, [choice for choice, _cells in rows])
    before, after = unit_counts(ids), {}
    report = apply_event_rows(
        [cells for _choice, cells in rows],
        actor=user,
        dry_run=True,
        reason=reason(root),
        rehearsed=lambda: after.update(unit_counts(ids)),
    )
    result = Preview(report, counts=event_counts(rows))
    if not report.ok:
        attach_problems(rows, report)
        return result
    units = [unit_of(before[pk], after[pk]) for pk in ids if pk in before and pk in after]
    result.total = next((unit for unit in units if unit.code == root.code), None)
    result.units = [unit for unit in units if unit.code != root.code]
    result.members_moved = members_moved(rows)
    return result


def event_counts(rows: list[tuple[Choice, dict]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _choice, cells in rows:
        counts[cells["event"]] = counts.get(cells["event"], 0) + 1
    return counts


def members_moved(rows: list[tuple[Choice, dict]]) -> int:
    """Active members in the subtrees that move or are absorbed (each counted once)."""
    return members_below(
        {choice.org.path for choice, _cells in rows if choice.action in (MOVE, ABSORB)}
    )


def members_below(paths: set[str]) -> int:
    """Active members below any of `paths` (each counted once): one query."""
    if not paths:
        return 0
    below = Q()
    for path in paths:
        below |= Q(branch_path__startswith=path)
    return Member.unscoped.filter(below, status__in=ACTIVE_STATUSES).count()


def _concerned(user, root: Organization, choices: list[Choice]) -> list[int]:
    """The screen's organisation, then each chosen one, its parent and its target."""
    targets = {choice.target for choice in choices if choice.target}
    by_code = dict(
        selectors.visible_orgs(user, Capability.MANAGE_ORGS)
        .filter(code__in=sorted(targets))
        .values_list("code", "pk")
    )
    ids = [root.pk]
    for choice in choices:
        for pk in (choice.org.pk, choice.org.parent_id, by_code.get(choice.target)):
            if pk is not None and pk not in ids:
                ids.append(pk)
    return ids


def unit_counts(ids: list[int]) -> dict[int, dict]:
    """Active members and active organisations of each group below each organisation of `ids`,
    with its parent and end: one query per 900 organisations."""
    # The subquery the organisation page counts with (selectors.subtree_summary's groups).
    annotations = {key: selectors.count_below(kinds) for key, kinds in COUNTED_KINDS.items()}
    found = {}
    for chunk in chunks(ids):
        rows = (
            Organization.unscoped.filter(pk__in=chunk)
            .annotate(members_below=active_members_below(), **annotations)
            .values(
                "pk",
                "code",
                "name",
                "kind",
                "ended_on",
                "parent__name",
                "members_below",
                *annotations,
            )
        )
        for row in rows:
            row["parent"] = row.pop("parent__name") or ""
            row["members"] = row.pop("members_below")
            found[row["pk"]] = row
    return found


def unit_of(before: dict, after: dict) -> Unit:
    """An organisation's row of the before/after table, from two readings of unit_counts."""
    return Unit(before["code"], after["name"], OrgKind(before["kind"]).label, before, after)


def fingerprint(user, root: Organization, rows: list[tuple[Choice, dict]]) -> str:
    """A digest of the batch and of the tree it acts on (the organisations under `root` and
    the targets: their versions, parents, names, ends; their events; the active members under
    `root`): a confirmation whose preview was made on another state is refused."""
    cells = [row for _choice, row in rows]
    targets = sorted({row.get("new_parent") or row.get("receiving") or "" for row in cells} - {""})
    concerned = Q(path__startswith=root.path) | Q(code__in=targets)
    digest = hashlib.sha256()
    state = (
        Organization.unscoped.filter(concerned)
        .order_by("pk")
        .values_list("pk", "version", "parent_id", "name", "ended_on", "path")
    )
    for org in state.iterator(chunk_size=2000):
        digest.update(repr(org).encode())
    events = OrgEvent.unscoped.filter(
        Q(org__path__startswith=root.path) | Q(org__code__in=targets)
    ).aggregate(last=Max("pk"), annulled=Count("annulled_at"))
    members = Member.unscoped.filter(
        branch_path__startswith=root.path, status__in=ACTIVE_STATUSES
    ).count()
    payload = [user.pk, root.pk, cells, events, members, digest.hexdigest()]
    text = json.dumps(payload, default=str, sort_keys=True)
    return salted_hmac(_FINGERPRINT_SALT, text).hexdigest()


def already_recorded(user, root: Organization, rows: list[tuple[Choice, dict]]) -> bool:
    """Every event of the batch is recorded already (the same batch confirmed before)."""
    cells = [row for _choice, row in rows]
    report = apply_event_rows(cells, actor=user, dry_run=True, reason=reason(root))
    return report.ok and report.created == 0


class StalePreview(DomainError):
    """The tree or the batch changed since the preview the confirmation was made from."""


def carry_out(
    user, root: Organization, rows: list[tuple[Choice, dict]], previewed: str
) -> ImportReport:
    """Write the batch in one transaction, all or nothing, through the importer (its audit, its
    idempotency), under the import lock of the user's scope (core.import_lock), only if the
    tree is still the one of the preview (`previewed`: its fingerprint)."""
    with import_lock(user):
        if fingerprint(user, root, rows) != previewed:
            raise StalePreview("Cây tổ chức đã thay đổi từ lần xem trước.")
        report = apply_event_rows(
            [cells for _choice, cells in rows], actor=user, dry_run=False, reason=reason(root)
        )
    if not report.ok:
        attach_problems(rows, report)
    return report
