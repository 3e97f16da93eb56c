from django.urls import path

from tinnhiem.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.home, name="home"),
    path("ke-hoach/tao/", views.round_create, name="round_create"),
    path("ke-hoach/<int:pk>/", views.round_detail, name="round"),
    path("ke-hoach/<int:pk>/khoi/", views.block_add, name="block_add"),
    path("ke-hoach/<int:pk>/co-quan/", views.organisation, name="organisation"),
    path("ke-hoach/<int:pk>/can-bo/", views.officials, name="officials"),
    path("ke-hoach/<int:pk>/nhap-ho-so/", views.record_import_view, name="record_import"),
    path("ke-hoach/<int:pk>/phan-quyen/", views.grants, name="grants"),
    path("ke-hoach/<int:pk>/ket-qua/", views.round_results, name="round_results"),
    path("ke-hoach/<int:pk>/nhap-can-bo/", views.officials_import_view, name="officials_import"),
    path("mau/can-bo.xlsx", views.officials_template_view, name="officials_template"),
    path(
        "ke-hoach/<int:pk>/can-bo.<str:fmt>", views.officials_export_view, name="officials_export"
    ),
]
