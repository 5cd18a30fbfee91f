from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The pages composing every app (the home page, the menu) and what the import templates
    say of each app's columns: above the apps, so core imports none of them."""

    name = "dangvien.site"
    label = "site"
    verbose_name = "Trang chung"

    def ready(self) -> None:
        from dangvien.core.workbooks import TemplateGuide, provide_template_guide
        from dangvien.site import import_examples, import_help

        provide_template_guide(
            TemplateGuide(
                column_help=import_help.column_help,
                example_rows=import_examples.example_rows,
                demo_name=import_examples.demo_name,
            )
        )
