from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set of every app, loaded by `dangvien demo`: above the apps it fills."""

    name = "dangvien.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
