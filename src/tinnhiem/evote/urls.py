from django.urls import URLPattern, URLResolver

app_name = "evote"

urlpatterns: list[URLPattern | URLResolver] = []
