from django.urls import path

from dangvien.dues import views

app_name = "dues"
urlpatterns = [
    path("", views.index, name="index"),
    path("my/", views.my, name="my"),
    path("branch/<code:code>/<int:year>-<int:month>/", views.sheet, name="sheet"),
    path("payment/<int:pk>/correct/", views.payment_correct, name="payment-correct"),
    path("payment/<int:pk>/annul/", views.payment_annul, name="payment-annul"),
    path("member/<int:pk>/", views.member_page, name="member"),
    path("basis/<int:pk>/annul/", views.basis_annul, name="basis-annul"),
    path("excuse/<int:pk>/annul/", views.excuse_annul, name="excuse-annul"),
    path("report/", views.report_index, name="report-index"),
    path("report/<code:code>/", views.report, name="report"),
    path("remit/<code:code>/", views.remit, name="remit"),
    path("remittance/<int:pk>/annul/", views.remittance_annul, name="remittance-annul"),
]
