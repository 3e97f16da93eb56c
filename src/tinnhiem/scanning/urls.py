from django.urls import URLPattern, URLResolver

app_name = "scanning"

urlpatterns: list[URLPattern | URLResolver] = []
