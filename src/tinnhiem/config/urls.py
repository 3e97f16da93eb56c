from django.urls import include, path

urlpatterns = [
    path("tai-khoan/", include("tinnhiem.accounts.urls")),
    path("", include("tinnhiem.campaigns.urls")),
    path("hoi-nghi/", include("tinnhiem.conferences.urls")),
    path("kiem-phieu/", include("tinnhiem.counting.urls")),
    path("quet-phieu/", include("tinnhiem.scanning.urls")),
    path("van-ban/", include("tinnhiem.delivery.urls")),
    path("bo-phieu-dien-tu/", include("tinnhiem.evote.urls")),
    path("cong-khai/", include("tinnhiem.counting.public_urls")),
    path("nhat-ky-kiem-tra/", include("tinnhiem.common.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler400 = "tinnhiem.common.views.bad_request"
handler403 = "tinnhiem.common.views.permission_denied"
handler404 = "tinnhiem.common.views.page_not_found"
handler500 = "tinnhiem.common.views.server_error"
