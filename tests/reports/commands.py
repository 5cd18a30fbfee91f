"""Running `dangvien report` in tests: arguments in, exit status and output out.

A CommandError is what Django's command line turns into its message on standard error and the
exit status `returncode`; the helper returns both the same way.
"""

import io

from django.core.management import CommandError, call_command


def run_report(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("report", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), err.getvalue()
