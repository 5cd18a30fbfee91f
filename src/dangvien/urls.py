from django.contrib.auth import views as auth_views
from django.urls import include, path

from dangvien.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_change_done",
    ),
    path("", include("dangvien.core.urls")),
    path("orgs/", include("dangvien.organizations.urls")),
    path("users/", include("dangvien.accounts.urls")),
    path("members/", include("dangvien.members.urls")),
    path("reports/", include("dangvien.reports.urls")),
    path("supplements/", include("dangvien.supplements.urls")),
    path("assessments/", include("dangvien.assessments.urls")),
    path("admissions/", include("dangvien.admissions.urls")),
    path("api/v1/", include("dangvien.api.urls")),
]
