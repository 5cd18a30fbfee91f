from django.urls import path

from dangvien.residence import views

app_name = "residence"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<code:code>/", views.org_page, name="org"),
    path("member/<int:pk>/link/", views.link_new, name="link-new"),
    path("link/<int:pk>/end/", views.link_end, name="link-end"),
    path("member/<int:pk>/comment/", views.comment_new, name="comment-new"),
    path("comment/<int:pk>/correct/", views.comment_correct, name="comment-correct"),
    path("comment/<int:pk>/withdraw/", views.comment_withdraw, name="comment-withdraw"),
]
