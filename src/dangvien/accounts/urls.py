from django.urls import path

from dangvien.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.users, name="users"),
    path("new/", views.create_user, name="create"),
    path("<int:pk>/", views.user_detail, name="user"),
    path("roles/<int:pk>/revoke/", views.revoke, name="revoke"),
]
