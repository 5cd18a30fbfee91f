"""The member list page in process: CPU time and SQL queries per request, cached and uncached.

Complements http_load.py on a busy machine: wrk's requests/s move with whatever else runs on
the cores, the process CPU time of one request and its query count do not. Signed in as the
officer of the province (bench_province) with Django's test client; `--profile` prints the
cProfile of the requests (top functions by cumulative time).
"""

import argparse
import cProfile
import pstats
import time

import benchlib

PATH = "/members/"


def measure(client, requests: int, cached: bool, profile: bool) -> dict:
    from django.db import connection
    from django.test.utils import override_settings

    with override_settings(LIST_CACHE_SECONDS=600 if cached else 0):
        for _ in range(3):  # warm: the cache filled, the connection open
            assert client.get(PATH).status_code == 200
        queries = []

        def record(run, sql, *rest):
            queries.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(record):
            client.get(PATH)
        profiler = cProfile.Profile() if profile else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        for _ in range(requests):
            client.get(PATH)
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    return {
        "cpu_ms": 1000 * cpu / requests,
        "wall_ms": 1000 * wall / requests,
        "queries": len(queries),
        "sql": [sql[:200] for sql in queries],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    benchlib.add_scale_argument(parser)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sql", action="store_true", help="print the queries of one request")
    args = parser.parse_args()
    scale = benchlib.scale_of(args)
    benchlib.setup_django(scale.url)
    client = benchlib.client_for("bench_province")
    print(f"List page in process on {benchlib.machine()}, {scale.members:,} members")
    for cached in (True, False):
        row = measure(client, args.requests, cached, args.profile)
        label = "cached" if cached else "uncached"
        print(
            f"{label}: {row['cpu_ms']:.2f} ms CPU, {row['wall_ms']:.2f} ms wall a request, "
            f"{row['queries']} queries",
            flush=True,
        )
        if args.sql:
            for sql in row["sql"]:
                print("   ", sql)


if __name__ == "__main__":
    main()
