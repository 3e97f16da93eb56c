from django.urls import URLPattern, URLResolver, path

from tinnhiem.evote import views

app_name = "evote"

urlpatterns: list[URLPattern | URLResolver] = [
    # The organiser and the counting committee (login).
    path("", views.index, name="index"),
    path("hoi-nghi/<int:pk>/", views.manage, name="manage"),
    path("hoi-nghi/<int:pk>/tao/", views.create, name="create"),
    path("hoi-nghi/<int:pk>/huy/", views.cancel, name="cancel"),
    path(
        "hoi-nghi/<int:pk>/tep/<str:name>/<int:index>/",
        views.ceremony_file,
        name="ceremony_file_for",
    ),
    path("hoi-nghi/<int:pk>/tep/<str:name>/", views.ceremony_file, name="ceremony_file"),
    path("hoi-nghi/<int:pk>/nop-tep/", views.ceremony_upload, name="ceremony_upload"),
    path("hoi-nghi/<int:pk>/danh-sach-the/", views.credentials_upload, name="credentials"),
    path("hoi-nghi/<int:pk>/phat-the/", views.issuance, name="issuance"),
    path("hoi-nghi/<int:pk>/ket-thuc-phat-the/", views.issuance_close, name="issuance_close"),
    path("hoi-nghi/<int:pk>/ket-thuc/", views.end, name="end"),
    path("hoi-nghi/<int:pk>/giai-ma/", views.decrypt_upload, name="decrypt"),
    path("hoi-nghi/<int:pk>/ket-qua/", views.integrate, name="integrate"),
    path("hoi-nghi/<int:pk>/luu-tru.json", views.archive, name="archive"),
    path("hoi-nghi/<int:pk>/bien-ban.json", views.minutes, name="minutes"),
    # Voters and the hall (no login).
    path("<str:uuid>/", views.cast_page, name="cast"),
    path("<str:uuid>/cuoc-bo-phieu.json", views.election_json, name="election_json"),
    path("<str:uuid>/chuan-bi.json", views.prepare_json, name="prepare_json"),
    path("<str:uuid>/bo-phieu.json", views.cast_json, name="cast_json"),
    path("<str:uuid>/kiem-tra.json", views.audit_json, name="audit_json"),
    path("<str:uuid>/ma-theo-doi.json", views.tracker_json, name="tracker_json"),
    path("<str:uuid>/man-hinh/", views.hall, name="hall"),
    path("<str:uuid>/man-hinh.json", views.hall_json, name="hall_json"),
]
