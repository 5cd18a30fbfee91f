"""Peak memory of imports: a 200,000-row members file (target: under 300 MB) and hostile files.

Each case runs as a child process and reports its own peak RSS (os.wait4 → ru_maxrss):

- `members-200000.xlsx` imported by `dangvien import members FILE` into a fresh SQLite database
  (and PostgreSQL `<bench database>_import`, as import_members.py names it, with `--postgres`)
  that holds the generated tree;
- zip bombs (`bomb-1g.xlsx`: about 1 MB expanding to 1 GB, `bomb-3g.xlsx`: 3 GB, `bomb-ratio`:
  20 MB compressed a thousandfold, `bomb-entries`: 2,000 parts), a CSV of 2,000,000 rows and a
  CSV with one 10 MB cell, each given to `dangvien import members FILE` (must exit 1 with the
  Vietnamese message) and read the way the web upload reads it (`--web`: the view's
  `core.uploads.receive_upload` on the uploaded file, in a child process of its own).

    import_memory.py                 # SQLite
    import_memory.py --postgres      # SQLite, then PostgreSQL
    import_memory.py --only bombs    # the hostile files only

Results in bench/out/results-import-memory-<scale>.json.
"""

import argparse
import sys
import zipfile

import benchlib
from import_members import _count_members, _files, _fresh_database

MB = 1024 * 1024
TARGET_MB = 300
MEMBER_HEADERS = [  # the members spreadsheet of formats.md
    "Mã đảng viên", "Họ và tên", "Giới tính", "Ngày sinh", "Mã chi bộ", "Ngày vào Đảng",
    "Ngày chính thức", "Số thẻ đảng viên", "Số CCCD", "Dân tộc", "Tôn giáo", "Quê quán",
    "Nơi cư trú", "Giáo dục phổ thông", "Chuyên môn", "Lý luận chính trị",
]  # fmt: skip


def _bomb(path, unzipped_mb: int, entries: int = 1):
    """A valid-looking .xlsx whose sheet is `unzipped_mb` MB, compressed about a thousandfold
    (rows padded with whitespace), written as a stream."""
    if path.exists():
        return path
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 200 + b"</t></is></c></row>"
    chunk = row + b" " * (MB - len(row))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(1, entries):
            archive.writestr(f"docProps/extra{number}.xml", "<x/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b"<worksheet><sheetData>")
            for _ in range(unzipped_mb):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return path


def _hostile_files() -> dict:
    benchlib.OUT.mkdir(parents=True, exist_ok=True)
    header = ",".join(MEMBER_HEADERS) + "\n"
    blanks = "," * (len(MEMBER_HEADERS) - 2)
    rows = benchlib.OUT / "rows-2000000.csv"
    if not rows.exists():
        with rows.open("w", encoding="utf-8") as handle:
            handle.write(header)
            for number in range(2_000_000):
                handle.write(f"DV{number:07d},Nguyễn Văn An{blanks}\n")
    cell = benchlib.OUT / "cell-10mb.csv"
    if not cell.exists():
        cell.write_text(header + "DV1," + "A" * (10 * MB) + blanks + "\n")
    return {
        "bomb-1g.xlsx": _bomb(benchlib.OUT / "bomb-1g.xlsx", 1024),
        "bomb-3g.xlsx": _bomb(benchlib.OUT / "bomb-3g.xlsx", 3072),
        "bomb-ratio.xlsx": _bomb(benchlib.OUT / "bomb-ratio.xlsx", 20),
        "bomb-entries.xlsx": _bomb(benchlib.OUT / "bomb-entries.xlsx", 0, entries=2000),
        "rows-2000000.csv": rows,
        "cell-10mb.csv": cell,
    }


WEB_CHILD = """
import sys
import django
django.setup()
from django.core.files.uploadedfile import TemporaryUploadedFile
from dangvien.core.spreadsheets import UnreadableFile
from dangvien.core.uploads import receive_upload
path = sys.argv[1]
with open(path, "rb") as source:
    upload = TemporaryUploadedFile(path.rsplit("/", 1)[-1], "application/octet-stream", 0, None)
    while chunk := source.read(1 << 20):
        upload.write(chunk)
    upload.size = upload.tell()
try:
    receive_upload(None, "members", upload)
except UnreadableFile as exc:
    print(exc)
    sys.exit(1)
"""


def run_bombs(env: dict) -> list[dict]:
    results = []
    for name, path in _hostile_files().items():
        size_mb = path.stat().st_size / MB
        cli = benchlib.run_child([benchlib.DANGVIEN, "import", "members", path, "--dry-run"], env)
        web = benchlib.run_child([sys.executable, "-c", WEB_CHILD, path], env)
        for how, run in (("command", cli), ("web reader", web)):
            message = (run.stderr or run.stdout).strip().splitlines()[-1:] or [""]
            results.append(
                {
                    "file": name,
                    "file_mb": round(size_mb, 2),
                    "path": how,
                    "exit_code": run.returncode,
                    "seconds": round(run.seconds, 2),
                    "peak_rss_mb": round(run.max_rss_mb, 1),
                    "message": message[0],
                }
            )
            print(
                f"{name:<20} {size_mb:7.2f} MB  {how:<10} exit {run.returncode}  "
                f"{run.seconds:6.2f} s  peak RSS {run.max_rss_mb:6.1f} MB  {message[0][:90]}",
                flush=True,
            )
            if run.returncode != 1 or "Traceback" in run.stderr:
                raise SystemExit(f"{name} was not refused by the {how}: {run.stderr[-2000:]}")
    return results


def run_import(backend: str, members: int = 200_000) -> dict:
    orgs_file, members_file = _files(members, "xlsx")
    url = _fresh_database(backend, f"memory-{members}")
    env = benchlib.child_env(url)
    dangvien = str(benchlib.DANGVIEN)
    benchlib.run_child([dangvien, "migrate", "--verbosity", "0"], env).check("migrate")
    benchlib.run_child([dangvien, "import", "orgs", orgs_file], env).check("import orgs")
    run = benchlib.run_child([dangvien, "import", "members", members_file], env)
    run.check("import members")
    if _count_members(url) != members:
        raise SystemExit("the import did not write every member")
    verdict = "ok" if run.max_rss_mb < TARGET_MB else "MISSED"
    print(
        f"{backend:<10} {members_file.name}  {members:,} rows  {run.seconds:6.1f} s  "
        f"peak RSS {run.max_rss_mb:6.1f} MB (target {TARGET_MB})  {verdict}",
        flush=True,
    )
    return {
        "backend": backend,
        "file": members_file.name,
        "rows": members,
        "seconds": round(run.seconds, 1),
        "peak_rss_mb": round(run.max_rss_mb, 1),
        "target_mb": TARGET_MB,
        "verdict": verdict,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    benchlib.add_scale_argument(parser)
    parser.add_argument("--postgres", action="store_true", help="also import into PostgreSQL")
    parser.add_argument("--only", choices=["import", "bombs"])
    args = parser.parse_args()
    print(f"import memory benchmark on {benchlib.machine()}", flush=True)
    results: dict = {"machine": benchlib.machine(), "target_mb": TARGET_MB}
    if args.only != "bombs":
        backends = ["sqlite", "postgresql"] if args.postgres else ["sqlite"]
        results["imports"] = [run_import(backend) for backend in backends]
    if args.only != "import":
        url = _fresh_database("sqlite", "memory-bombs")
        env = benchlib.child_env(url)
        benchlib.run_child([benchlib.DANGVIEN, "migrate", "--verbosity", "0"], env).check("migrate")
        results["hostile_files"] = run_bombs(env)
    benchlib.save_results("import-memory", results, benchlib.scale_of(args))


if __name__ == "__main__":
    main()
