from django.urls import path

from tinnhiem.common import audit_views

app_name = "common"

urlpatterns = [
    path("", audit_views.audit_log, name="audit"),
]
