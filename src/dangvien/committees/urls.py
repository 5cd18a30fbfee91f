from django.urls import path

from dangvien.committees import views

app_name = "committees"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<code:code>/", views.org_committee, name="org"),
    path("org/<code:code>/terms/new/", views.term_new, name="term-new"),
    path("org/<code:code>/congresses/", views.schedule, name="schedule"),
    path("terms/<int:pk>/correct/", views.term_correct, name="term-correct"),
    path("terms/<int:pk>/seats/new/", views.seat_new, name="seat-new"),
    path("seats/<int:pk>/correct/", views.seat_correct, name="seat-correct"),
    path("seats/<int:pk>/end/", views.seat_end, name="seat-end"),
    path("seats/<int:pk>/annul/", views.seat_annul, name="seat-annul"),
]
