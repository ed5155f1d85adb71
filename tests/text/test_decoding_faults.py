"""Three ways good pages were refused or misread: a saved page whose inline SVG icons outweigh
its text, a stray NUL byte, and a Shift-JIS (or other non-Arabic) file read as Windows-1256."""

from __future__ import annotations

import html

import pytest

from ittisal.text.decoding import UndecodableError, decode_as, decode_bytes
from ittisal.text.html import html_to_text
from tests.conftest import CORPUS, read_jsonl


def _article() -> str:
    """A real corpus article (the first of dev)."""
    return read_jsonl(CORPUS / "dev" / "articles.jsonl")[0]["text"]


def _icon(k: int) -> str:
    """An inline SVG icon as page builders save them: a long path of numbers and commands."""
    path = " ".join(f"M{k + i}.{i % 7}5 {i * 3}.{k}1l-{i % 5}.2{k} {i}.8c0 .{i}-.9 1.{k}-2 "
                    f"{i}.4z" for i in range(120))
    return (f'<svg class="icon icon-{k}" viewBox="0 0 24 24" width="24" height="24" '
            f'xmlns="http://www.w3.org/2000/svg"><path fill="#{k:06x}" d="{path}"/></svg>')


def _page(text: str, icons: int) -> str:
    title, _, body = text.partition("\n\n")
    paragraphs = [p for p in body.splitlines() if p.strip()]
    svgs = "".join(_icon(k) for k in range(icons))
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title></head><body><header>{svgs}</header><article>"
            f"<h1>{html.escape(title)}</h1>{_icon(99)}"
            + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
            + f"</article><footer>{svgs}</footer></body></html>")


@pytest.mark.parametrize("icons", [4, 12])
@pytest.mark.parametrize("encoding", ["utf-8", "cp1256"])
def test_a_saved_page_with_large_inline_svg_icons_is_read(icons, encoding):
    text = _article()
    page = _page(text, icons)
    assert len(page) > 5 * len(text)  # the markup outweighs the article
    decoded = decode_bytes(page.encode(encoding, "ignore"))
    assert decoded.encoding == encoding
    title, body = html_to_text(decoded.text)
    first = [p for p in text.partition("\n\n")[2].splitlines() if p.strip()][0]
    assert " ".join(first.encode(encoding, "ignore").decode(encoding).split()) in body


def test_a_page_of_markup_with_no_text_is_still_refused():
    page = "<html><body>" + "".join(_icon(k) for k in range(6)) + "</body></html>"
    with pytest.raises(UndecodableError) as err:
        decode_bytes(page.encode())
    assert "no text outside its markup" in err.value.reason


@pytest.mark.parametrize("where", ["start", "middle", "end", "three"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1256"])
def test_a_stray_nul_byte_is_dropped_and_the_page_kept(where, encoding):
    text = _article()
    data = text.encode(encoding, "ignore")
    bom = 3 if encoding == "utf-8-sig" else 0

    def between(i: int) -> int:  # the first offset from `i` that no character straddles
        while data[i] & 0xC0 == 0x80:
            i += 1
        return i

    early, half = between(bom + 10), between(len(data) // 2)
    damaged = {"start": data[:bom] + b"\x00" + data[bom:],
               "middle": data[:half] + b"\x00" + data[half:],
               "end": data + b"\x00",
               "three": data[:early] + b"\x00" + data[early:half] + b"\x00\x00" + data[half:]
               }[where]
    decoded = decode_bytes(damaged)
    assert decoded.text == data.decode(encoding).lstrip("\ufeff")
    assert "\x00" not in decoded.text
    # the stages decode the stored raw bytes again with the recorded codec: the same text
    assert decode_as(damaged, decoded.encoding) == decoded.text


@pytest.mark.parametrize("data", [
    bytes(4096),  # all NULs
    "وزير الخارجية".encode() + bytes(400),  # a text padded with NULs
    b"\x00" * 50 + "نص عربي قصير في ملف ثنائي".encode() * 10,
])
def test_a_file_full_of_nul_bytes_is_still_refused_as_binary(data):
    with pytest.raises(UndecodableError) as err:
        decode_bytes(data)
    assert "binary" in err.value.reason or "empty" in err.value.reason


# written for these tests: a Japanese, Chinese and Korean news sentence of the corpus kind
JAPANESE = ("日本の外務大臣は本日、エジプトの外務大臣と電話で会談し、"
            "中東情勢について意見を交換した。"
            "両大臣は地域の安定に向けて協力することで一致した。\n"
            "ドナルド・トランプ大統領はホワイトハウスでプーチン大統領と電話会談を行った。")
CHINESE = "中国外交部长今天与埃及外交部长通电话，双方就中东局势交换了意见。"
KOREAN = "한국 외교부 장관은 오늘 이집트 외교부 장관과 전화 통화를 했다."


@pytest.mark.parametrize(("text", "encoding"), [
    (JAPANESE, "shift_jis"), (JAPANESE, "cp932"), (JAPANESE, "euc_jp"), (CHINESE, "gbk"),
    (KOREAN, "euc_kr"),
])
def test_a_non_arabic_code_page_never_becomes_false_arabic(text, encoding):
    data = text.encode(encoding)
    try:
        decoded = decode_bytes(data)
    except UndecodableError as err:
        assert "not Arabic text (undecodable encoding)" in err.reason
        return
    assert decoded.encoding not in ("cp1256", "iso-8859-6")
    assert decoded.text == text  # read right: language detection then says it is not Arabic


def test_a_non_arabic_code_page_with_no_reading_is_refused_with_the_reason(monkeypatch):
    from ittisal.text import decoding

    monkeypatch.setattr(decoding, "_charset_normalizer", lambda data: None)
    with pytest.raises(UndecodableError) as err:
        decode_bytes(JAPANESE.encode("shift_jis"))
    assert "not Arabic text (undecodable encoding)" in err.value.reason
    assert "Shift-JIS" in err.value.reason


@pytest.mark.parametrize("encoding", ["cp1256", "iso-8859-6"])
def test_real_arabic_in_either_code_page_is_still_read_as_arabic(encoding):
    text = _article().encode(encoding, "ignore").decode(encoding)
    assert decode_bytes(text.encode(encoding)).text == text
