from django.urls import path

from dangvien.meetings import compliance_views, my_views, task_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.index, name="index"),
    path("my/", my_views.my, name="my"),
    path("my/<int:pk>/", my_views.my_meeting, name="my-meeting"),
    path("my/tasks/<int:pk>/", my_views.my_task, name="my-task"),
    path("org/<code:code>/", views.org_meetings, name="org"),
    path("org/<code:code>/new/", views.new, name="new"),
    path("org/<code:code>/tasks/", task_views.org_tasks, name="tasks"),
    path("org/<code:code>/resolutions/", views.resolutions, name="resolutions"),
    path("compliance/", compliance_views.index, name="compliance-index"),
    path("compliance/<code:code>/", compliance_views.org_compliance, name="compliance"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes-pdf"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/correct/", views.correct, name="correct"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/annul/", views.annul, name="annul"),
    path("<int:pk>/documents/", views.upload_document, name="document-upload"),
    path("<int:pk>/resolutions/", views.new_resolution, name="resolution-new"),
    path("<int:pk>/tasks/", views.new_task, name="task-new"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/remove/", views.remove_document, name="document-remove"),
    path("resolutions/<int:pk>.pdf", views.resolution_pdf, name="resolution-pdf"),
    path("resolutions/<int:pk>/annul/", views.annul_resolution, name="resolution-annul"),
    path("tasks/<int:pk>/", task_views.task, name="task"),
    path("tasks/<int:pk>/cancel/", task_views.cancel_task, name="task-cancel"),
]
