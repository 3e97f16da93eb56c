from django.urls import path

from tinnhiem.conferences import dossier_views, views

app_name = "conferences"

urlpatterns = [
    path("tao/<int:round_pk>/", views.conference_create_view, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/nguoi-duoc-lay-phieu/", views.candidate_add, name="candidate_add"),
    path(
        "<int:pk>/nguoi-duoc-lay-phieu/<int:cand_pk>/xoa/",
        views.candidate_remove,
        name="candidate_remove",
    ),
    path("<int:pk>/thanh-phan/", views.voters_add, name="voters_add"),
    path("<int:pk>/nhap-thanh-phan/", views.voters_import_view, name="voters_import"),
    path("mau/thanh-phan.xlsx", views.voters_template_view, name="voters_template"),
    path("<int:pk>/ban-kiem-phieu/", views.committee_add, name="committee_add"),
    path("<int:pk>/mo-diem-danh/", views.open_checkin, name="open_checkin"),
    path("<int:pk>/diem-danh/", views.checkin, name="checkin"),
    path("<int:pk>/diem-danh/<int:voter_pk>/", views.attendance, name="attendance"),
    path("<int:pk>/so-lieu/", views.counts_json, name="counts"),
    path("<int:pk>/mo-bo-phieu/", views.open_voting, name="open_voting"),
    path("<int:pk>/ket-thuc-bo-phieu/", views.close_voting, name="close_voting"),
    path("<int:pk>/thoi-han/", dossier_views.timeline, name="timeline"),
    path("<int:pk>/thoi-han/ho-so/", dossier_views.dossier_item_add, name="dossier_item_add"),
    path("<int:pk>/thoi-han/yeu-cau/", dossier_views.question_add, name="question_add"),
    path(
        "<int:pk>/thoi-han/yeu-cau/<int:question_pk>/gui/",
        dossier_views.question_forward,
        name="question_forward",
    ),
    path(
        "<int:pk>/thoi-han/yeu-cau/<int:question_pk>/tra-loi/",
        dossier_views.question_answer,
        name="question_answer",
    ),
    path("thoi-han/ke-hoach/<int:round_pk>/", dossier_views.dashboard, name="dashboard"),
]
