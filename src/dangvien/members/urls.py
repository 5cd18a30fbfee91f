from django.urls import path

from dangvien.members import conflict_views, print_views, readmission_views, views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("export.<str:extension>", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("me/", views.my_record, name="me"),
    # conflicts with records outside a user's scope, for the officers above both
    path("conflicts/", conflict_views.conflict_list, name="conflicts"),
    path("conflicts/<int:pk>/", conflict_views.conflict_detail, name="conflict"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("<int:pk>/reinstate/", views.reinstate, name="reinstate"),
    path("<int:pk>/readmit/", readmission_views.readmit, name="readmit"),
    path(
        "<int:pk>/readmit/<int:readmission_pk>/annul/",
        readmission_views.annul,
        name="readmit-annul",
    ),
    path("<int:pk>/<slug:action>/", views.lifecycle_action, name="action"),
    # printable documents
    path("<int:pk>/record.pdf", print_views.record_pdf, name="record-pdf"),
    path("branch/<code:code>/list.pdf", print_views.branch_list_pdf, name="branch-list-pdf"),
]
