from django.apps import AppConfig
from django.db.models.signals import pre_save


def _check_before_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Refuse a value the column cannot hold the same way on SQLite and PostgreSQL.

    bulk_create/bulk_update send no signal: the importers that use them check every value
    first (members and organisations: validation.field_problems per row; assessments and
    quotas carry only codes looked up, years and quotas within bounds, grades from a fixed list)."""
    if not raw and sender.__module__.startswith("dangvien."):
        from dangvien.core.validation import check_instance

        check_instance(instance, update_fields)  # a save of some fields checks those only


class CoreConfig(AppConfig):
    name = "dangvien.core"
    label = "core"
    verbose_name = "Dùng chung"

    def ready(self) -> None:
        from dangvien.core import lookups  # noqa: F401  (registers `words_in_order`)

        pre_save.connect(_check_before_save, dispatch_uid="dangvien.core.validation")
