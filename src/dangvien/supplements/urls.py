from django.urls import path

from dangvien.supplements import views

app_name = "supplements"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.open_round, name="open"),
    path("my/", views.my_supplement, name="my"),
    path("branch/", views.branch, name="branch"),
    path("branch/proposals/", views.branch_reached, name="branch-reached"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/close/", views.close_round, name="close"),
    path("<int:pk>/reopen/", views.reopen_round, name="reopen"),
    path("<int:pk>/paper/", views.paper, name="paper"),
    path("<int:pk>/proposals/", views.reached, name="reached"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("proposals/<int:pk>/approve/", views.approve, name="approve"),
    path("proposals/<int:pk>/unapprove/", views.unapprove, name="unapprove"),
    path("proposals/<int:pk>/reject/", views.reject, name="reject"),
]
