"""The data of bench/reorganise.py: the copy of the data set it works on (made, migrated, sized,
dropped; the data set itself is never written) and the two files it imports, generated from the
copy's tree: the new committees (`dangvien import orgs`) and the reorganisation
(`dangvien import org-events`), all dated EFFECTIVE_ON.
"""

import csv
import datetime
import itertools
import math
import time

import benchlib
import generate

EFFECTIVE_ON = datetime.date(2025, 7, 1)  # the 2025 reorganisation (no district level)


# --------------------------------------------------------------------------- the database copy


def copy_database(scale: benchlib.Scale) -> tuple[str, float]:
    """A fresh copy of the data set (the template must have no other connection)."""
    import psycopg

    source = benchlib.db_name(benchlib.check_bench_url(scale.url))
    copy_url = benchlib.derived_url("reorg", scale.url)
    copy = benchlib.db_name(benchlib.check_bench_url(copy_url))
    if generate.dataset_marker(scale.url) is None:
        raise SystemExit(
            f"{source} holds no data set: generate it first (bench/README.md, generate.py)"
        )
    started = time.perf_counter()
    with psycopg.connect(benchlib.maintenance_url(scale.url), autocommit=True) as connection:
        others = connection.execute(
            "SELECT pid, application_name, state FROM pg_stat_activity WHERE datname = %s",
            [source],
        ).fetchall()
        if others:
            raise SystemExit(f"{source} has other connections, cannot copy it: {others}")
        connection.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        # FILE_COPY: the files copied after a checkpoint, not 15 GB written through the WAL
        connection.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}" STRATEGY FILE_COPY')
    return copy_url, time.perf_counter() - started


def migrate_copy(url: str, recount: bool) -> None:
    """The copy migrated to the code measured; when that applied a migration, the unit tallies
    counted again as generate.py does (a migration may drop them, reports/0006: the reports
    would then count from the records and be timed so)."""
    import psycopg

    def applied() -> int:
        with psycopg.connect(url) as connection:
            return connection.execute("SELECT count(*) FROM django_migrations").fetchone()[0]

    env = benchlib.child_env(url)
    before = applied()
    benchlib.run_child([benchlib.DANGVIEN, "migrate", "--verbosity", "0"], env).check("migrate")
    if recount and applied() != before:
        started = time.perf_counter()
        benchlib.run_child([benchlib.DANGVIEN, "recount", "--all"], env, 3600).check("recount")
        seconds = time.perf_counter() - started
        print(f"migrations applied to the copy: tallies recounted ({seconds:.1f} s)")


def drop_database(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    name = benchlib.db_name(benchlib.check_bench_url(url))
    with psycopg.connect(benchlib.maintenance_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_sizes(*urls: str) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname, pg_database_size(datname) FROM pg_database WHERE datname = ANY(%s)",
            [[benchlib.db_name(url) for url in urls]],
        )
        return dict(cursor.fetchall())


# ------------------------------------------------------------------------------ the two files


def place_names() -> list[str]:
    """Distinct two-word place names, spread over the word list."""
    pairs = list(itertools.permutations(generate.PLACE_WORDS, 2))
    # a step coprime with the number of pairs: every pair once, neighbours far apart
    step = next(n for n in range(37, len(pairs)) if math.gcd(n, len(pairs)) == 1)
    return [" ".join(pairs[(i * step) % len(pairs)]) for i in range(len(pairs))]


def write_orgs(province, count: int, scale: str) -> tuple[str, list[str]]:
    """The new committees (wards first, then communes), founded on EFFECTIVE_ON: the file."""
    from dangvien.organizations.models import OrgKind

    path = benchlib.OUT / f"reorganise-orgs-{scale}.csv"
    names = place_names()
    rows, codes = [], []
    for number in range(1, count + 1):
        ward = number <= count * 2 // 5
        code = f"{province.code}.P{number:03d}"
        unit = "phường" if ward else "xã"
        rows.append(
            [
                code,
                f"Đảng bộ {unit} {names[number]}",
                OrgKind.UPPER.label,
                province.code,
                f"{EFFECTIVE_ON:%d/%m/%Y}",
                "Phường" if ward else "Xã",
            ]
        )
        codes.append(code)
    headers = ["Mã tổ chức", "Tên tổ chức", "Loại tổ chức", "Mã tổ chức cấp trên"]
    _write_csv(path, [*headers, "Ngày thành lập", "Loại hình"], rows)
    return str(path), codes


def write_events(province, committees: list[str], limit: int | None, scale: str) -> dict:
    """Every active base organisation of the province moved under a new committee (in code
    order, the same share each), then every old upper committee left empty ended."""
    from dangvien.organizations.models import BASE_KINDS, Organization, OrgKind

    active = Organization.unscoped.filter(path__startswith=province.path, ended_on__isnull=True)
    bases = list(
        active.filter(kind__in=BASE_KINDS)
        .exclude(parent__code__in=committees)
        .order_by("code")
        .values_list("code", "parent__code")
    )
    old = list(
        active.filter(kind=OrgKind.UPPER)
        .exclude(code__in=committees)
        .order_by("-depth", "code")
        .values_list("code", flat=True)
    )
    kept = {parent for _, parent in bases[limit:]} if limit is not None else set()
    bases = bases[:limit] if limit is not None else bases
    ended = [code for code in old if code not in kept]
    day = f"{EFFECTIVE_ON:%d/%m/%Y}"
    rows = []
    for index, (code, _) in enumerate(bases):
        share = index * len(committees) // len(bases)
        number = f"{1000 + share}-QĐ/TU"
        rows.append([code, "Chuyển", committees[share], "", "", day, number, province.code])
    for index, code in enumerate(ended):
        rows.append([code, "Giải thể", "", "", "", day, f"{2000 + index}-QĐ/TU", province.code])
    path = benchlib.OUT / f"reorganise-events-{scale}.csv"
    headers = ["Mã tổ chức", "Sự kiện", "Mã tổ chức cấp trên mới", "Mã tổ chức tiếp nhận"]
    _write_csv(
        path, [*headers, "Tên mới", "Ngày hiệu lực", "Số quyết định", "Cơ quan quyết định"], rows
    )
    return {"path": str(path), "moves": len(bases), "ends": len(ended), "ended": ended}


def _write_csv(path, headers: list[str], rows: list[list]) -> None:
    benchlib.OUT.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
