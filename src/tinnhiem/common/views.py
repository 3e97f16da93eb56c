"""Error pages in the user's language; never a traceback."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(
        request, "error.html", {"status": status, "title": title, "text": text}, status=status
    )


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 400, _("Yêu cầu không hợp lệ"), _("Dữ liệu gửi lên không đúng."))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(
        request, 403, _("Không có quyền"), _("Tài khoản của bạn không được phép xem trang này.")
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form sent without its token (an expired page,
    or another site posting here). The reason is not shown."""
    return _error(
        request,
        403,
        _("Biểu mẫu đã hết hạn"),
        _("Trang đã mở quá lâu hoặc phiên làm việc đã hết: hãy tải lại trang rồi gửi lại."),
    )


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404, _("Không tìm thấy"), _("Trang hoặc đối tượng này không tồn tại."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Lỗi hệ thống"),
        _("Đã có lỗi. Dữ liệu đã lưu không bị mất; hãy thử lại hoặc báo quản trị viên."),
    )
