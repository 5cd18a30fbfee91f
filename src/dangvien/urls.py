from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from dangvien.accounts import views as account_views
from dangvien.accounts.two_factor import views as two_factor_views
from dangvien.core.converters import CodeConverter
from dangvien.site import views as site_views

# Organisation codes in URLs, even one stored with a "/" before codes were checked.
register_converter(CodeConverter, "code")
# A bad query parameter answers 400 with its Vietnamese message (core/queryparams.py).
handler400 = "dangvien.core.queryparams.bad_request"

urlpatterns = [
    path("", site_views.home, name="home"),
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
        # Django's change view, recorded in the audit and ending a forced change (accounts).
        account_views.ChangePasswordView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_change_done",
    ),
    # Two-factor sign-in: setting up the phone app, and the code after the password.
    path("account/two-factor/", two_factor_views.setup, name="two_factor_setup"),
    path("account/two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("", include("dangvien.core.urls")),
    path("orgs/", include("dangvien.organizations.urls")),
    path("users/", include("dangvien.accounts.urls")),
    path("members/", include("dangvien.members.urls")),
    path("reports/", include("dangvien.reports.urls")),
    path("supplements/", include("dangvien.supplements.urls")),
    path("assessments/", include("dangvien.assessments.urls")),
    path("admissions/", include("dangvien.admissions.urls")),
    path("transfers/", include("dangvien.transfers.urls")),
    path("discipline/", include("dangvien.discipline.urls")),
    path("inspections/", include("dangvien.inspections.urls")),
    path("meetings/", include("dangvien.meetings.urls")),
    path("programmes/", include("dangvien.programmes.urls")),
    path("residence/", include("dangvien.residence.urls")),
    path("dues/", include("dangvien.dues.urls")),
    path("committees/", include("dangvien.committees.urls")),
    path("training/", include("dangvien.training.urls")),
    path("me/summary/", site_views.my_summary, name="my-summary"),
    path("screening/", include("dangvien.screening.urls")),
    path("awards/", include("dangvien.awards.urls")),
    path("badges/", include("dangvien.badges.urls")),
    path("api/v1/", include("dangvien.api.urls")),
]
