from django.urls import path

from tinnhiem.counting import views

app_name = "counting"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("<int:pk>/luot/<int:entry_pass>/", views.entry, name="entry"),
    path("<int:pk>/luot/<int:entry_pass>/luu/", views.entry_save_view, name="entry_save"),
    path("<int:pk>/doi-chieu/", views.reconcile_view, name="reconcile"),
    path("<int:pk>/doi-chieu/<int:number>/", views.resolve, name="resolve"),
    path("<int:pk>/ket-qua/", views.results, name="results"),
    path("<int:pk>/xac-nhan/", views.confirm, name="confirm"),
    path("<int:pk>/dieu-chinh/", views.amend, name="amend"),
    path("<int:pk>/ho-so.json", views.export_record, name="export"),
    path("<int:pk>/nhat-ky/", views.entry_log, name="entry_log"),
]
