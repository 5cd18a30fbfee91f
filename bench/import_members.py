"""Rate of `dangvien import members` (at least 5,000 rows/s on SQLite, 10,000 on PostgreSQL).

Every row goes through the full validation of the import. For each case (10,000 and 100,000
members as .csv, the issue's; on SQLite also 7,251 rows as .xlsx) on a fresh database:
`dangvien migrate`, `dangvien import orgs` of the generated tree, then the timed
`dangvien import members FILE` as a child process: wall time of the whole command (Django
start-up included), rows/s, and that process's peak RSS (os.wait4 → ru_maxrss). For where the
time goes, the start-up of a bare `dangvien import --help` and a `--dry-run` of the same file
(reading and validating, no writes) are timed first; afterwards the file is imported a second
time, which must change nothing.

    import_members.py                 # SQLite
    import_members.py --postgres      # SQLite, then PostgreSQL (<bench database>_import)
    import_members.py --rows 10000    # only the cases of 10,000 rows

The PostgreSQL database is on the server of DANGVIEN_BENCH_DATABASE_URL, named after it
(`dangvien_bench_import` by default), dropped and created for each case; the data set itself
is never read. The files are generated once into bench/out/ and do not depend on the data set:
--scale only names the results file (results-import-<scale>.json) that run_all.py reads.
"""

import argparse
import sqlite3
import sys

import benchlib

# (rows, format) by backend, and the rows/s each must reach.
CASES = {
    "sqlite": [(7251, "xlsx"), (10_000, "csv"), (100_000, "csv")],
    "postgresql": [(10_000, "csv"), (100_000, "csv")],
}
TARGET_ROWS_PER_S = {"sqlite": 5000, "postgresql": 10_000}
# The import's own database, on the server of the data set and named after it
# (`<name of DANGVIEN_BENCH_DATABASE_URL>_import`): it never reads the data set itself.
PG_IMPORT_URL = benchlib.derived_url("import")


def _files(members: int, fmt: str):
    orgs = benchlib.OUT / f"orgs-{members}.{fmt}"
    people = benchlib.OUT / f"members-{members}.{fmt}"
    if not (orgs.exists() and people.exists()):
        benchlib.run_child(
            [
                sys.executable,
                benchlib.BENCH / "generate.py",
                "files",
                "--members",
                str(members),
                "--format",
                fmt,
            ]
        ).check("generate.py files")
    return orgs, people


def _fresh_database(backend: str, name: str) -> str:
    if backend == "sqlite":
        folder = benchlib.OUT / "import-sqlite"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    url = benchlib.check_bench_url(PG_IMPORT_URL)
    with psycopg.connect(benchlib.maintenance_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{benchlib.db_name(url)}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{benchlib.db_name(url)}"')
    return url


def _count_members(url: str) -> int:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            return connection.execute("SELECT count(*) FROM members_member").fetchone()[0]
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SELECT count(*) FROM members_member").fetchone()[0]


def run_case(backend: str, members: int, fmt: str) -> dict:
    benchlib.OUT.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no bench/out
    orgs_file, members_file = _files(members, fmt)
    url = _fresh_database(backend, f"members-{members}-{fmt}")
    env = benchlib.child_env(url)
    dangvien = str(benchlib.DANGVIEN)
    benchlib.run_child([dangvien, "migrate", "--verbosity", "0"], env).check("migrate")
    orgs = benchlib.run_child([dangvien, "import", "orgs", orgs_file], env).check("import orgs")
    startup = benchlib.run_child([dangvien, "import", "--help"], env).check("import --help")
    validate = benchlib.run_child([dangvien, "import", "members", members_file, "--dry-run"], env)
    validate.check("import members --dry-run")
    first = benchlib.run_child([dangvien, "import", "members", members_file], env)
    first.check("import members")
    imported = _count_members(url)
    if imported != members:
        raise SystemExit(f"expected {members} members after the import, found {imported}")
    again = benchlib.run_child([dangvien, "import", "members", members_file], env)
    again.check("second import members")
    if f"không thay đổi {members}" not in again.stdout:
        raise SystemExit(f"the second import changed something: {again.stdout}")
    result = {
        "backend": backend,
        "file": members_file.name,
        "rows": members,
        "seconds": first.seconds,
        "rows_per_s": members / first.seconds,
        "target_rows_per_s": TARGET_ROWS_PER_S[backend],
        "rows_per_s_without_startup": members / max(first.seconds - startup.seconds, 1e-9),
        "peak_rss_mb": first.max_rss_mb,
        "startup_s": startup.seconds,
        "dry_run_s": validate.seconds,
        "orgs_rows": sum(1 for _ in orgs_file.open(encoding="utf-8")) - 1 if fmt == "csv" else None,
        "orgs_seconds": orgs.seconds,
        "second_import_s": again.seconds,
        "second_import_rows_per_s": members / again.seconds,
        "output": first.stdout.strip(),
    }
    print(
        f"{backend:<10} {members_file.name:<20} {members:>7,} rows  {first.seconds:6.2f} s  "
        f"{result['rows_per_s']:8,.0f} rows/s  peak RSS {first.max_rss_mb:6.1f} MB  "
        f"(start-up {startup.seconds:.2f} s; --dry-run {validate.seconds:.2f} s; "
        f"re-import {again.seconds:.2f} s; "
        f"orgs {orgs.seconds:.2f} s)"
        + ("" if result["rows_per_s"] >= TARGET_ROWS_PER_S[backend] else "  MISSED"),
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    benchlib.add_scale_argument(parser)
    parser.add_argument("--postgres", action="store_true", help="also import into PostgreSQL")
    parser.add_argument("--rows", help="only the cases of these row counts (10000,100000)")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.postgres else ["sqlite"]
    only = {int(n) for n in args.rows.split(",")} if args.rows else None
    print(f"import benchmark on {benchlib.machine()}")
    results = [
        run_case(backend, members, fmt)
        for backend in backends
        for members, fmt in CASES[backend]
        if only is None or members in only
    ]
    benchlib.save_results(
        "import",
        {"machine": benchlib.machine(), "targets_rows_per_s": TARGET_ROWS_PER_S, "cases": results},
        benchlib.scale_of(args),
    )


if __name__ == "__main__":
    main()
