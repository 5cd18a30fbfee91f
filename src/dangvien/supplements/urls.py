from django.urls import path

from dangvien.supplements import views

app_name = "supplements"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.open_round, name="open"),
    path("my/", views.my_supplement, name="my"),
    path("branch/", views.branch, name="branch"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/close/", views.close_round, name="close"),
    path("<int:pk>/reopen/", views.reopen_round, name="reopen"),
    path("<int:pk>/paper/", views.paper, name="paper"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("proposals/<int:pk>/approve/", views.approve, name="approve"),
    path("proposals/<int:pk>/reject/", views.reject, name="reject"),
]
