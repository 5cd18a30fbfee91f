from django.urls import path

from dangvien.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<code:code>/", views.org_activities, name="org"),
    path("org/<code:code>/new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/conclude/", views.conclude, name="conclude"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/annul/", views.annul, name="annul"),
]
