"""The structure and quality reports in DuckDB over Parquet, beside the application's own on
PostgreSQL: a lower bound of what the hardware can do, and how far the application is from it.

The benchmark database's organisations, members and member grades are exported once to Parquet
(bench/out/parquet-<database>/, reused while the data set is the same; psycopg 3 COPY to CSV,
then DuckDB to Parquet, sorted like the application's indexes). For the largest branch, base
organisation, upper-level committee and province, and the whole country, the figures of the
structure report (today) and of the quality report (2025) are computed again as plain DuckDB
SQL over those files: columnar files, no scope checks, no Django, no model objects. The
application's `structure_report(org)` and `quality_report(org, 2025)` are timed on the same
scopes in this process. Both sides run --runs times (default 10, after one warm-up) and are
reported as p50/p95 in ms with the ratio PostgreSQL p50 / DuckDB p50. The database is
--scale's (default 300k) or any benchmark database given with --database-url.

The DuckDB figures are checked against the application's (members, official, genders, age
bands, breakdowns, children, organisations; grades of the year and the years before, members
not graded by reason): a MISMATCH line means the queries are not the same. The quality report
of the application also grades the base organisations and lists the first 500 members not
graded by name; the DuckDB side leaves both out (the export has no names).
"""

import argparse
import datetime
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import benchlib
import generate

YEAR = generate.GRADED_YEARS.stop - 1
HISTORY_YEARS = 5  # the report's year and the four before, as reports.quality shows them
UNKNOWN = "Chưa rõ"
# Table → (PostgreSQL table, columns with their DuckDB types, Parquet sort order).
TABLES = {
    "organizations": (
        "organizations_organization",
        {
            "id": "BIGINT",
            "code": "VARCHAR",
            "kind": "VARCHAR",
            "path": "VARCHAR",
            "parent_id": "BIGINT",
            "founded_on": "DATE",
            "ended_on": "DATE",
        },
        "path",
    ),
    "members": (
        "members_member",
        {
            "id": "BIGINT",
            "branch_id": "BIGINT",
            "branch_path": "VARCHAR",
            "status": "VARCHAR",
            "gender": "VARCHAR",
            "birth_date": "DATE",
            "admitted_on": "DATE",
            "official_on": "DATE",
            "left_on": "DATE",
            "qualification": "VARCHAR",
            "political_theory": "VARCHAR",
            "ethnicity": "VARCHAR",
            "religion": "VARCHAR",
        },
        "branch_path",
    ),
    "assessments": (
        "assessments_memberassessment",
        {
            "member_id": "BIGINT",
            "year": "INTEGER",
            "branch_path": "VARCHAR",
            "grade": "VARCHAR",
            "not_graded": "VARCHAR",
        },
        "year, branch_path",
    ),
}
GROUPED = ("qualification", "political_theory", "ethnicity", "religion")


@dataclass(frozen=True)
class Scope:
    """An organisation compared; `id` None and `path` "/" for the whole country."""

    label: str
    id: int | None
    code: str
    path: str
    members: int  # active members today

    @property
    def depth(self) -> int:
        """split_part's index of the direct child's id in a path below this one."""
        return self.path.count("/") + 1


# Export ------------------------------------------------------------------------------------


def export_parquet(url: str) -> tuple[Path, float | None]:
    """The Parquet files of `url`'s data set (made now, or reused), and the export's seconds."""
    import duckdb
    import psycopg

    folder = benchlib.OUT / f"parquet-{benchlib.db_name(url)}"
    marker_file = folder / "dataset.json"
    marker = generate.dataset_marker(url)
    files = [folder / f"{name}.parquet" for name in TABLES]
    ready = marker_file.exists() and all(path.exists() for path in files)
    if marker and ready and json.loads(marker_file.read_text()) == marker:
        return folder, None
    folder.mkdir(parents=True, exist_ok=True)
    marker_file.unlink(missing_ok=True)
    started = time.perf_counter()
    with psycopg.connect(url) as connection, duckdb.connect() as duck:
        connection.execute("SET DateStyle = 'ISO'")
        for name, (table, columns, order) in TABLES.items():
            csv_path = folder / f"{name}.csv"
            _copy_to_csv(connection, table, list(columns), csv_path)
            types = ", ".join(f"'{column}': '{kind}'" for column, kind in columns.items())
            duck.execute(
                f"COPY (SELECT * FROM read_csv('{csv_path}', header=true, delim=',', "
                f"quote='\"', allow_quoted_nulls=false, columns={{{types}}}) ORDER BY {order}) "
                f"TO '{folder / f'{name}.parquet'}' (FORMAT parquet)"
            )
            csv_path.unlink()
    if marker:
        marker_file.write_text(json.dumps(marker))
    return folder, time.perf_counter() - started


def _copy_to_csv(connection, table: str, columns: list[str], path: Path) -> None:
    """Stream `COPY (SELECT columns FROM table) TO STDOUT` as CSV with a header into `path`;
    PostgreSQL writes NULL unquoted and an empty text as "", which read_csv keeps apart."""
    query = f"COPY (SELECT {', '.join(columns)} FROM {table}) TO STDOUT (FORMAT csv, HEADER)"
    with connection.cursor() as cursor, cursor.copy(query) as copy, path.open("wb") as out:
        for chunk in copy:
            out.write(chunk)


def parquet_sizes(folder: Path) -> dict[str, float]:
    return {name: (folder / f"{name}.parquet").stat().st_size / 2**20 for name in TABLES}


# Scopes ------------------------------------------------------------------------------------


def find_scopes(url: str) -> list[Scope]:
    """The largest (most active members) branch, base organisation, upper-level committee and
    province, and the whole country: one query summing members per branch up its path."""
    import psycopg

    from dangvien.members.models import ACTIVE_STATUSES

    query = """
        WITH per_branch AS (
            SELECT branch_path, count(*) AS n FROM members_member
            WHERE status = ANY(%s) GROUP BY branch_path
        ), sizes AS (
            SELECT part::bigint AS id, sum(n) AS n FROM per_branch,
                unnest(string_to_array(trim(BOTH '/' FROM branch_path), '/')) AS part
            GROUP BY part
        )
        SELECT o.id, o.code, o.kind, o.path, sizes.n FROM organizations_organization o
        JOIN sizes ON sizes.id = o.id
    """
    with psycopg.connect(url) as connection:
        rows = connection.execute(query, [[str(s) for s in ACTIVE_STATUSES]]).fetchall()

    def largest(label: str, kinds: tuple[str, ...]) -> Scope:
        id_, code, _kind, path, n = max(
            (row for row in rows if row[2] in kinds), key=lambda row: (row[4], -row[0])
        )
        return Scope(f"{label} {code}", id_, code, path, int(n))

    country = sum(row[4] for row in rows if row[2] == "dang_bo_tinh")
    return [
        largest("branch", ("chi_bo_truc_thuoc", "chi_bo_co_so")),
        largest("base org.", ("dang_bo_co_so", "chi_bo_co_so")),
        largest("upper committee", ("dang_bo_cap_tren_co_so",)),
        largest("province", ("dang_bo_tinh",)),
        Scope("whole country", None, "*", "/", int(country)),
    ]


# DuckDB side -------------------------------------------------------------------------------


def duckdb_connection(folder: Path):
    """An in-memory DuckDB with one view per Parquet file (read again by every query)."""
    import duckdb

    duck = duckdb.connect()
    for name in TABLES:
        duck.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{folder / name}.parquet')")
    return duck


def _rows(duck, sql: str, **params) -> list[tuple]:
    """Run `sql` with the named parameters it uses ($name)."""
    return duck.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql}).fetchall()


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier (29/02 → 28/02), as reports.structure computes ages."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _age_condition(low: int | None, high: int | None, as_of: datetime.date) -> str:
    parts = []
    if low is not None:
        parts.append(f"birth_date <= DATE '{_years_before(as_of, low)}'")
    if high is not None:
        parts.append(f"birth_date > DATE '{_years_before(as_of, high + 1)}'")
    return " AND ".join(parts)


ALIVE = "admitted_on <= $as_of AND (left_on IS NULL OR left_on > $as_of)"
IN_SCOPE = "branch_path LIKE $prefix || '%'"
ACTIVE_ORG = (
    "(ended_on IS NULL OR ended_on > $as_of) AND (founded_on IS NULL OR founded_on <= $as_of)"
)


def _children(duck, scope: Scope, as_of: datetime.date) -> list[tuple[int, str]]:
    """The direct children of the scope active on `as_of` (the provinces for the country)."""
    sql = "SELECT id, code FROM organizations WHERE parent_id IS NOT DISTINCT FROM $id AND "
    return _rows(duck, sql + ACTIVE_ORG, id=scope.id, as_of=as_of)


def duckdb_structure(duck, scope: Scope, as_of: datetime.date) -> dict:
    """The structure report's figures of `scope` on `as_of` (today: current branch, active)."""
    from dangvien.members.models import ACTIVE_STATUSES

    statuses = ", ".join(f"'{status}'" for status in ACTIVE_STATUSES)
    where = f"status IN ({statuses}) AND {ALIVE} AND {IN_SCOPE}"
    params = {"as_of": as_of, "prefix": scope.path, "depth": scope.depth, "id": scope.id}
    return {
        **_totals(duck, where, as_of, params),
        **_grouped(duck, where, params),
        "children": _structure_children(duck, scope, where, params),
        "organizations": _organizations(duck, params),
    }


def _totals(duck, where: str, as_of: datetime.date, params: dict) -> dict:
    """Members, official members, genders and the six age bands: one aggregate."""
    from dangvien.members.models import Gender
    from dangvien.reports.structure import AGE_BANDS

    columns = {"members": "count(*)", "official": "count(*) FILTER (WHERE official_on <= $as_of)"}
    for gender in Gender:
        columns[f"gender {gender.value}"] = f"count(*) FILTER (WHERE gender = '{gender.value}')"
    for label, low, high in AGE_BANDS:
        columns[f"age {label}"] = f"count(*) FILTER (WHERE {_age_condition(low, high, as_of)})"
    row = _rows(duck, f"SELECT {', '.join(columns.values())} FROM members WHERE {where}", **params)
    values = dict(zip(columns, row[0], strict=True))
    return {
        "members": values["members"],
        "official": values["official"],
        "gender": _nonzero({g.value: values[f"gender {g.value}"] for g in Gender}),
        "age": _nonzero({band[0]: values[f"age {band[0]}"] for band in AGE_BANDS}),
    }


def _grouped(duck, where: str, params: dict) -> dict[str, dict[str, int]]:
    """Counts by qualification, political theory, ethnicity and religion (empty → "Chưa rõ"):
    one scan with a grouping set per field."""
    flags = ", ".join(f"grouping({field})" for field in GROUPED)
    sets = ", ".join(f"({field})" for field in GROUPED)
    sql = (
        f"SELECT {flags}, {', '.join(GROUPED)}, count(*) FROM members WHERE {where} "
        f"GROUP BY GROUPING SETS ({sets})"
    )
    grouped: dict[str, dict[str, int]] = {field: {} for field in GROUPED}
    for row in _rows(duck, sql, **params):
        index = row[: len(GROUPED)].index(0)  # the field this row is grouped by
        counts = grouped[GROUPED[index]]
        label = row[len(GROUPED) + index] or UNKNOWN
        counts[label] = counts.get(label, 0) + row[-1]
    return grouped


def _structure_children(duck, scope: Scope, where: str, params: dict) -> dict[str, list[int]]:
    """Members and official members per active direct child (its id cut out of the path)."""
    sql = (
        "SELECT split_part(branch_path, '/', $depth), count(*), "
        f"count(*) FILTER (WHERE official_on <= $as_of) FROM members WHERE {where} GROUP BY 1"
    )
    counts = {child: [members, official] for child, members, official in _rows(duck, sql, **params)}
    children = _children(duck, scope, params["as_of"])
    return {code: counts.get(str(id_), [0, 0]) for id_, code in children}


def _organizations(duck, params: dict) -> dict[str, int]:
    """Active organisations strictly below the scope, by kind (the kinds the report counts)."""
    from dangvien.reports.structure import ORGANIZATION_KINDS

    kinds = ", ".join(f"'{kind}'" for kind in ORGANIZATION_KINDS)
    sql = (
        "SELECT kind, count(*) FROM organizations WHERE path LIKE $prefix || '%' "
        f"AND id IS DISTINCT FROM $id AND kind IN ({kinds}) AND {ACTIVE_ORG} GROUP BY kind"
    )
    return dict(_rows(duck, sql, **params))


def duckdb_quality(duck, scope: Scope, year: int) -> dict:
    """The quality report's figures of `scope` for `year`, members as on 31/12."""
    as_of = datetime.date(year, 12, 31)
    params = {"as_of": as_of, "prefix": scope.path, "depth": scope.depth, "year": year}
    members = _members_at(duck, params)
    grades = _grades_by_child(duck, params)
    year_total: dict[str, int] = {}
    for counts in grades.values():
        for grade, n in counts.items():
            year_total[grade] = year_total.get(grade, 0) + n
    children = _children(duck, scope, as_of)
    return {
        "members": sum(members.values()),
        "grades": year_total,
        "children": {
            code: [members.get(str(id_), 0), grades.get(str(id_), {})] for id_, code in children
        },
        "history": _history(duck, params),
        "not_graded": _not_graded(duck, params),
    }


def _members_at(duck, params: dict) -> dict[str, int]:
    """Members on $as_of per direct child ("" for the scope itself), any status, from the
    members' own dates and current branch: the generator keeps each member in one branch from
    admission to leaving (one placement), so this equals the application's count from the
    placements; a data set with transfers would need the placements exported too."""
    sql = (
        "SELECT split_part(branch_path, '/', $depth), count(*) FROM members "
        f"WHERE {ALIVE} AND {IN_SCOPE} GROUP BY 1"
    )
    return dict(_rows(duck, sql, **params))


def _grades_by_child(duck, params: dict) -> dict[str, dict[str, int]]:
    """Members graded in $year per direct child and grade."""
    sql = (
        "SELECT split_part(branch_path, '/', $depth), grade, count(*) FROM assessments "
        f"WHERE year = $year AND {IN_SCOPE} AND grade <> '' GROUP BY 1, 2"
    )
    grades: dict[str, dict[str, int]] = {}
    for child, grade, n in _rows(duck, sql, **params):
        grades.setdefault(child, {})[grade] = n
    return grades


def _history(duck, params: dict) -> dict[int, dict[str, int]]:
    """Members graded in each of the four years before $year, by grade."""
    sql = (
        "SELECT year, grade, count(*) FROM assessments WHERE year >= $first AND year < $year "
        f"AND {IN_SCOPE} AND grade <> '' GROUP BY 1, 2"
    )
    history: dict[int, dict[str, int]] = {}
    for year, grade, n in _rows(duck, sql, first=params["year"] - HISTORY_YEARS + 1, **params):
        history.setdefault(year, {})[grade] = n
    return history


def _not_graded(duck, params: dict) -> dict[str, int]:
    """Members assessed in $year without a grade, by reason."""
    sql = (
        f"SELECT not_graded, count(*) FROM assessments WHERE year = $year AND {IN_SCOPE} "
        "AND grade = '' AND not_graded > '' GROUP BY 1"
    )
    return dict(_rows(duck, sql, **params))


def time_duckdb(build, runs: int, warmup: int) -> tuple[dict, dict]:
    """Timings of `build()` over `runs` calls after `warmup` ones, and its last result."""
    samples, result = [], None
    for number in range(warmup + runs):
        started = time.perf_counter()
        result = build()
        if number >= warmup:
            samples.append((time.perf_counter() - started) * 1000)
    return benchlib.timings(samples), result


# Application side --------------------------------------------------------------------------


def _nonzero(counts: dict) -> dict:
    return {key: value for key, value in counts.items() if value}


def app_structure(report) -> dict:
    """The figures of a StructureReport in the shape of duckdb_structure's."""
    breakdown = report.breakdown
    return {
        "members": report.members,
        "official": report.official,
        "gender": _nonzero(breakdown["gioi_tinh"]),
        "age": _nonzero(breakdown["do_tuoi"]),
        "qualification": breakdown["chuyen_mon"],
        "political_theory": breakdown["ly_luan_chinh_tri"],
        "ethnicity": breakdown["dan_toc"],
        "religion": breakdown["ton_giao"],
        "children": {child.code: [child.members, child.official] for child in report.children},
        "organizations": _nonzero(report.organizations),
    }


def app_quality(report) -> dict:
    """The figures of a QualityReport in the shape of duckdb_quality's."""
    return {
        "members": report.members,
        "grades": _nonzero(report.counts.grades),
        "children": {
            child.code: [child.members, _nonzero(child.counts.grades)] for child in report.children
        },
        "history": {
            year: _nonzero(counts.grades)
            for year, counts in report.history.items()
            if year != report.year and _nonzero(counts.grades)
        },
        "not_graded": report.not_graded_reasons,
    }


def mismatches(duck, app, where: str = "") -> list[str]:
    """Where the DuckDB figures differ from the application's (nested keys), with both values."""
    if isinstance(duck, dict) and isinstance(app, dict):
        keys = list(app) + [key for key in duck if key not in app]
        found = [
            m for key in keys for m in mismatches(duck.get(key), app.get(key), f"{where}[{key}]")
        ]
        return found[:10]
    return [] if duck == app else [f"{where}: DuckDB {duck} ≠ application {app}"]


def compare(scope: Scope, org, name: str, builds: tuple, runs: int, warmup: int) -> dict:
    """Time one report of one scope on both sides and check that the figures agree."""
    app_build, duck_build, app_figures = builds
    pg, report, queries = benchlib.time_calls(lambda: app_build(org), runs, warmup)
    dk, figures = time_duckdb(lambda: duck_build(scope), runs, warmup)
    wrong = mismatches(figures, app_figures(report))
    for line in wrong:
        print(f"MISMATCH {scope.label} {name} {line}", flush=True)
    ratio = pg["p50"] / dk["p50"]
    print(
        f"{scope.label:<28} {name:<13} PostgreSQL p50 {pg['p50']:7.1f} ms  "
        f"DuckDB p50 {dk['p50']:6.1f} ms  ×{ratio:.1f}" + ("" if wrong else "  (same figures)"),
        flush=True,
    )
    return {
        "scope": scope.label,
        "report": name,
        "members": scope.members,
        "postgresql": {**pg, "queries": queries},
        "duckdb": dk,
        "ratio_p50": ratio,
        "same_figures": not wrong,
    }


def summary(cases: list[dict]) -> str:
    headers = ["scope", "report", "members", "PG p50", "PG p95", "DuckDB p50", "DuckDB p95"]
    rows = []
    for case in cases:
        pg, dk = case["postgresql"], case["duckdb"]
        row = [case["scope"], case["report"], case["members"], pg["p50"], pg["p95"]]
        rows.append([*row, dk["p50"], dk["p95"], case["ratio_p50"]])
    return benchlib.table([*headers, "PG/DuckDB"], rows)


def scale_for(args, marker: dict | None) -> benchlib.Scale:
    """The data set measured: --scale's, or one named after the database --database-url gives
    (results-duckdb-<database>.json) when it is not a known scale's."""
    scale = benchlib.scale_of(args)
    if args.database_url is None or args.database_url == scale.url:
        return scale
    members, provinces = (marker["members"], marker["provinces"]) if marker else (0, 0)
    name = benchlib.db_name(args.database_url)
    return benchlib.Scale(name, members, provinces, args.database_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    benchlib.add_scale_argument(parser)
    parser.add_argument("--database-url", help="another benchmark database than --scale's")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()
    url = benchlib.check_bench_url(args.database_url or benchlib.scale_of(args).url)
    import duckdb

    benchlib.setup_django(url)
    from django.utils import timezone

    from dangvien.core.scope import unscoped
    from dangvien.organizations.models import Organization, whole_party
    from dangvien.reports.quality import quality_report
    from dangvien.reports.structure import structure_report

    marker = generate.dataset_marker(url)
    scale = scale_for(args, marker)
    print(f"DuckDB {duckdb.__version__} against {benchlib.db_name(url)} {marker}")
    print(f"on {benchlib.machine()}, load average {os.getloadavg()[0]:.2f}", flush=True)
    folder, seconds = export_parquet(url)
    sizes = parquet_sizes(folder)
    took = "reused (same data set)" if seconds is None else f"exported in {seconds:.1f} s"
    listed = ", ".join(f"{name} {mb:.1f} MB" for name, mb in sizes.items())
    print(f"Parquet {folder}: {took}; {listed}", flush=True)
    duck = duckdb_connection(folder)
    today = timezone.localdate()
    reports = {
        "structure": (
            structure_report,
            lambda scope: duckdb_structure(duck, scope, today),
            app_structure,
        ),
        f"quality {YEAR}": (
            lambda org: quality_report(org, YEAR),
            lambda scope: duckdb_quality(duck, scope, YEAR),
            app_quality,
        ),
    }
    cases = []
    with unscoped():
        for scope in find_scopes(url):
            org = whole_party() if scope.id is None else Organization.unscoped.get(pk=scope.id)
            for name, builds in reports.items():
                cases.append(compare(scope, org, name, builds, args.runs, args.warmup))
    print()
    print(summary(cases))
    failed = sum(not case["same_figures"] for case in cases)
    if failed:
        print(f"MISMATCH in {failed} case(s): the DuckDB queries do not match the application")
    benchlib.save_results(
        "duckdb",
        {
            "machine": benchlib.machine(),
            "database": benchlib.db_name(url),
            "dataset": marker,
            "members": marker["members"] if marker else None,
            "duckdb": duckdb.__version__,
            "year": YEAR,
            "as_of": today,
            "load_average": os.getloadavg()[0],
            "runs": args.runs,
            "export_seconds": seconds,
            "parquet_mb": sizes,
            "cases": cases,
        },
        scale,
    )


if __name__ == "__main__":
    main()
