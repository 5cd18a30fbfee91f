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
