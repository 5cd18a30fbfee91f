from django.urls import path

from dangvien.organizations import views
from dangvien.organizations.views.split import split

app_name = "organizations"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("new/", views.create, name="create"),
    path("reorganise/", views.reorganise_start, name="reorganise-start"),
    path("<code:code>/", views.detail, name="detail"),
    path("<code:code>/rename/", views.rename, name="rename"),
    path("<code:code>/change/", views.change, name="change"),
    path("<code:code>/correct/", views.correct, name="correct"),
    path("<code:code>/code/", views.change_code, name="change-code"),
    path("<code:code>/move/", views.move, name="move"),
    path("<code:code>/dissolve/", views.dissolve, name="dissolve"),
    path("<code:code>/restore/", views.restore, name="restore"),
    path("<code:code>/below/", views.below, name="below"),
    path("<code:code>/reorganise/", views.reorganise, name="reorganise"),
    path("<code:code>/split/", split, name="split"),
]
