"""Wall time of `dangvien report KIND --org CODE ... --format json` for the largest province,
process start included (target: under 300 ms at 300k).

Each case runs the console script as a child process --runs times (default 10, after one
warm-up run), one at a time, standard output read to the end: Python's start, Django's set-up,
the command's checks, the report and its JSON. For reference it also times
`dangvien report --help` (the start-up alone: set-up and argument parsing, no database) and
reports the child's peak RSS and its CPU time (user + system, p50: on a busy machine the wall
time also counts the waits for a core, the CPU time does not).

The children run with Python's bytecode cache (benchlib.child_env), as an installed package does,
kept in bench/out/pycache (PYTHONPYCACHEPREFIX; the warm-up run fills it): an environment with
PYTHONDONTWRITEBYTECODE would compile every module of the application on each run (about
0.4 s). Results (p50/p95/max in ms) in bench/out/results-startup-<scale>.json.
"""

import argparse
import os
import resource
import statistics

import benchlib
import generate

TARGET_MS = 300
YEAR = 2025  # the last year the data sets have grades for
KINDS = {
    "structure": [],
    "quality": ["--year", str(YEAR)],
    "admissions": ["--year", "2026"],
    "admissions term": ["--from", "2020", "--to", "2025"],
    "inspection": ["--year", str(YEAR)],
}


def province_code() -> tuple[str, int]:
    """The code and member count of the largest province of the data set."""
    import quality_report

    from dangvien.core.scope import unscoped

    with unscoped():
        case = next(c for c in quality_report.cases() if c.level == "province")
    return case.org.code, case.members


def cpu_seconds() -> float:
    """User and system time of the children waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_command(arguments: list[str], env: dict, runs: int, warmup: int) -> dict:
    samples, cpu, peak = [], [], 0.0
    for number in range(warmup + runs):
        before = cpu_seconds()
        run = benchlib.run_child([benchlib.DANGVIEN, *arguments], env=env).check(
            " ".join(arguments)
        )
        if number >= warmup:
            samples.append(run.seconds * 1000)
            cpu.append((cpu_seconds() - before) * 1000)
            peak = max(peak, run.max_rss_mb)
    return {**benchlib.timings(samples), "cpu_p50": statistics.median(cpu), "max_rss_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    benchlib.add_scale_argument(parser)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()
    scale = benchlib.scale_of(args)
    generate.ensure_scale(scale)
    benchlib.setup_django(scale.url)
    code, members = province_code()
    env = benchlib.child_env(scale.url)  # with the bytecode cache
    benchlib.announce("report command start-up", scale, f"province {code} ({members:,} members)")
    cases = [("start-up (report --help)", ["report", "--help"])] + [
        (f"report {kind} {code}", ["report", kind.split()[0], "--org", code, *extra])
        for kind, extra in KINDS.items()
    ]
    rows = []
    for label, arguments in cases:
        timing = time_command(arguments, env, args.runs, args.warmup)
        missed = timing["p95"] >= TARGET_MS
        print(
            f"{label:<40} p50 {timing['p50']:7.1f}  p95 {timing['p95']:7.1f}  "
            f"max {timing['max']:7.1f} ms  cpu {timing['cpu_p50']:6.1f} ms  "
            f"peak {timing['max_rss_mb']:6.1f} MB "
            f"(target {TARGET_MS})" + ("  MISSED" if missed else ""),
            flush=True,
        )
        rows.append({"case": label, "command": arguments, "target_ms": TARGET_MS, **timing})
    benchlib.save_results(
        "startup",
        {
            "machine": benchlib.machine(),
            "members": scale.members,
            "province": code,
            "province_members": members,
            "load_average": os.getloadavg()[0],
            "runs": args.runs,
            "rows": rows,
        },
        scale,
    )


if __name__ == "__main__":
    main()
