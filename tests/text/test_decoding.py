"""Decoding bytes and reading HTML pages, on real corpus text re-encoded every way we meet."""

from __future__ import annotations

import codecs
import html
import json
import random

import pytest

from ittisal.text.decoding import Decoded, UndecodableError, decode_bytes, looks_like_html
from ittisal.text.html import html_to_text
from ittisal.text.segments import parse_document
from tests.conftest import CORPUS

SEEDS = sorted((CORPUS / "seeds").glob("*.txt"))
DEV = [json.loads(line) for line in
       (CORPUS / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines() if line]
# every seed and every fourth dev article: all the shapes, in well under a second
TEXTS = {p.name[:3]: p.read_text(encoding="utf-8") for p in SEEDS} | {
    a["id"].rsplit("/", 1)[-1][:-6]: a["text"] for a in DEV[::4]}
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256", "iso-8859-6"]
EXPECTED_CODEC = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "utf-16": "utf-16",
                  "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be", "cp1256": "cp1256",
                  "iso-8859-6": "iso-8859-6"}


def _encodable(text: str, encoding: str) -> str:
    """`text` itself if the code page holds all of it, else the text without what it lacks
    (a legacy file of the rest: ISO-8859-6 has no “ ” – —)."""
    return text.encode(encoding, "ignore").decode(encoding)


def test_corpus_texts_are_there():
    assert len(SEEDS) == 5 and len(DEV) == 37


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_corpus_text_decodes_back_in_every_encoding(name, encoding):
    text = _encodable(TEXTS[name], encoding)
    assert len(text) > 0.95 * len(TEXTS[name])  # the re-encoded file is still the article
    decoded = decode_bytes(text.encode(encoding))
    assert decoded == Decoded(text, EXPECTED_CODEC[encoding])


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_a_saved_page_gives_back_the_text(name):
    """Wrapped in a page with furniture, re-encoded as cp1256: title and paragraphs return."""
    text = TEXTS[name]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, paragraphs = lines[0], lines[1:]
    page = (
        "<!DOCTYPE html><html><head><meta charset='windows-1256'>"
        f"<title>{html.escape(title)} | موقع الأخبار</title>"
        "<script>var x = '<p>لا</p>';</script><style>p{color:red}</style></head><body>"
        "<nav><a href='/'>الرئيسية</a><p>قائمة</p></nav><article>"
        f"<h1>{html.escape(title)}</h1>"
        + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        + "</article><aside><p>الأكثر قراءة</p></aside><footer><p>حقوق النشر</p></footer>"
        "<iframe src='x'></iframe><form><p>اشترك</p></form></body></html>")
    decoded = decode_bytes(page.encode("cp1256", "ignore"))
    assert decoded.encoding == "cp1256"
    assert looks_like_html(decoded.text)
    got_title, got_body = html_to_text(decoded.text)
    assert got_title == _encodable(title, "cp1256").strip()
    expected = [" ".join(_encodable(p, "cp1256").split()) for p in paragraphs]
    assert got_body.split("\n") == [p for p in expected if p and p != got_title]


def test_iso_8859_6_and_windows_1256_are_told_apart_line_by_line():
    """Single corpus sentences, the hard case: little text to judge from."""
    rng = random.Random(7)
    lines = [line.strip() for t in TEXTS.values() for line in t.splitlines()
             if len(line.split()) >= 4]
    wrong = []
    for line in rng.sample(lines, 60):
        for encoding in ("cp1256", "iso-8859-6"):
            data = line.encode(encoding, "ignore")
            decoded = decode_bytes(data)
            if decoded.text != data.decode(encoding):
                wrong.append((encoding, line[:40]))
    assert wrong == []


def test_the_two_code_pages_by_their_bytes():
    text = "أجرى وزير الخارجية العراقي اتصالاً هاتفياً مع نظيره التركي"
    assert decode_bytes(text.encode("cp1256")).encoding == "cp1256"
    iso = text.encode("iso-8859-6", "ignore")
    assert decode_bytes(iso) == Decoded(iso.decode("iso-8859-6"), "iso-8859-6")
    # “ ” in Windows-1256 are C1 controls in ISO-8859-6: Windows-1256 even when both decode
    quoted = "قال “الرئيس” إن الاتصال تم"
    assert decode_bytes(quoted.encode("cp1256")).text == quoted


def test_a_bom_is_removed_and_recorded():
    assert decode_bytes(codecs.BOM_UTF8 + "نص عربي".encode()) == Decoded("نص عربي", "utf-8-sig")
    assert decode_bytes("نص عربي".encode("utf-16")) == Decoded("نص عربي", "utf-16")
    assert decode_bytes("\ufeffنص عربي".encode()).text == "نص عربي"


def test_the_recorded_codec_decodes_the_bytes_again():
    """The pipeline stores the codec name and decodes the raw bytes with it later."""
    for encoding in ENCODINGS:
        data = _encodable(TEXTS["002"], encoding).encode(encoding)
        decoded = decode_bytes(data)
        assert data.decode(decoded.encoding).lstrip("\ufeff") == decoded.text


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"  \r\n\t\n", "empty"),
    (b"\xef\xbb\xbf   \n", "empty"),
    (bytes(range(256)) * 8, "binary"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
    (b"%PDF-1.7\n" + "نص".encode() * 10, "PDF"),
    (b"\xff\xfe" + b"\x00\xd8" * 40, "UTF-16"),  # a BOM, then unpaired surrogates
    ("وزير".encode() + b"\x00\x01\x02" * 30, "binary"),
    (b"!!!! ???? 1234 5678 .... ---- ////", "letters"),
    ("٠١٢٣٤٥٦٧٨٩ ، ؛ ؟ ٪ ... 2024/12/01".encode(), "letters"),
    (bytes([7, 8, 27]) * 40 + b"some words", "control"),
])
def test_what_is_not_text_is_refused_with_a_reason(data, reason):
    with pytest.raises(UndecodableError) as err:
        decode_bytes(data)
    assert reason in err.value.reason
    assert isinstance(err.value, Exception) and str(err.value) == err.value.reason


def test_random_bytes_never_pass_as_text():
    rng = random.Random(3)
    for _ in range(30):
        data = bytes(rng.randrange(256) for _ in range(2000))
        with pytest.raises(UndecodableError):
            decode_bytes(data)


def test_looks_like_html():
    assert looks_like_html("<!doctype html><html><body><p>نص</p></body></html>")
    assert looks_like_html("\ufeff  <html lang='ar'><p>نص")
    assert looks_like_html("<?xml version='1.0'?>\n<html><body>x</body></html>")
    assert looks_like_html("<div class='c'><p>نص الخبر</p><p>فقرة</p></div>")
    assert not looks_like_html("قال إن العدد <5 وإن a > b في المعادلة")
    for name in ("000", "001", "002", "003", "004"):
        assert not looks_like_html(TEXTS[name])


def test_title_prefers_og_title_then_h1_then_title_without_site_name():
    body = "<p>فقرة أولى.</p>"
    og = "<meta property='og:title' content=' عنوان  الخبر '>"
    assert html_to_text(f"<head>{og}<title>آخر</title></head><h1>ع</h1>{body}")[0] == \
        "عنوان الخبر"
    assert html_to_text(f"<title>آخر</title><h1>عنوان <b>الخبر</b></h1>{body}")[0] == \
        "عنوان الخبر"
    assert html_to_text(f"<title>عنوان الخبر الطويل | سكاي نيوز عربية</title>{body}")[0] == \
        "عنوان الخبر الطويل"
    assert html_to_text(f"<title>العراق - تركيا: اتصال هاتفي بين الوزيرين</title>{body}")[0] \
        == "العراق - تركيا: اتصال هاتفي بين الوزيرين"
    assert html_to_text(body) == (None, "فقرة أولى.")


def test_broken_html_is_survived():
    # a stray <td> outside a table is dropped as a browser does; its text stays in the <p>
    assert html_to_text("<p>فقرة <b>غير مغلقة<p>ثانية</div></span><td> خلية") == (
        None, "فقرة غير مغلقة\nثانية خلية")
    assert html_to_text("") == (None, "")
    assert html_to_text("<<<>>><p") == (None, "<<<>>>")
    deep = "<div>" * 20000 + "<p>عميق</p>" + "</div>" * 10
    assert html_to_text(deep) == (None, "عميق")
    title, body = html_to_text("<html><head><title>ع</title><script>alert(1)")
    assert (title, body) == ("ع", "")


def test_scripts_and_furniture_never_reach_the_body():
    page = ("<body><script>document.write('<p>سكربت</p>')</script><nav><p>قائمة</p></nav>"
            "<p>نص <a href='#'>الخبر</a> هنا<br>سطر ثان</p><aside><p>جانبي</p></aside>"
            "<form><p>اشترك</p></form><footer><p>تذييل</p></footer><style>.a{}</style></body>")
    assert html_to_text(page) == (None, "نص الخبر هنا\nسطر ثان")


def test_a_page_without_paragraphs_gives_its_block_text():
    page = "<body><div>السطر الأول <span>مع امتداد</span></div><div>السطر الثاني</div></body>"
    assert html_to_text(page) == (None, "السطر الأول مع امتداد\nالسطر الثاني")


def test_an_embedded_tweet_keeps_its_credit_line_for_the_segmenter():
    page = ("<article><h1>عنوان</h1><p>وكتب الوزير على منصة إكس.</p>"
            "<blockquote class='twitter-tweet'><p lang='ar'>سعدت باتصال الوزير</p>"
            "&mdash; أسعد حسن الشيباني (@Asaad_Shaibani) "
            "<a href='https://twitter.com/x'>December 31, 2024</a></blockquote>"
            "<p>وفي القاهرة، قالت الوزارة.</p></article>")
    title, body = html_to_text(page)
    segments = parse_document(f"{title}\n\n{body}")
    posts = [s for s in segments if s.post_date]
    assert [(s.post_date.isoformat(), s.post_author) for s in posts] == [
        ("2024-12-31", "أسعد حسن الشيباني")]
    assert [s.kind for s in segments] == ["title", "body", "embedded_post", "embedded_post",
                                          "body"]
