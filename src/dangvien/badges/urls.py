from django.urls import path

from dangvien.badges import views

app_name = "badges"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<code:code>/", views.org_list, name="org"),
    path("org/<code:code>/list.xlsx", views.org_xlsx, name="org-xlsx"),
    path("propose/<int:member_pk>/", views.propose, name="propose"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.step, name="step"),
]
