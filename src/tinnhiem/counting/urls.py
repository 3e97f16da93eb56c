from django.urls import path

from tinnhiem.counting import public_views, views

app_name = "counting"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("ket-qua-cua-toi/", public_views.my_results, name="my_results"),
    path("<int:pk>/luot/<int:entry_pass>/", views.entry, name="entry"),
    path("<int:pk>/luot/<int:entry_pass>/luu/", views.entry_save_view, name="entry_save"),
    path("<int:pk>/doi-chieu/", views.reconcile_view, name="reconcile"),
    path("<int:pk>/doi-chieu/<int:number>/", views.resolve, name="resolve"),
    path("<int:pk>/ket-qua/", views.results, name="results"),
    path("<int:pk>/xac-nhan/", views.confirm, name="confirm"),
    path("<int:pk>/dieu-chinh/", views.amend, name="amend"),
    path("<int:pk>/ho-so.json", views.export_record, name="export"),
    path("<int:pk>/nhat-ky/", views.entry_log, name="entry_log"),
    path("<int:pk>/in-phieu/", views.ballots_print_view, name="ballots_print"),
    path("<int:pk>/bao-cao.<str:fmt>", views.report_view, name="report"),
    path("<int:pk>/bien-ban.<str:fmt>", views.minutes_view, name="minutes"),
    path("<int:pk>/bao-cao-ca-nhan/<int:cand_pk>/", views.personal_view, name="personal"),
    path("ke-hoach/<int:round_pk>/thong-ke.<str:fmt>", views.statistics_view, name="statistics"),
]
