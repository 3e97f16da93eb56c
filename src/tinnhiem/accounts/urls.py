from django.contrib.auth import views as auth_views
from django.urls import path

from tinnhiem.accounts import views

app_name = "accounts"

urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("xac-minh/", views.otp_verify, name="otp_verify"),
    path("xac-thuc-hai-buoc/", views.otp_setup, name="otp_setup"),
    path("quan-tri/", views.accounts_admin, name="admin"),
]
