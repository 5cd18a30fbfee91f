from django.urls import path

from dangvien.assessments import history_views, views

app_name = "assessments"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.open_round, name="open"),
    path("my/", views.my_assessment, name="my"),
    path("my/<int:year>/print/", views.my_self_assessment_pdf, name="my-print"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/members/", views.round_members, name="round-members"),
    path("<int:pk>/close/", views.close_round, name="close"),
    path("<int:pk>/reopen/", views.reopen_round, name="reopen"),
    path("commitments/<code:code>/<int:year>/", views.commitments, name="commitments"),
    path("branch/<code:code>/<int:year>/", views.branch_grading, name="branch"),
    path(
        "branch/<code:code>/<int:year>/q<int:quarter>/",
        views.quarter_grading,
        name="quarter",
    ),
    path(
        "branch/<code:code>/<int:year>/paper/<int:member>/",
        views.paper_self_assessment,
        name="paper-self",
    ),
    path("base/<code:code>/<int:year>/", views.base_decision, name="base"),
    path("orgs/<code:code>/<int:year>/", views.org_grading, name="orgs"),
    path("correct/<int:pk>/", views.correct, name="correct"),
    path("streaks/", history_views.streaks, name="streaks"),
    path("screening/", history_views.screening, name="screening"),
]
