"""Running `dangvien import KIND FILE` in tests: exit status, standard output and error."""

import io

from django.core.management import call_command


def run_import(kind: str, path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", kind, str(path), *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()
