"""Programs some tests run besides Python: a clear skip on a laptop without them, a failure in
CI (where `.ci/run` installs them), the same in every test that needs one."""

import os
import shutil

import pytest

# Debian package of each program the tests run.
PACKAGES = {
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "pdfimages": "poppler-utils",
    "chromium": "chromium",
}


def require_program(name: str) -> str:
    """The path of `name`, or skip (fail under CI=true) saying which package brings it."""
    if path := shutil.which(name):
        return path
    message = (
        f"{name} is missing: install Debian's {PACKAGES[name]} (apt-get install {PACKAGES[name]})"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


# A test whose child processes run on a SQLite database of their own whatever DATABASE_URL says:
# its run is the same in every pass of CI, so it runs where DATABASE_URL is not PostgreSQL (CI's
# SQLite pass) and once only. The tests of the PostgreSQL side have their own (`postgres`).
own_sqlite_only = pytest.mark.skipif(
    "os.environ.get('DATABASE_URL', '').startswith('postgres')",
    reason="its child processes use their own SQLite database: the same run as in CI's SQLite pass",
)
