"""The one error the document generators raise for input they refuse."""

from __future__ import annotations


class DocumentError(ValueError):
    """Input a document cannot be made from, explained in Vietnamese and English."""

    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi
