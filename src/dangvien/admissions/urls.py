from django.urls import path

from dangvien.admissions import (
    card_views,
    file_views,
    introducer_views,
    probation_views,
    target_views,
    views,
)

app_name = "admissions"
urlpatterns = [
    path("", views.index, name="index"),
    path("candidates/", views.candidate_list, name="candidates"),
    path("candidates/new/", views.candidate_new, name="candidate-new"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/edit/", views.candidate_edit, name="candidate-edit"),
    path("candidates/<int:pk>/class/", views.candidate_class, name="candidate-class"),
    path(
        "candidates/<int:pk>/introducers/", views.candidate_introducer, name="candidate-introducer"
    ),
    path("introducers/<int:pk>/introduction/", views.introduction, name="introduction"),
    path(
        "introducers/<int:pk>/introduction/correct/",
        introducer_views.introduction_correct,
        name="introduction-correct",
    ),
    path(
        "introducers/<int:pk>/remove/", introducer_views.introducer_remove, name="introducer-remove"
    ),
    path(
        "introducers/<int:pk>/replace/",
        introducer_views.introducer_replace,
        name="introducer-replace",
    ),
    path("candidates/<int:pk>/step/", views.candidate_step, name="candidate-step"),
    path("candidates/<int:pk>/admit/", file_views.candidate_admit, name="candidate-admit"),
    path("candidates/<int:pk>/annul/", file_views.candidate_annul, name="candidate-annul"),
    path("candidates/<int:pk>/ceremony/", views.candidate_ceremony, name="candidate-ceremony"),
    path("candidates/<int:pk>/withdraw/", file_views.candidate_withdraw, name="candidate-withdraw"),
    path("candidates/<int:pk>/reopen/", file_views.candidate_reopen, name="candidate-reopen"),
    path("candidates/<int:pk>/move/", views.candidate_move, name="candidate-move"),
    path("survey/", views.survey, name="survey"),
    path("admitted/", target_views.admitted, name="admitted"),
    path("targets/", target_views.targets, name="targets"),
    path("targets/<int:pk>/remove/", target_views.remove_target, name="target-remove"),
    path("probation/", probation_views.probation_list, name="probation"),
    path("probation/<int:member_pk>/", probation_views.probation_member, name="probation-member"),
    path("probation/<int:member_pk>/step/", probation_views.probation_step, name="probation-step"),
    path(
        "probation/<int:member_pk>/recognise/",
        probation_views.probation_recognise,
        name="probation-recognise",
    ),
    path(
        "probation/<int:member_pk>/strike-off/",
        probation_views.probation_strike_off,
        name="probation-strike-off",
    ),
    path(
        "probation/<int:member_pk>/strike-off/annul/",
        probation_views.probation_strike_off_annul,
        name="probation-strike-off-annul",
    ),
    path(
        "probation/<int:member_pk>/ceremony/",
        probation_views.probation_ceremony,
        name="probation-ceremony",
    ),
    path("cards/", card_views.card_list, name="cards"),
    path("cards/<int:member_pk>/", card_views.card_member, name="card-member"),
    path("cards/<int:member_pk>/issue/", card_views.card_issue, name="card-issue"),
    path("cards/<int:member_pk>/end/", card_views.card_end, name="card-end"),
    path("cards/<int:member_pk>/end/undo/", card_views.card_end_undo, name="card-end-undo"),
]
