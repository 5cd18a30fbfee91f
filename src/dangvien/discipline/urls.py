from django.urls import path

from dangvien.discipline import views

app_name = "discipline"
urlpatterns = [
    path("member/<int:pk>/new/", views.record_for_member, name="member-new"),
    path("org/<code:code>/new/", views.record_for_org, name="org-new"),
    path("<int:pk>/annul/", views.annul, name="annul"),
    path("<int:pk>/decision.pdf", views.decision_pdf, name="decision-pdf"),
    path("<int:pk>/complaints/", views.complaints_page, name="complaints"),
    path("complaint/<int:pk>/resolve/", views.resolve_complaint, name="complaint-resolve"),
    path("member/<int:pk>/suspend/", views.suspend, name="suspend"),
    path("member/<int:pk>/steps/", views.member_steps, name="steps"),
    path("step/<int:pk>/annul/", views.annul_step, name="step-annul"),
    path("suspension/<int:pk>/end/", views.end_suspension, name="suspension-end"),
    path("suspension/<int:pk>/annul/", views.annul_suspension, name="suspension-annul"),
]
