"""Why a sheet goes to people: the reason codes of the scanner, in Vietnamese and English.

A sheet is ``read`` only when nothing below applies; otherwise it goes to
review with every code that applies. Codes are stable (they are written in
the scanner's JSON output and shown by the review queue).
"""

from __future__ import annotations

from collections.abc import Collection

# The image itself
UNREADABLE_IMAGE = "unreadable_image"
BLANK_PAGE = "blank_page"
QR_UNREADABLE = "qr_unreadable"
QR_UNKNOWN = "qr_unknown"
QR_SEVERAL = "qr_several"
WRONG_CONFERENCE = "wrong_conference"
LAYOUT_MISMATCH = "layout_mismatch"
REGISTRATION_FAILED = "registration_failed"
PAGE_INCOMPLETE = "page_incomplete"
LOW_RESOLUTION = "low_resolution"
# The register and the other sheets
SERIAL_NOT_ISSUED = "serial_not_issued"
DUPLICATE_SHEET = "duplicate_sheet"
ALREADY_COUNTED = "already_counted"
MISSING_PAGE = "missing_page"
OTHER_PAGE_IN_REVIEW = "other_page_in_review"
# What is written on the paper
BOX_DOUBT = "box_doubt"
SEVERAL_MARKS = "several_marks"
MARK_OUTSIDE_BOX = "mark_outside_box"
NAME_STRUCK = "name_struck"
MARGIN_WRITING = "margin_writing"
SIGNATURE_AREA = "signature_area"

MESSAGES: dict[str, tuple[str, str]] = {
    UNREADABLE_IMAGE: ("không đọc được tệp ảnh", "the image file cannot be decoded"),
    BLANK_PAGE: (
        "trang trắng (mặt sau của phiếu?), không có mã QR",
        "a blank page (the back of a ballot?), no QR code",
    ),
    QR_UNREADABLE: ("không đọc được mã QR", "no readable QR code"),
    QR_UNKNOWN: ("mã QR không phải mã phiếu TN1", "the QR code is not a TN1 ballot code"),
    QR_SEVERAL: ("có nhiều mã phiếu trên một ảnh", "several ballot codes on one image"),
    WRONG_CONFERENCE: ("phiếu của hội nghị khác", "a ballot of another conference"),
    LAYOUT_MISMATCH: (
        "số trang trong mã QR khác bố cục phiếu",
        "the QR code's page count differs from the layout",
    ),
    REGISTRATION_FAILED: (
        "không định vị được trang (dấu góc, mã QR, khung ô không khớp)",
        "the page cannot be located (corner marks, QR code and boxes disagree)",
    ),
    PAGE_INCOMPLETE: (
        "ảnh không có đủ trang giấy (mép hoặc góc bị cắt)",
        "part of the page is outside the image (an edge or corner cut off)",
    ),
    LOW_RESOLUTION: ("ảnh quá nhỏ (độ phân giải thấp)", "the image's resolution is too low"),
    SERIAL_NOT_ISSUED: (
        "mã phiếu không có trong sổ phiếu đã phát",
        "the serial is not in the register of issued ballots",
    ),
    DUPLICATE_SHEET: (
        "cùng mã phiếu và trang xuất hiện nhiều lần",
        "the same serial and page appear more than once",
    ),
    ALREADY_COUNTED: (
        "mã phiếu đã được đưa vào hồ sơ ở lần quét trước",
        "the serial was added to the record by an earlier scan",
    ),
    MISSING_PAGE: ("thiếu trang khác của phiếu này", "another page of this ballot is missing"),
    OTHER_PAGE_IN_REVIEW: (
        "trang khác của phiếu này cần kiểm tra",
        "another page of this ballot is in review",
    ),
    BOX_DOUBT: ("ô có dấu không rõ", "a box is neither clearly marked nor clearly empty"),
    SEVERAL_MARKS: (
        "một dòng có nhiều ô được đánh dấu (hoặc dấu đã gạch bỏ)",
        "several boxes marked on one line (or a mark scribbled out)",
    ),
    MARK_OUTSIDE_BOX: ("có nét ngoài ô đánh dấu", "ink outside the boxes of a line"),
    NAME_STRUCK: ("họ tên có thể bị gạch", "a printed name may be struck through"),
    MARGIN_WRITING: (
        "có chữ viết thêm ngoài lề hoặc dưới danh sách",
        "writing in a margin or below the list",
    ),
    SIGNATURE_AREA: (
        "có chữ ký hoặc chữ viết ở ô ký",
        "a signature or writing in the signature space",
    ),
}


_ORDER = {code: i for i, code in enumerate(MESSAGES)}


def sort_reasons(codes: Collection[str]) -> tuple[str, ...]:
    """Reason codes, once each, in the order of :data:`MESSAGES`."""
    return tuple(sorted(set(codes), key=lambda c: _ORDER.get(c, len(_ORDER))))


def message(code: str, lang: str = "vi") -> str:
    vi, en = MESSAGES[code]
    return en if lang == "en" else vi
