from django.urls import path

from dangvien.admissions.candidates import views as candidates
from dangvien.admissions.cards import views as cards
from dangvien.admissions.introducers import views as introducers
from dangvien.admissions.probation import views as probation
from dangvien.admissions.procedure import views as procedure
from dangvien.admissions.targets import views as targets

app_name = "admissions"
urlpatterns = [
    path("", candidates.index, name="index"),
    path("candidates/", candidates.candidate_list, name="candidates"),
    path("candidates/new/", candidates.candidate_new, name="candidate-new"),
    path("candidates/<int:pk>/", candidates.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/edit/", candidates.candidate_edit, name="candidate-edit"),
    path("candidates/<int:pk>/class/", candidates.candidate_class, name="candidate-class"),
    path(
        "candidates/<int:pk>/introducers/",
        introducers.candidate_introducer,
        name="candidate-introducer",
    ),
    path("introducers/<int:pk>/introduction/", introducers.introduction, name="introduction"),
    path(
        "introducers/<int:pk>/introduction/correct/",
        introducers.introduction_correct,
        name="introduction-correct",
    ),
    path("introducers/<int:pk>/remove/", introducers.introducer_remove, name="introducer-remove"),
    path(
        "introducers/<int:pk>/replace/",
        introducers.introducer_replace,
        name="introducer-replace",
    ),
    path("candidates/<int:pk>/step/", procedure.candidate_step, name="candidate-step"),
    path("candidates/<int:pk>/admit/", procedure.candidate_admit, name="candidate-admit"),
    path("candidates/<int:pk>/annul/", procedure.candidate_annul, name="candidate-annul"),
    path("candidates/<int:pk>/ceremony/", procedure.candidate_ceremony, name="candidate-ceremony"),
    path("candidates/<int:pk>/withdraw/", candidates.candidate_withdraw, name="candidate-withdraw"),
    path("candidates/<int:pk>/reopen/", candidates.candidate_reopen, name="candidate-reopen"),
    path("candidates/<int:pk>/move/", candidates.candidate_move, name="candidate-move"),
    path("survey/", candidates.survey, name="survey"),
    path("admitted/", targets.admitted, name="admitted"),
    path("targets/", targets.targets, name="targets"),
    path("targets/<int:pk>/remove/", targets.remove_target, name="target-remove"),
    path("probation/", probation.probation_list, name="probation"),
    path("probation/<int:member_pk>/", probation.probation_member, name="probation-member"),
    path("probation/<int:member_pk>/step/", probation.probation_step, name="probation-step"),
    path(
        "probation/<int:member_pk>/recognise/",
        probation.probation_recognise,
        name="probation-recognise",
    ),
    path(
        "probation/<int:member_pk>/strike-off/",
        probation.probation_strike_off,
        name="probation-strike-off",
    ),
    path(
        "probation/<int:member_pk>/strike-off/annul/",
        probation.probation_strike_off_annul,
        name="probation-strike-off-annul",
    ),
    path(
        "probation/<int:member_pk>/ceremony/",
        probation.probation_ceremony,
        name="probation-ceremony",
    ),
    path("cards/", cards.card_list, name="cards"),
    path("cards/<int:member_pk>/", cards.card_member, name="card-member"),
    path("cards/<int:member_pk>/issue/", cards.card_issue, name="card-issue"),
    path("cards/<int:member_pk>/end/", cards.card_end, name="card-end"),
    path("cards/<int:member_pk>/end/undo/", cards.card_end_undo, name="card-end-undo"),
]
