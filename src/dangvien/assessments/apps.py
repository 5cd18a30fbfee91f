from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "dangvien.assessments"
    label = "assessments"
    verbose_name = "Đánh giá, xếp loại chất lượng"
