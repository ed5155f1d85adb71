"""Bytes to text: which encoding a landed file is in, or why it cannot be read.

Arabic sites and archives still hold Windows-1256 and ISO-8859-6 files next to UTF-8 (with and
without a BOM) and UTF-16 exports. Order of trust:

1. a BOM says the encoding outright;
2. NUL bytes confined to one byte column mean UTF-16 without a BOM (spaces and ASCII have a
   0x00 high byte); a few stray NULs elsewhere are dropped (a NUL is never part of a text, and
   one in a saved page must not cost the page); more than that means binary data, not text;
3. strict UTF-8, because a legacy 8-bit file is almost never valid UTF-8 by accident;
4. Windows-1256 against ISO-8859-6, decided on bytes rather than guessed (see `_legacy`),
   if the reading looks like Arabic words (see `_reads_as_arabic`): any 8-bit code page
   decodes every byte, so Shift-JIS or GBK would otherwise become a page of false Arabic;
5. charset-normalizer only as a last resort for some other code page.

Every decoding is then checked to read as text (few control characters, mostly letters, both
measured on what a reader sees: a saved page's text, not its markup), so a PNG renamed .txt is
refused with a reason instead of becoming a page of mojibake.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ittisal.text.html import html_to_text

__all__ = ["Decoded", "UndecodableError", "decode_as", "decode_bytes", "looks_like_html"]

# Two readings that are not one codec, recorded as `Decoded.encoding` and undone by `decode_as`:
# a UTF-8 file cut inside its last character (a broken download), and a file whose lines are
# partly UTF-8 and partly a legacy Arabic code page (files concatenated from two sources).
TRUNCATED_UTF8 = "utf-8+truncated"
MIXED_PREFIX = "utf-8+"


class UndecodableError(Exception):
    """The bytes are not text we can read; `reason` says why, in words for the quarantine."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    """Decoded text (leading BOM removed) and the Python codec name that produced it.

    The codec name is kept so the raw bytes can be decoded again the same way later.
    """

    text: str
    encoding: str


# Signatures of common binary formats: refusing them early gives a precise reason.
_MAGIC = (
    (b"%PDF-", "a PDF document"), (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"), (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX)"), (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an MS Office (OLE) file"), (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"\x7fELF", "an executable"),
    (b"RIFF", "a RIFF media file"), (b"ID3", "an MP3 file"), (b"OggS", "an Ogg media file"),
)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# C0/C1 controls other than tab, newline, carriage return and form feed.
# Characters are counted by deleting runs, never by listing matches: a list of one string per
# character of a 20 MB file would take gigabytes.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]+")
_SPACES = re.compile(r"\s+")
_NON_LETTERS = re.compile(r"[\W\d_]+")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_ARTICLE = re.compile(r"(?<![\u0621-\u064a])[وفبلك]?ال[\u0621-\u064a]")
# A word mixing Arabic letters and Latin letters with accents: how ISO-8859-6 text looks when
# read as Windows-1256 (ه و ى ي ق become ç è é ê â inside Arabic words).
_MIXED_WORD = re.compile(r"[\u0621-\u064a][\u00c0-\u00ff]|[\u00c0-\u00ff][\u0621-\u064a]")

MAX_CONTROL_SHARE = 0.01  # more control characters (or NUL bytes) than this: binary, not text
MIN_LETTER_SHARE = 0.4  # of non-space characters; news text is ~80% letters
UTF16_NUL_SHARE = 0.05  # share of code units whose NUL byte sits in one column
# Words of real Arabic in an 8-bit file that mix in a character no Arabic word holds: under 3%
# of an article's, a third of a short line's (hashtags); Shift-JIS, GBK, EUC-KR, Hebrew or
# Cyrillic read as Windows-1256 make 80-100% of theirs so
MAX_FOREIGN_WORD_SHARE = 0.5
_WORD_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_ARABIC_WORD = re.compile(r"[\u0600-\u06ff\u200c\u200d«»“”‘’\"'()\[\]\-–—/.,:;!?…#_]+")


def _refuse_binary_signature(data: bytes) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise UndecodableError(f"binary file: looks like {what}")


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 codec whose NUL column matches, or None.

    In UTF-16 every space, digit and ASCII letter has a 0x00 high byte, so NULs pile up in
    the odd column (little-endian) or the even one (big-endian) and almost never in the other.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    units = len(data) // 2
    nul_even = data[0::2].count(0)
    nul_odd = data[1::2].count(0)
    if nul_odd >= UTF16_NUL_SHARE * units and nul_even <= 0.01 * units:
        return "utf-16-le"
    if nul_even >= UTF16_NUL_SHARE * units and nul_odd <= 0.01 * units:
        return "utf-16-be"
    return None


def _seen(text: str) -> str:
    """What a reader sees of `text`: a saved page's title and body, not its markup (inline
    SVG icons are all digits and punctuation), else the text itself."""
    if not looks_like_html(text):
        return text
    title, body = html_to_text(text)
    return f"{title or ''}\n{body}"


def _check_text(text: str, encoding: str) -> str:
    """Return `text` without a leading BOM if it reads as text, else raise with the reason."""
    text = text[1:] if text.startswith("\ufeff") else text
    if not _SPACES.sub("", text):
        raise UndecodableError(f"empty input: only whitespace after decoding as {encoding}")
    controls = len(text) - len(_CONTROLS.sub("", text))
    if controls > max(2, MAX_CONTROL_SHARE * len(text)):
        raise UndecodableError(
            f"binary data: {controls} control characters in {len(text)} after decoding as "
            f"{encoding}")
    seen = _seen(text)
    visible = len(_SPACES.sub("", seen))
    if not visible:
        raise UndecodableError(f"empty input: a page with no text outside its markup after "
                               f"decoding as {encoding}")
    letters = len(_NON_LETTERS.sub("", seen))
    if letters < MIN_LETTER_SHARE * visible:
        raise UndecodableError(
            f"not text: decodes as {encoding} but only {letters} of {visible} visible "
            "characters are letters")
    return text


def _foreign_word_share(text: str) -> float:
    """Of the words holding an Arabic letter, the share that also hold a character no Arabic
    word does (a Latin letter, a symbol, a quote mark inside the word) once leading and
    trailing digits and punctuation are set aside; 0 for a text with no Arabic letter."""
    words = [w for w in _SPACES.split(_seen(text)) if _ARABIC_LETTER.search(w)]
    if not words:
        return 0.0
    foreign = sum(1 for w in words if not _ARABIC_WORD.fullmatch(_WORD_EDGES.sub("", w) or "ا"))
    return foreign / len(words)


def _legacy(data: bytes) -> str:
    """Windows-1256 or ISO-8859-6 for 8-bit Arabic, decided on the bytes.

    The two agree on ء..ض (0xC1–0xD6) and differ after it. Windows-1256 puts ط..ك at
    0xD8–0xDF and French letters among the rest; ISO-8859-6 leaves 0xDB–0xDF, 0xF3–0xFF and
    most of 0xA1–0xC0 unassigned, so real Windows-1256 Arabic (ف ق ك غ are everywhere) is not
    valid ISO-8859-6. ISO-8859-6 files are valid Windows-1256 but then show accented Latin
    letters inside Arabic words (ه و ى ي ق → ç è é ê â); 0x80–0x9F are C1 controls in
    ISO-8859-6 but punctuation (“ ” – — …) and Persian letters in Windows-1256. When all
    that leaves a tie (a short line), the decoding with more words opening in ال wins, then
    the one with more Arabic letters; a complete tie goes to Windows-1256, the commoner.
    """
    try:
        iso = data.decode("iso-8859-6")
    except UnicodeDecodeError:
        return "cp1256"
    if _C1_BYTES.search(data):
        return "cp1256"
    cp = data.decode("cp1256")
    mixed_cp = len(_MIXED_WORD.findall(cp))
    mixed_iso = len(_MIXED_WORD.findall(iso))
    if mixed_cp != mixed_iso:
        return "iso-8859-6" if mixed_cp > mixed_iso else "cp1256"
    # The article ال opens a quarter of Arabic words; misread, it becomes ان or اف.
    article_iso = len(_ARTICLE.findall(iso))
    article_cp = len(_ARTICLE.findall(cp))
    if article_iso != article_cp:
        return "iso-8859-6" if article_iso > article_cp else "cp1256"
    arabic_iso = len(_ARABIC_LETTER.findall(iso))
    arabic_cp = len(_ARABIC_LETTER.findall(cp))
    return "iso-8859-6" if arabic_iso > arabic_cp else "cp1256"


def _charset_normalizer(data: bytes) -> Decoded | None:
    """Last resort for code pages other than the Arabic ones (never for UTF or Arabic)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - the dependency is declared
        return None
    best = from_bytes(data).best()
    if best is None or not best.encoding:
        return None
    try:
        return Decoded(_check_text(str(best), best.encoding), best.encoding)
    except UndecodableError:
        return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode `data`, recording the encoding; raise UndecodableError for anything not text."""
    if not data or not data.strip(b" \t\r\n\x00\x0b\x0c"):
        raise UndecodableError("empty input: no bytes" if not data else
                               "empty input: only whitespace")
    _refuse_binary_signature(data)
    if data.startswith(codecs.BOM_UTF8):
        return _strict(_without_stray_nuls(data), "utf-8-sig", "invalid UTF-8 after a UTF-8 BOM")
    if data.startswith(_UTF32_BOMS) and len(data) % 4 == 0:
        try:
            return Decoded(_check_text(data.decode("utf-32"), "utf-32"), "utf-32")
        except UnicodeDecodeError:
            pass  # FF FE 00 00 may also be UTF-16-LE starting with a NUL: fall through
    if data.startswith(_UTF16_BOMS):
        return _strict(data, "utf-16", "undecodable: invalid UTF-16 after a UTF-16 BOM")
    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec is not None:
            return _strict(data, codec,
                           f"undecodable: NUL pattern of {codec} but invalid {codec}")
        data = _without_stray_nuls(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data" and err.start >= len(data) - 3:
            return Decoded(_check_text(decode_as(data, TRUNCATED_UTF8), "utf-8"),
                           TRUNCATED_UTF8)
        mixed = _mixed_lines(data)
        if mixed is not None:
            return mixed
    else:
        return Decoded(_check_text(text, "utf-8"), "utf-8")
    encoding = _legacy(data)
    try:
        text = _check_text(data.decode(encoding), encoding)
    except UndecodableError as err:
        fallback = _charset_normalizer(data)
        if fallback is not None:
            return fallback
        raise err from None
    foreign = _foreign_word_share(text)
    if foreign <= MAX_FOREIGN_WORD_SHARE:
        return Decoded(text, encoding)
    fallback = _charset_normalizer(data)
    if fallback is not None and _foreign_word_share(fallback.text) <= MAX_FOREIGN_WORD_SHARE:
        return fallback  # some other language's code page, read right: language detection
        # then records it as not Arabic
    raise UndecodableError(
        f"not Arabic text (undecodable encoding): not UTF-8, and read as {encoding} "
        f"{foreign:.0%} of its Arabic-looking words mix in letters or symbols no Arabic word "
        "holds, as Shift-JIS, GBK or another code page read as Arabic does")


def _without_stray_nuls(data: bytes) -> bytes:
    """`data` without its few stray NUL bytes (`decode_as` drops them again from the stored
    raw bytes); more than a few mean binary data."""
    nuls = data.count(0)
    if nuls > max(2, MAX_CONTROL_SHARE * len(data)):
        raise UndecodableError(f"binary data: {nuls} NUL bytes in {len(data)} in a file that "
                               "is not UTF-16")
    return data.replace(b"\x00", b"")


def _mixed_lines(data: bytes) -> Decoded | None:
    """Lines that are valid UTF-8 (with Arabic in them) beside lines that are not: each line
    read in its own encoding, the legacy lines in the one code page they share."""
    lines = data.splitlines(keepends=True)
    utf8, legacy = [], []
    for line in lines:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(line)
        else:
            if any(b >= 0x80 for b in line):
                utf8.append(line)
    if not utf8 or not legacy:
        return None
    encoding = MIXED_PREFIX + _legacy(b"".join(legacy))
    return Decoded(_check_text(decode_as(data, encoding), encoding), encoding)


def decode_as(data: bytes, encoding: str) -> str:
    """`data` read as `decode_bytes` said: a codec name, or one of the two composite readings,
    without the stray NULs `decode_bytes` dropped."""
    return _decode_as(data, encoding).replace("\x00", "")


def _decode_as(data: bytes, encoding: str) -> str:
    if encoding == TRUNCATED_UTF8:
        return _utf8_head(data)
    if encoding.startswith(MIXED_PREFIX):
        legacy = encoding.removeprefix(MIXED_PREFIX)
        out = []
        for line in data.splitlines(keepends=True):
            try:
                out.append(line.decode("utf-8"))
            except UnicodeDecodeError:
                out.append(line.decode(legacy, errors="replace"))
        return "".join(out)
    return data.decode(encoding)


def _utf8_head(data: bytes) -> str:
    """The text before an incomplete last character."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        return data[:err.start].decode("utf-8")


def _strict(data: bytes, encoding: str, reason: str) -> Decoded:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise UndecodableError(f"{reason} (byte {err.start})") from None
    return Decoded(_check_text(text, encoding), encoding)


_HTML_START = re.compile(
    r"\A(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|p|div|span|br|a|article|section|main|h[1-6]|ul|ol|li|table|tr|td|"
    r"script|style|meta|title|link|img|strong|em|b|i|blockquote|figure|header|footer|nav)"
    r"(?:\s[^<>]*)?/?>", re.I)


def looks_like_html(text: str) -> bool:
    """True for a saved web page: an HTML start, or a fragment dense with known tags.

    Plain news text may hold a stray "<" or an "<a>" quoted in prose, so a fragment needs
    several known tags before it is treated as markup.
    """
    head = text[:5000].lstrip("\ufeff")
    if _HTML_START.match(head):
        return True
    tags = _HTML_TAG.findall(head)
    return len(tags) >= 3 or (len(tags) >= 1 and head.lstrip().startswith("<"))
