from django.urls import path

from tinnhiem.counting import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.public_list, name="list"),
    path("<int:pk>/", public_views.public_detail, name="detail"),
]
