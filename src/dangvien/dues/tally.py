"""The stored summary behind the dues report (issue 17 point 4): per branch and month, the
members placed there, the undeclared, the sum due and what was collected (`DuesMonthTally`,
with `DuesMonthMover` for the few members placed in two branches in one month), and the months
each member owes (`DuesOwedMonth`, for the art. 8 flags by unit).

The figures are those of the rule the report always had (selectors: who is on a branch's sheet
for a month, what is due, what counts as unpaid), computed by set-based SQL over the records:
for whole years by `build_year` (`dangvien dues_tally`, or the report the first
time a year is asked), and again, in the writer's transaction, for the branches and months a
write changes (`refresh_members`, `refresh_branches`: the dues services, and every save of a
member or a placement, or bulk write announced through core.changes). Only built years are kept.
"""

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from dangvien.core import changes
from dangvien.core.rules import RuleBook
from dangvien.dues.models import (
    FIXED,
    RATED,
    Category,
    DuesBasis,
    DuesMonthMover,
    DuesMonthTally,
    DuesOwedMonth,
    DuesOwedYear,
    DuesPayment,
    DuesTallyYear,
    DuesYearTally,
    UnpaidExcuse,
)
from dangvien.dues.rates import DuesRules, month_end, months_of
from dangvien.members.models import Member, Placement
from dangvien.organizations.models import Organization

CHUNK = 500

_TABLES = {
    "tally": DuesMonthTally._meta.db_table,
    "year": DuesYearTally._meta.db_table,
    "owed_year": DuesOwedYear._meta.db_table,
    "mover": DuesMonthMover._meta.db_table,
    "owed": DuesOwedMonth._meta.db_table,
    "basis": DuesBasis._meta.db_table,
    "payment": DuesPayment._meta.db_table,
    "excuse": UnpaidExcuse._meta.db_table,
    "member": Member._meta.db_table,
    "placement": Placement._meta.db_table,
    "org": Organization._meta.db_table,
}


def built_years() -> set[int]:
    return set(DuesTallyYear.objects.values_list("year", flat=True))


def _marks(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _only(column: str, ids: list[int] | None) -> tuple[str, list]:
    """« AND column IN (…)» and its parameters; nothing without ids (every row)."""
    if ids is None:
        return "", []
    return f" AND {column} IN ({_marks(ids)})", list(ids)


def _clear(model, year: int, column: str, ids: list[int] | None) -> None:
    """Delete the year's rows of `model` (of these ids only, when given)."""
    rows = model.objects.filter(year=year)
    if ids is not None:
        rows = rows.filter(**{f"{column}__in": ids})
    rows.delete()


def _months_cte(months: list[datetime.date], book: RuleBook) -> tuple[str, list]:
    """The months as a VALUES list, each with its rule set's rates and amounts (the rule set in
    force on the month's first day, QĐ 342-QĐ/TW or QĐ 01-QĐ/TW 2026: rates.DuesRules)."""
    rows, params = [], []
    for month in months:
        rules = DuesRules.on(month, book)
        rows.append("(" + _marks([0] * 9) + ")")
        params += [
            month,
            month_end(month),
            rules[RATED[Category.SALARY]],
            rules[RATED[Category.ALLOWANCE]],
            rules[RATED[Category.PENSION]],
            rules[FIXED[Category.STUDENT]],
            rules[FIXED[Category.OTHER]],
            max(1, rules["dues_rounding_unit"]),
            0,  # a placeholder column, so that every value list has the same shape
        ]
    columns = "first_day, last_day, r_salary, r_allowance, r_pension, a_student, a_other, unit, z"
    return f"months ({columns}) AS (VALUES {', '.join(rows)})", params


def _bases_cte(member_filter: str) -> str:
    """Each basis in force with the month the next one begins: the one in force in a month is
    the one with `from_month <= month < next_from` (one per month: dues_basis_once_a_month),
    the latest from that month or before as rates.basis_on reads it."""
    return (
        "bases AS (SELECT member_id, category, base_amount, voluntary_amount, from_month, "
        "LEAD(from_month) OVER (PARTITION BY member_id ORDER BY from_month, id) AS next_from "
        f"FROM {_TABLES['basis']} WHERE annulled_at IS NULL{member_filter})"
    )


def _in_force(alias: str, member: str) -> str:
    return (
        f"{alias}.member_id = {member} AND {alias}.from_month <= mo.first_day "
        f"AND ({alias}.next_from IS NULL OR {alias}.next_from > mo.first_day)"
    )


def _rated(rate: str) -> str:
    return f"(b.base_amount * mo.{rate} + 5000 * mo.unit) / (10000 * mo.unit) * mo.unit"


# The amount due a month (rates.DuesRules.due, rates.due_expression): NULL undeclared, 0 exempt,
# else the rate or fixed amount of the month's rule set, or the approved voluntary amount if higher.
_COMPUTED = (
    "CASE b.category "
    f"WHEN '{Category.SALARY.value}' THEN {_rated('r_salary')} "
    f"WHEN '{Category.ALLOWANCE.value}' THEN {_rated('r_allowance')} "
    f"WHEN '{Category.PENSION.value}' THEN {_rated('r_pension')} "
    f"WHEN '{Category.STUDENT.value}' THEN mo.a_student "
    f"WHEN '{Category.OTHER.value}' THEN mo.a_other ELSE 0 END"
)
_DUE = (
    f"CASE WHEN b.category IS NULL THEN NULL WHEN b.category = '{Category.EXEMPT.value}' THEN 0 "
    f"WHEN ({_COMPUTED}) > COALESCE(b.voluntary_amount, 0) THEN ({_COMPUTED}) "
    "ELSE COALESCE(b.voluntary_amount, 0) END"
)


def _placed_months(where: str) -> str:
    """Each placement overlapping each month (selectors._overlapping) of a member in the Party
    that month (selectors._in_party), with the basis in force: one row a placement and month,
    as the branch's sheet and the report count them."""
    t = _TABLES
    return (
        "SELECT p.member_id, p.branch_id, mo.first_day AS month, mo.last_day, "
        f"b.category, {_DUE} AS due "
        f"FROM {t['placement']} p JOIN {t['member']} m ON m.id = p.member_id "
        "CROSS JOIN months mo "
        f"LEFT JOIN bases b ON {_in_force('b', 'p.member_id')} "
        'WHERE p.start <= mo.last_day AND (p."end" IS NULL OR p."end" >= mo.first_day) '
        "AND m.admitted_on <= mo.last_day AND (m.left_on IS NULL OR m.left_on > mo.first_day)"
        f"{where}"
    )


def _moved(member: str, branch: str, month: str, last_day: str) -> str:
    """Placed in another branch too during the month."""
    return (
        f"EXISTS (SELECT 1 FROM {_TABLES['placement']} q WHERE q.member_id = {member} "
        f"AND q.branch_id <> {branch} AND q.start <= {last_day} "
        f'AND (q."end" IS NULL OR q."end" >= {month}))'
    )


def _execute(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _fill(months: list[datetime.date], book: RuleBook, branch_ids: list[int] | None) -> None:
    """Insert the rows of these months (of these branches; every branch without them)."""
    t = _TABLES
    cte, params = _months_cte(months, book)
    first, last = months[0], month_end(months[-1])
    where, where_params, member_filter, member_params = "", [], "", []
    if branch_ids is not None:
        marks = _marks(branch_ids)
        where, where_params = f" AND p.branch_id IN ({marks})", list(branch_ids)
        member_filter = (
            f" AND member_id IN (SELECT member_id FROM {t['placement']} WHERE branch_id IN "
            f"({marks}))"
        )
        member_params = list(branch_ids)
    # Members with two placements or more within the span (few): only they can be counted
    # twice in a branch's month or have moved during a month. Everyone else has one placement
    # row a month, so that the many are counted without DISTINCT (one hashed aggregate), and
    # the few apart, then added.
    candidates = (
        f"candidates AS (SELECT member_id FROM {t['placement']} "
        f'WHERE start <= %s AND ("end" IS NULL OR "end" >= %s){member_filter} '
        "GROUP BY member_id HAVING COUNT(*) > 1)"
    )
    head = f"WITH {cte}, {_bases_cte(member_filter)}, {candidates}"
    head_params = [*params, *member_params, last, first, *member_params]
    many = "pm.member_id IN (SELECT member_id FROM candidates)"
    _execute(
        f"INSERT INTO {t['tally']} (branch_id, branch_path, month, members, undeclared, due, "
        f"collected, payments) {head}, pm AS ({_placed_months(where)}), "
        f"marked AS (SELECT pm.*, CASE WHEN {many} THEN 1 ELSE 0 END AS many FROM pm) "
        "SELECT f.branch_id, o.path, f.month, SUM(1 - f.many), "
        "SUM(CASE WHEN f.many = 0 AND f.category IS NULL THEN 1 ELSE 0 END), "
        "COALESCE(SUM(f.due), 0), 0, 0 "
        f"FROM marked f JOIN {t['org']} o ON o.id = f.branch_id "
        "GROUP BY f.branch_id, o.path, f.month",
        [*head_params, *where_params],
    )
    few = f"{_placed_months(where)} AND p.member_id IN (SELECT member_id FROM candidates)"
    moved = _moved("pm.member_id", "pm.branch_id", "pm.month", "pm.last_day")
    _execute(
        f"INSERT INTO {t['tally']} (branch_id, branch_path, month, members, undeclared, due, "
        f"collected, payments) {head}, pm AS ({few}), "
        f"marked AS (SELECT pm.*, {moved} AS moved FROM pm) "
        "SELECT f.branch_id, o.path, f.month, "
        "COUNT(DISTINCT CASE WHEN NOT f.moved THEN f.member_id END), "
        "COUNT(DISTINCT CASE WHEN NOT f.moved AND f.category IS NULL THEN f.member_id END), "
        f"0, 0, 0 FROM marked f JOIN {t['org']} o ON o.id = f.branch_id "
        "GROUP BY f.branch_id, o.path, f.month "
        f"ON CONFLICT (branch_id, month) DO UPDATE SET members = {t['tally']}.members "
        f"+ excluded.members, undeclared = {t['tally']}.undeclared + excluded.undeclared",
        [*head_params, *where_params],
    )
    _execute(
        f"INSERT INTO {t['mover']} (member_id, branch_id, branch_path, month, undeclared) "
        f"{head}, pm AS ({few}) "
        "SELECT DISTINCT pm.member_id, pm.branch_id, o.path, pm.month, "
        "CASE WHEN pm.category IS NULL THEN 1 = 1 ELSE 0 = 1 END "
        f"FROM pm JOIN {t['org']} o ON o.id = pm.branch_id WHERE {moved}",
        [*head_params, *where_params],
    )
    # What was collected: the payments in force, by the branch that collected them.
    payment_filter, payment_params = _only("p.branch_id", branch_ids)
    _execute(
        f"INSERT INTO {t['tally']} (branch_id, branch_path, month, members, undeclared, due, "
        "collected, payments) "
        "SELECT p.branch_id, o.path, p.month, 0, 0, 0, SUM(p.amount), COUNT(*) "
        f"FROM {t['payment']} p JOIN {t['org']} o ON o.id = p.branch_id "
        f"WHERE p.annulled_at IS NULL AND p.month >= %s AND p.month <= %s{payment_filter} "
        "GROUP BY p.branch_id, o.path, p.month "
        "ON CONFLICT (branch_id, month) DO UPDATE SET collected = excluded.collected, "
        "payments = excluded.payments",
        [first, months[-1], *payment_params],
    )


def _fill_owed(months: list[datetime.date], member_ids: list[int] | None) -> None:
    """The months owed (selectors._unpaid_counts' rule): in the Party, the record begun, not
    exempt, nothing paid, no valid reason."""
    t = _TABLES
    values = ", ".join(["(%s, %s)"] * len(months))
    params = [day for month in months for day in (month, month_end(month))]
    member_filter, where, member_params = "", "", []
    if member_ids is not None:
        marks = _marks(member_ids)
        member_filter, where = f" AND member_id IN ({marks})", f" AND mem.id IN ({marks})"
        member_params = list(member_ids)
    _execute(
        f"INSERT INTO {t['owed']} (member_id, branch_id, branch_path, month) "
        f"WITH months (first_day, last_day) AS (VALUES {values}), {_bases_cte(member_filter)} "
        f"SELECT mem.id, mem.branch_id, mem.branch_path, mo.first_day FROM {t['member']} mem "
        f"CROSS JOIN months mo JOIN bases b ON {_in_force('b', 'mem.id')} "
        "WHERE b.category <> %s AND mem.admitted_on <= mo.last_day "
        "AND (mem.left_on IS NULL OR mem.left_on > mo.first_day) "
        f"AND NOT EXISTS (SELECT 1 FROM {t['payment']} p WHERE p.member_id = mem.id "
        "AND p.month = mo.first_day AND p.annulled_at IS NULL) "
        f"AND NOT EXISTS (SELECT 1 FROM {t['excuse']} e WHERE e.member_id = mem.id "
        f"AND e.month = mo.first_day AND e.annulled_at IS NULL){where}",
        [*params, *member_params, Category.EXEMPT.value, *member_params],
    )


def _roll_up(year: int, branch_ids: list[int] | None) -> None:
    """The year rows of these branches (every branch without them) from their month rows."""
    t = _TABLES
    months = months_of(year)
    _clear(DuesYearTally, year, "branch_id", branch_ids)
    numbers = [f"{month.month:02d}" for month in months]
    columns = [f"members_{n}" for n in numbers] + [f"undeclared_{n}" for n in numbers]
    sums = ["SUM(CASE WHEN month = %s THEN members ELSE 0 END)" for _ in months]
    sums += ["SUM(CASE WHEN month = %s THEN undeclared ELSE 0 END)" for _ in months]
    where, params = _only("branch_id", branch_ids)
    _execute(
        f"INSERT INTO {t['year']} (branch_id, branch_path, year, {', '.join(columns)}, due, "
        f"collected, payments) SELECT branch_id, MAX(branch_path), %s, {', '.join(sums)}, "
        f"SUM(due), SUM(collected), SUM(payments) FROM {t['tally']} "
        f"WHERE month >= %s AND month <= %s{where} GROUP BY branch_id",
        [year, *months, *months, months[0], months[-1], *params],
    )


def _roll_up_owed(year: int, member_ids: list[int] | None) -> None:
    """The members' months owed in the year, counted from the month rows."""
    t = _TABLES
    months = months_of(year)
    _clear(DuesOwedYear, year, "member_id", member_ids)
    where, params = _only("member_id", member_ids)
    _execute(
        f"INSERT INTO {t['owed_year']} (member_id, branch_id, branch_path, year, months) "
        f"SELECT member_id, MAX(branch_id), MAX(branch_path), %s, COUNT(*) FROM {t['owed']} "
        f"WHERE month >= %s AND month <= %s{where} GROUP BY member_id",
        [year, months[0], months[-1], *params],
    )


@transaction.atomic
def build_year(year: int) -> DuesTallyYear:
    """(Re)build the whole year for every branch and member: a few set-based statements."""
    months = months_of(year)
    if connection.vendor == "postgresql":  # a batch over every member: sort and hash in memory
        _execute("SET LOCAL work_mem = '1GB'", [])
    DuesMonthTally.objects.filter(month__year=year).delete()
    DuesMonthMover.objects.filter(month__year=year).delete()
    DuesOwedMonth.objects.filter(month__year=year).delete()
    DuesYearTally.objects.filter(year=year).delete()
    DuesOwedYear.objects.filter(year=year).delete()
    _fill(months, RuleBook.load(), None)
    _fill_owed(months, None)
    _roll_up(year, None)
    _roll_up_owed(year, None)
    row, _ = DuesTallyYear.objects.get_or_create(year=year)
    return row


def ensure_year(year: int) -> None:
    """Build the year the first time it is asked for (under a lock: one builder at a time)."""
    if DuesTallyYear.objects.filter(year=year).exists():
        return
    with transaction.atomic():
        _lock_years()
        if not DuesTallyYear.objects.filter(year=year).exists():
            build_year(year)


def _lock_years() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x6475657374])


def built_months() -> list[datetime.date]:
    return _built_months(None)


def _built_months(months: Iterable[datetime.date] | None) -> list[datetime.date]:
    years = built_years()
    if months is None:
        return [month for year in sorted(years) for month in months_of(year)]
    return sorted({month for month in months if month.year in years})


def refresh_branches(
    branch_ids: Iterable[int], months: Iterable[datetime.date] | None = None
) -> None:
    """Count these branches' months again (all built months without `months`)."""
    ids = sorted({pk for pk in branch_ids if pk is not None})
    built = _built_months(months)
    if not ids or not built:
        return
    book = RuleBook.load()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        DuesMonthTally.objects.filter(branch_id__in=chunk, month__in=built).delete()
        DuesMonthMover.objects.filter(branch_id__in=chunk, month__in=built).delete()
        for run in _runs(built):
            _fill(run, book, chunk)
        for year in sorted({month.year for month in built}):
            _roll_up(year, chunk)


def _runs(months: list[datetime.date]) -> list[list[datetime.date]]:
    """Consecutive months in runs (the span of a run bounds its candidates)."""
    runs: list[list[datetime.date]] = []
    for month in months:
        if runs and (runs[-1][-1].year * 12 + runs[-1][-1].month + 1) == (
            month.year * 12 + month.month
        ):
            runs[-1].append(month)
        else:
            runs.append([month])
    return runs


def refresh_owed(member_ids: Iterable[int], months: Iterable[datetime.date] | None = None) -> None:
    ids = sorted(set(member_ids))
    built = _built_months(months)
    if not ids or not built:
        return
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        DuesOwedMonth.objects.filter(member_id__in=chunk, month__in=built).delete()
        _fill_owed(built, chunk)
        for year in sorted({month.year for month in built}):
            _roll_up_owed(year, chunk)


def refresh_members(
    member_ids: Iterable[int],
    months: Iterable[datetime.date] | None = None,
    branch_ids: Iterable[int] = (),
) -> None:
    """Count again every branch these members were placed in (and the branch they are in, and
    `branch_ids`) for these months, and their months owed."""
    ids = sorted(set(member_ids))
    if not (ids or branch_ids) or not built_years():
        return
    branches = set(branch_ids)
    branches |= set(Placement.objects.filter(member_id__in=ids).values_list("branch_id", flat=True))
    branches |= set(Member.unscoped.filter(pk__in=ids).values_list("branch_id", flat=True))
    months = None if months is None else list(months)
    refresh_branches(branches, months)
    refresh_owed(ids, months)


def refresh_paths(paths: Iterable[str]) -> None:
    """A bulk write announced the branches it changed (by path): their months and members."""
    paths = sorted(set(paths))
    if not paths or not built_years():
        return
    branches = Organization.unscoped.filter(path__in=paths).values_list("pk", flat=True)
    members = Member.unscoped.filter(branch_path__in=paths).values_list("pk", flat=True)
    refresh_members(list(members), branch_ids=list(branches))


# -- Kept exact on writes outside the dues services -----------------------------------------------


def _member_saved(sender, instance: Member, raw=False, **kwargs) -> None:
    if not raw and instance.pk:
        refresh_members([instance.pk])


def _placement_changed(sender, instance: Placement, raw=False, **kwargs) -> None:
    if not raw:
        refresh_members([instance.member_id])
        refresh_branches([instance.branch_id])  # a deleted placement's branch too


def _records_changed(sender, *, paths, member_ids, moves, membership=True, **kwargs) -> None:
    """Bulk writes (imports, absorptions); a move needs nothing: the rows keep their branch and
    their path copies follow it (organizations.services.path_copies); grades (membership False)
    change nothing the summary counts."""
    if not membership:
        return
    if member_ids:
        refresh_members(member_ids)
    if paths:
        refresh_paths(paths)


def connect() -> None:
    changes.changed.connect(_records_changed, dispatch_uid="dues-tally-records-changed")
    post_save.connect(_member_saved, sender=Member, dispatch_uid="dues-tally-member")
    post_save.connect(_placement_changed, sender=Placement, dispatch_uid="dues-tally-placement")
    post_delete.connect(
        _placement_changed, sender=Placement, dispatch_uid="dues-tally-placement-del"
    )
