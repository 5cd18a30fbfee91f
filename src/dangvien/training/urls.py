from django.urls import path

from dangvien.training import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<code:code>/", views.org_courses, name="org"),
    path("org/<code:code>/new/", views.course_new, name="course-new"),
    path("course/<int:pk>/", views.course_page, name="course"),
    path("course/<int:pk>/correct/", views.course_correct, name="course-correct"),
    path("course/<int:pk>/participant/", views.participant_new, name="participant-new"),
    path("course/<int:pk>/results/", views.results, name="results"),
    path("participant/<int:pk>/annul/", views.participant_annul, name="participant-annul"),
    path("member/<int:pk>/exception/", views.new_member_exception, name="exception"),
]
