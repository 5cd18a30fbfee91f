import datetime

from django.apps import AppConfig


def _column_help(kind: str) -> dict[str, str]:
    from dangvien.site import import_help

    return import_help.column_help(kind)


def _example_rows(kind: str, today: datetime.date) -> list[list]:
    from dangvien.site import import_examples

    return import_examples.example_rows(kind, today)


def _demo_name() -> str:
    from dangvien.site import import_examples

    return import_examples.demo_name()


class SiteConfig(AppConfig):
    """The pages composing every app (the home page, the menu) and what the import templates
    say of each app's columns: above the apps, so core imports none of them."""

    name = "dangvien.site"
    label = "site"
    verbose_name = "Trang chung"

    def ready(self) -> None:
        from dangvien.core.workbooks import TemplateGuide, provide_template_guide

        # The examples and the help import every app's importer and demo (a tenth of a second
        # at start-up): they are read when a template is downloaded, not before.
        provide_template_guide(
            TemplateGuide(
                column_help=_column_help,
                example_rows=_example_rows,
                demo_name=_demo_name,
            )
        )
