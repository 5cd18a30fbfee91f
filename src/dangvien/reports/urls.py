from django.urls import path

from dangvien.reports import awards_views, views

app_name = "reports"
urlpatterns = [
    path("structure/", views.structure, name="structure"),
    path("structure.xlsx", views.structure_xlsx, name="structure-xlsx"),
    path("structure.pdf", views.structure_pdf, name="structure-pdf"),
    path("quality/", views.quality, name="quality"),
    path("quality.xlsx", views.quality_xlsx, name="quality-xlsx"),
    path("quality.pdf", views.quality_pdf, name="quality-pdf"),
    path("admissions/", views.admissions, name="admissions"),
    path("admissions.xlsx", views.admissions_xlsx, name="admissions-xlsx"),
    path("admissions.pdf", views.admissions_pdf, name="admissions-pdf"),
    path("inspection/", views.inspection, name="inspection"),
    path("inspection.xlsx", views.inspection_xlsx, name="inspection-xlsx"),
    path("inspection.pdf", views.inspection_pdf, name="inspection-pdf"),
    path("awards/", awards_views.awards, name="awards"),
    path("awards.xlsx", awards_views.awards_xlsx, name="awards-xlsx"),
]
