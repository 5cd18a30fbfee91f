from django.urls import path

from dangvien.programmes import views

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
]
