"""`python -m tests.core.import_probe ROWS dangvien-arguments…`: runs `dangvien import …` with a
probe in the members' bulk insert. Once at least ROWS members are written, inside the import's
transaction, it prints "WRITING <n>" and waits for a line on standard input before going on, so
a test acts (kills it, starts a second import) while the import is provably midway through its
write, without guessing with sleeps."""

import os
import sys


def main() -> None:
    pause_after = int(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvien.settings")
    import django

    django.setup()
    from django.core.management import execute_from_command_line

    from dangvien.core import bulk
    from dangvien.members import importing
    from dangvien.members.models import Member

    real_insert_values = bulk.insert_values
    written = 0

    def insert_values(model, rows):
        nonlocal written
        real_insert_values(model, rows)
        if model is Member:
            paused = written >= pause_after
            written += len(rows)
            if not paused and written >= pause_after:
                print(f"WRITING {written}", flush=True)
                sys.stdin.readline()

    importing.insert_values = insert_values
    execute_from_command_line(["dangvien", *sys.argv[2:]])


if __name__ == "__main__":
    main()
