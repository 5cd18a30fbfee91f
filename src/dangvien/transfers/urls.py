from django.urls import path

from dangvien.transfers import receive_views, views

app_name = "transfers"
urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("member/<int:pk>/new/", views.issue, name="issue"),
    path("receive/", receive_views.receive_start, name="receive-start"),
    path("member/<int:pk>/receive/", receive_views.receive, name="receive"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/arrive/", views.arrive, name="arrive"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/return/", views.return_home, name="return"),
]
