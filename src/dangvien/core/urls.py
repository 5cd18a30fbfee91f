from django.urls import path

from dangvien.core import views

app_name = "core"
urlpatterns = [
    path("history/", views.history, name="history"),
    path("history/access/", views.access_review, name="access-review"),
    path(
        "history/access/export.<str:extension>",
        views.access_review_export,
        name="access-review-export",
    ),
    path("rules/", views.rule_sets, name="rules"),
    path("rules/new/", views.rule_set_edit, name="rule-new"),
    path("rules/<int:pk>/", views.rule_set_edit, name="rule-edit"),
    path("rules/holidays/", views.holidays, name="holidays"),
    path("rules/holidays/<int:pk>/remove/", views.holiday_remove, name="holiday-remove"),
    path("imports/<slug:kind>/", views.import_upload, name="import-upload"),
    path("imports/<slug:kind>/<int:pk>/", views.import_preview, name="import-preview"),
    path("imports/<slug:kind>/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("imports/<slug:kind>/<int:pk>/errors.xlsx", views.import_errors, name="import-errors"),
    path("templates/<slug:kind>.<str:extension>", views.import_template, name="import-template"),
]
