from django.urls import path

from dangvien.programmes import study_views, views

app_name = "programmes"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<code:code>/", views.org_programmes, name="org"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>.xlsx", views.download_xlsx, name="xlsx"),
    path("<int:pk>.pdf", views.download_pdf, name="pdf"),
    path("<int:pk>/review/", views.record_review, name="review"),
    path("target/<int:pk>/", views.target, name="target"),
    path("target/<int:pk>/result/", views.record_result, name="result"),
    path("figure/<int:pk>/correct/", views.correct_figure, name="figure-correct"),
    path("study/", study_views.index, name="study-index"),
    path("study/my/", study_views.my_studies, name="study-my"),
    path("study/my/<int:pk>/document/", study_views.my_document, name="study-my-document"),
    path("study/org/<code:code>/", study_views.org_plans, name="study"),
    path("study/<int:pk>/", study_views.plan_detail, name="study-plan"),
    path("study/<int:pk>/report/", study_views.learning_report, name="study-report"),
    path("study/<int:pk>/document/", study_views.document_file, name="study-document"),
    path("study/<int:pk>/annul/", study_views.annul_plan, name="study-plan-annul"),
    path("study/session/<int:pk>/annul/", study_views.annul_session, name="study-session-annul"),
]
