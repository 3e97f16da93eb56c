from django.urls import URLPattern, URLResolver, path

from tinnhiem.scanning import views

app_name = "scanning"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:pk>/", views.index, name="index"),
    path("<int:pk>/tai-len/", views.upload, name="upload"),
    path("<int:pk>/tien-do.json", views.progress, name="progress"),
    path("<int:pk>/xu-ly-lai/<int:job_pk>/", views.retry, name="retry"),
    path("<int:pk>/kiem-tra/", views.queue, name="queue"),
    path("<int:pk>/kiem-tra/loai-trang-trang/", views.reject_blank, name="reject_blank"),
    path("<int:pk>/to/<int:sheet_pk>/", views.sheet_view, name="sheet"),
    path("<int:pk>/to/<int:sheet_pk>/quyet-dinh/", views.decide, name="decide"),
    path("<int:pk>/to/<int:sheet_pk>/trang.png", views.page_png, name="page_png"),
    path("<int:pk>/to/<int:sheet_pk>/dong/<str:cid>.png", views.crop, name="crop"),
    path("<int:pk>/tep/<int:file_pk>/", views.evidence, name="evidence"),
]
