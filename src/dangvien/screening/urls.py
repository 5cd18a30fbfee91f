from django.urls import path

from dangvien.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<code:code>/", views.org_page, name="org"),
    path("org/<code:code>/exits/", views.exits, name="exits"),
    path("member/<int:pk>/new/", views.case_new, name="case-new"),
    path("case/<int:pk>/", views.case_page, name="case"),
    path("case/<int:pk>/review/", views.review_step, name="review"),
    path("case/<int:pk>/vote/", views.vote, name="vote"),
    path("case/<int:pk>/decide/", views.decide, name="decide"),
    path("case/<int:pk>/complaint/", views.complaint, name="complaint"),
    path("case/<int:pk>/answer/", views.answer, name="answer"),
    path("case/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("case/<int:pk>/annul/", views.annul, name="annul"),
]
