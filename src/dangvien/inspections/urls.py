from django.urls import path

from dangvien.inspections import denunciation_views, petition_views, plan_views, views

app_name = "inspections"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<code:code>/", views.org_activities, name="org"),
    path("org/<code:code>/new/", views.new, name="new"),
    path("org/<code:code>/programmes/", plan_views.programmes, name="programmes"),
    path("programme-item/<int:pk>/drop/", plan_views.drop_item, name="programme-item-drop"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/conclude/", views.conclude, name="conclude"),
    path("<int:pk>/conclusion.pdf", views.conclusion_pdf, name="conclusion-pdf"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/annul/", views.annul, name="annul"),
    path("petitions/org/<code:code>/", petition_views.register, name="petitions"),
    path("petitions/org/<code:code>/new/", petition_views.new, name="petition-new"),
    path("petitions/<int:pk>/", petition_views.detail, name="petition"),
    path("petitions/<int:pk>/forward/", petition_views.forward, name="petition-forward"),
    path("petitions/<int:pk>/answer/", petition_views.answer, name="petition-answer"),
    path("petitions/<int:pk>/reopen/", petition_views.reopen, name="petition-reopen"),
    path("denunciations/", denunciation_views.index, name="denunciations-index"),
    path("denunciations/org/<code:code>/", denunciation_views.register, name="denunciations"),
    path(
        "denunciations/org/<code:code>/new/",
        denunciation_views.new,
        name="denunciation-new",
    ),
    path("denunciations/<int:pk>/", denunciation_views.detail, name="denunciation"),
    path(
        "denunciations/<int:pk>/decide/",
        denunciation_views.decide,
        name="denunciation-decide",
    ),
    path(
        "denunciations/<int:pk>/reopen/",
        denunciation_views.reopen,
        name="denunciation-reopen",
    ),
]
