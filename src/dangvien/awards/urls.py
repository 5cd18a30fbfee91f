from django.urls import path

from dangvien.awards import views

app_name = "awards"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<code:code>/", views.award_list, name="list"),
    path("org/<code:code>/export.xlsx", views.export, name="export"),
    path("org/<code:code>/new/", views.org_award_new, name="org-new"),
    path("org/<code:code>/candidates/", views.candidates, name="candidates"),
    path("org/<code:code>/proposals/", views.proposals, name="proposals"),
    path("member/<int:pk>/new/", views.member_award_new, name="member-new"),
    path("<int:pk>/correct/", views.award_correct, name="correct"),
    path("<int:pk>/annul/", views.award_annul, name="annul"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal-decide"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal-withdraw"),
    path("entries/<int:pk>/reject/", views.entry_reject, name="entry-reject"),
]
