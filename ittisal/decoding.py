"""Bytes to text: which encoding a landed file is in, or why it cannot be read.

Arabic sites still serve Windows-1256 and ISO-8859-6; feeds bring UTF-8 with or without a BOM
and UTF-16. UTF-8 is tried first because a random legacy file is almost never valid UTF-8.
Between the two legacy code pages, Windows-1256 is a superset in practice: bytes that are
letters in cp1256 but unassigned in ISO-8859-6 decide it, and Arabic letters decide both.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LETTER = re.compile(r"[^\W\d_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HTML = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<meta|<div|<p[\s>])", re.I)


class UndecodableError(ValueError):
    """The bytes are not text we can read; `reason` says why, for the quarantine."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 shows as a NUL in every other byte for ASCII, or in a fixed column for Arabic."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for codec, high in (("utf-16-le", odd), ("utf-16-be", even)):
        # Arabic is U+06xx: the high byte is 0x06; ASCII has a 0x00 high byte.
        if sum(b in (0, 6) for b in high) / len(high) > 0.9:
            return codec
    return None


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return False
    if len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        return False
    letters = len(_LETTER.findall(text))
    return letters >= max(1, len(text.strip()) // 5)


def decode_bytes(data: bytes) -> Decoded:
    """Decode `data`, recording the encoding; raise UndecodableError for non-text input."""
    if not data.strip():
        raise UndecodableError("empty file")
    candidates: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        utf16 = _utf16_without_bom(data)
        candidates = [utf16] if utf16 else []
        if b"\x00" in data and not utf16:
            raise UndecodableError("binary content (NUL bytes in a file that is not UTF-16)")
        candidates += ["utf-8", "cp1256", "iso-8859-6"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp1256" and _prefer_iso_8859_6(data):
            continue
        if _looks_like_text(text):
            return Decoded(text.lstrip("\ufeff"), encoding)
        raise UndecodableError(f"not text: decodes as {encoding} but is mostly symbols "
                               "or control characters")
    raise UndecodableError("undecodable: not UTF-8, UTF-16, Windows-1256 or ISO-8859-6")


def _prefer_iso_8859_6(data: bytes) -> bool:
    """ISO-8859-6 puts Arabic letters at 0xC1–0xF2, where cp1256 has Latin letters with
    accents for some of them; a file whose high bytes fall only where ISO-8859-6 has Arabic
    and that holds bytes cp1256 uses for French letters (0xE0–0xFC pattern) is ISO."""
    high = [b for b in data if b >= 0x80]
    if not high:
        return False
    try:
        iso = data.decode("iso-8859-6")
    except UnicodeDecodeError:
        return False
    cp = data.decode("cp1256")
    return len(_ARABIC.findall(iso)) > len(_ARABIC.findall(cp))


def looks_like_html(text: str) -> bool:
    return bool(_HTML.match(text[:2000]))
