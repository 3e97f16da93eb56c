from django.urls import URLPattern, URLResolver, path

from tinnhiem.delivery import views

app_name = "delivery"

urlpatterns: list[URLPattern | URLResolver] = [
    path("ke-hoach/<int:round_pk>/", views.round_documents, name="round"),
    path("ke-hoach/<int:round_pk>/tao/<str:kind>/", views.round_job_start, name="round_start"),
    path("ke-hoach/<int:round_pk>/thong-ke/", views.statistics_page, name="statistics"),
    path("viec/<int:pk>/", views.job_page, name="job"),
    path("viec/<int:pk>/trang-thai.json", views.job_status, name="job_status"),
    path("viec/<int:pk>/tai-ve/", views.job_file, name="job_file"),
    path("so-dang-ky/", views.register_page, name="register"),
    path("so-dang-ky.xlsx", views.register_xlsx, name="register_xlsx"),
]
