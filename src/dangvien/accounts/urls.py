from django.urls import path

from dangvien.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.users, name="users"),
    path("new/", views.create_user, name="create"),
    path("<int:pk>/", views.user_detail, name="user"),
    path("roles/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("roles/<int:pk>/restore/", views.restore, name="restore"),
    path("<int:pk>/password-reset/", views.administer_user, {"action": "reset"}, name="reset"),
    path("<int:pk>/disable/", views.administer_user, {"action": "disable"}, name="disable"),
    path("<int:pk>/enable/", views.administer_user, {"action": "enable"}, name="enable"),
    path("<int:pk>/unlock/", views.administer_user, {"action": "unlock"}, name="unlock"),
    path(
        "<int:pk>/two-factor/reset/",
        views.administer_user,
        {"action": "two_factor"},
        name="two-factor-reset",
    ),
]
