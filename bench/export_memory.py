"""Memory of exporting 300,000 members (target: peak RSS under 300 MB), xlsx and csv.

Each export runs in a child process of its own: Django starts, an officer whose scope is the
whole province requests /members/export.xlsx (or .csv) with every status and every column
through the Django test client, and the streamed body is read to the end and counted. The child
reports its wall time, the bytes received and its peak RSS (getrusage(RUSAGE_SELF).ru_maxrss),
plus its RSS after start-up for reference; the parent checks the latter with os.wait4.
"""

import argparse
import json
import sys
import time

import benchlib
import generate

MEMBERS = 300_000
TARGET_MB = 300
QUERY = "?status=all&all_columns=1"


def child(extension: str, username: str) -> None:
    """Runs in the child process: one export, measured, as JSON on standard output."""
    import resource

    benchlib.setup_django(benchlib.PG_URL)
    client = benchlib.client_for(username)
    client.get("/members/")  # session and caches warm, as in a real request
    baseline_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    response = client.get(f"/members/export.{extension}{QUERY}")
    first_byte = None
    size, lines, sample = 0, 0, b""
    with (benchlib.OUT / f"export-{MEMBERS}.{extension}").open("wb") as out:
        for chunk in response.streaming_content:
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(chunk)
            lines += chunk.count(b"\n")
            if len(sample) < 2000:
                sample += chunk[:2000]
            out.write(chunk)
    seconds = time.perf_counter() - started
    response.close()
    result = {
        "status": response.status_code,
        "bytes": size,
        "csv_rows": lines - 1 if extension == "csv" else None,
        "seconds": seconds,
        "first_byte_s": first_byte,
        "baseline_rss_mb": baseline_mb,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(result))


def _xlsx_rows(path) -> int:
    """Rows in the exported workbook's sheet, counted from its XML without loading it."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        sheet = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        count, tail = 0, b""
        with archive.open(sheet) as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                block = tail + block
                count += block.count(b"</row>")
                tail = block[-5:]  # a tag cut by the block boundary is counted with the next
    return count - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", choices=["xlsx", "csv"], help=argparse.SUPPRESS)
    parser.add_argument("--user", default="bench_province")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.user)
        return
    generate.ensure_postgres(MEMBERS)
    print(f"export benchmark on {benchlib.machine()}, {MEMBERS:,} members")
    results = []
    for extension in ("csv", "xlsx"):
        run = benchlib.run_child(
            [sys.executable, __file__, "--child", extension, "--user", args.user]
        ).check(f"export {extension}")
        measured = json.loads(run.stdout.strip().splitlines()[-1])
        if measured["status"] != 200:
            raise SystemExit(f"export.{extension}: HTTP {measured['status']}")
        rows = (
            measured["csv_rows"]
            if extension == "csv"
            else _xlsx_rows(benchlib.OUT / f"export-{MEMBERS}.xlsx")
        )
        result = {
            "format": extension,
            "rows": rows,
            **measured,
            "process_wall_s": run.seconds,
            "wait4_peak_rss_mb": run.max_rss_mb,
        }
        results.append(result)
        flag = "" if run.max_rss_mb < TARGET_MB else "  MISSED"
        print(
            f"export.{extension:<4} {rows:>8,} rows  {measured['bytes'] / 2**20:7.1f} MiB  "
            f"{measured['seconds']:6.1f} s (first byte {measured['first_byte_s']:.1f} s)  "
            f"peak RSS {run.max_rss_mb:6.1f} MB "
            f"(after start-up {measured['baseline_rss_mb']:.1f} MB)"
            f"{flag}",
            flush=True,
        )
    benchlib.save_results(
        "export",
        {
            "machine": benchlib.machine(),
            "members": MEMBERS,
            "target_mb": TARGET_MB,
            "cases": results,
        },
    )


if __name__ == "__main__":
    main()
