"""Every kind of input read by the right reader, or listed with a reason (issue 11, items 1, 2, 8).

All pages and feeds are invented and served from a loopback HTTP server."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from briefing.fetch import Fetcher, FetchPolicy
from briefing.ingest import gather
from tests.webserver import Route, Site, serve

FAST = FetchPolicy(
    delay=0.0, backoff=0.01, read_timeout=1.0, total_timeout=2.0, max_bytes=2_000_000
)


def page(
    title: str,
    body: str,
    *,
    site: str = "Kessel Times",
    date: str = "2026-11-28",
    lang: str = "en",
    canonical: str | None = None,
    charset: str = "utf-8",
) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="{charset}"><title>{title}</title>'
        f'<meta property="og:site_name" content="{site}">{link}'
        f'<meta name="author" content="Ana Tiros">'
        f'<meta property="article:published_time" content="{date}T08:00:00Z"></head>'
        f"<body><nav>Home | World | Sport</nav><article><h1>{title}</h1>{paras}</article>"
        f"<footer>Copyright Kessel Times</footer></body></html>"
    )


STORY = (
    "ARVEN - The foreign minister of Velmora, Dario Quell, met his Ostrand counterpart "
    "Mira Sand in Arven on Friday to discuss the reopening of the border crossing at Tiel.\n\n"
    '"We have agreed to reopen the crossing before the winter," Quell told reporters after '
    "the talks, which lasted three hours and ended with a joint statement."
)


def feed(entries: list[tuple[str, str, str]], title: str = "Kessel Times: World") -> bytes:
    items = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate></item>"
        for t, link, d in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://kessel.example/</link>"
        f"<description>World news</description>{items}</channel></rss>"
    ).encode()


def fetcher(tmp_path: Path, offline: bool = False) -> Fetcher:
    return Fetcher(tmp_path / "cache", offline=offline, policy=FAST, sleep=lambda s: None)


def test_an_html_page_gives_text_and_metadata(tmp_path):
    site = Site(
        {
            "/world/velmora": Route(
                page(
                    "Velmora and Ostrand reopen a crossing",
                    STORY,
                    canonical="https://kessel.example/world/velmora",
                ).encode()
            )
        }
    )
    with serve(site), fetcher(tmp_path) as f:
        intake = gather([site.url("/world/velmora")], fetcher=f)
    assert not intake.failures
    (article,) = intake.articles
    assert article.title == "Velmora and Ostrand reopen a crossing"
    assert article.outlet == "Kessel Times"
    assert article.byline == "Ana Tiros"
    assert str(article.published) == "2026-11-28"
    assert article.url == "https://kessel.example/world/velmora"
    assert article.text.startswith("ARVEN - The foreign minister")
    assert "Home | World" not in article.text and "Copyright" not in article.text


def test_a_feed_recognised_by_content_fetches_its_entries(tmp_path):
    site = Site(
        {
            "/a": Route(page("Velmora and Ostrand reopen a crossing", STORY).encode()),
            "/b": Route(b"", statuses=[404]),
            "/feed": Route(
                feed(
                    [
                        ("Crossing to reopen", "/a", "Sat, 28 Nov 2026 09:00:00 GMT"),
                        ("Gone", "/b", "Sat, 28 Nov 2026 10:00:00 GMT"),
                        ("Secrets", "file:///etc/passwd", "Sat, 28 Nov 2026 11:00:00 GMT"),
                    ]
                ),
                content_type="text/plain",
            ),  # a feed served with the wrong type is still a feed
        }
    )
    with serve(site):
        site.routes["/feed"].body = site.routes["/feed"].body.replace(
            b"<link>/", f"<link>{site.base}/".encode()
        )
        with fetcher(tmp_path) as f:
            intake = gather([site.url("/feed")], fetcher=f)
    assert [a.url for a in intake.articles] == [site.url("/a")]
    reasons = {fl.path: fl.reason for fl in intake.failures}
    assert reasons[site.url("/b")] == "HTTP 404"
    # Named by the feed entry and the scheme: feedparser shows file:///etc/passwd as
    # file://etc/passwd, so its rewritten path is never shown as the feed's.
    secret = reasons[site.url("/feed") + " entry 3"]
    assert "'file'" in secret and "only http and https" in secret and "etc/passwd" not in secret


def test_json_and_jsonl_objects(tmp_path):
    (tmp_path / "export.jsonl").write_text(
        json.dumps(
            {
                "text": STORY,
                "title": "Crossing",
                "outlet": "Arven Post",
                "published": "April 2, 2026",
                "url": "https://post.example/1",
            }
        )
        + "\n"
        + json.dumps({"title": "no text"})
        + "\n"
        + "{broken\n",
        encoding="utf-8",
    )
    intake = gather([tmp_path / "export.jsonl"])
    (article,) = intake.articles
    assert (article.outlet, str(article.published)) == ("Arven Post", "2026-04-02")
    assert [f.path.rsplit(":", 1)[1] for f in intake.failures] == ["2", "3"]
    assert "without a 'text' field" in intake.failures[0].reason


def test_front_matter_dates_in_other_formats_are_parsed_or_warned(tmp_path):
    for name, date in (
        ("a.txt", "April 2, 2025"),
        ("b.txt", "01/04/2025"),
        ("c.txt", "25/04/2025"),
    ):
        (tmp_path / name).write_text(f"---\npublished: {date}\n---\n{STORY} {name}\n", "utf-8")
    intake = gather([tmp_path])
    assert [str(a.published) for a in intake.articles] == ["2025-04-02", "None", "2025-04-25"]
    assert not intake.failures
    assert any("b.txt" in n and "ambiguous" in n for n in intake.notices)


def test_encodings_are_detected_not_called_binary(tmp_path):
    russian = (
        "Министр иностранных дел Велморы Дарио Квелл встретился с коллегой из Остранда "
        "в Арвене в пятницу, сообщило министерство в заявлении после переговоров."
    )
    (tmp_path / "cp1251.txt").write_bytes(russian.encode("cp1251"))
    (tmp_path / "utf16.txt").write_bytes(STORY.encode("utf-16"))
    intake = gather([tmp_path])
    assert not intake.failures
    assert [a.text.strip() for a in intake.articles] == [russian, STORY]


def test_cp1251_and_utf16_pages(tmp_path):
    russian = (
        "Министр иностранных дел Велморы Дарио Квелл встретился с коллегой из Остранда "
        "в Арвене в пятницу.\n\nПереговоры длились три часа и завершились заявлением."
    )
    site = Site(
        {
            "/ru": Route(
                page("Квелл и Сэнд", russian, lang="ru", charset="windows-1251").encode("cp1251"),
                content_type="text/html",
            ),
            "/u16": Route(
                page("Velmora and Ostrand reopen a crossing", STORY).encode("utf-16"),
                content_type="text/html; charset=utf-16",
            ),
        }
    )
    with serve(site), fetcher(tmp_path) as f:
        intake = gather([site.url("/ru"), site.url("/u16")], fetcher=f)
    assert not intake.failures, intake.failures
    ru, en = intake.articles
    assert ru.text.startswith("Министр") and en.text.startswith("ARVEN")
    assert intake.languages == {ru.id: "ru"}
    assert any("language 'ru'" in n for n in intake.notices)


def test_every_file_in_a_folder_is_read_or_listed(tmp_path):
    (tmp_path / "page.html").write_text(
        page("Velmora and Ostrand reopen a crossing", STORY), "utf-8"
    )
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "scan.pdf").write_bytes(
        b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    )
    (tmp_path / ".hidden.txt").write_text("not read", "utf-8")
    intake = gather([tmp_path])
    assert [a.title for a in intake.articles] == ["Velmora and Ostrand reopen a crossing"]
    reasons = {Path(f.path).name: f.reason for f in intake.failures}
    assert set(reasons) == {"photo.png", "scan.pdf"}
    assert "binary" in reasons["photo.png"] and "PDF" in reasons["scan.pdf"]


def _pdf(text: str) -> bytes:
    """A one-page PDF with a text layer, built by hand (no writer library needed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_a_pdf_served_as_a_page_is_read_by_its_text_layer(tmp_path):
    text = "Velmora and Ostrand agreed on Friday to reopen the crossing at Tiel."
    site = Site({"/doc": Route(_pdf(text), content_type="application/pdf")})
    with serve(site), fetcher(tmp_path) as f:
        intake = gather([site.url("/doc")], fetcher=f)
    assert not intake.failures
    assert intake.articles[0].text.strip() == text


def test_an_exact_duplicate_is_read_once_and_is_no_failure(tmp_path):
    (tmp_path / "a.txt").write_text(f"---\noutlet: Arven Post\n---\n{STORY}\n", "utf-8")
    (tmp_path / "b.txt").write_text(f"---\noutlet: Kessel Times\n---\n{STORY}\n", "utf-8")
    intake = gather([tmp_path])
    assert len(intake.articles) == 1 and not intake.failures
    assert any("same text as" in n for n in intake.notices)
    assert intake.duplicates == {intake.articles[0].id: ["Kessel Times"]}


def test_fetch_faults_are_one_reason_each(tmp_path):
    good = page("Velmora and Ostrand reopen a crossing", STORY).encode()
    site = Site(
        {
            "/flaky": Route(good, statuses=[500]),
            "/moved": Route(location="/flaky"),
            "/elsewhere": Route(location="file:///etc/passwd"),
            "/slow": Route(good * 40, drip=0.2),
            "/huge": Route(size=50_000_000),
            "/image": Route(b"\x89PNG", content_type="image/png"),
            "/busy": Route(good, statuses=[503] * 10),
        }
    )
    paths = ["/flaky", "/moved", "/elsewhere", "/slow", "/huge", "/image", "/busy", "/nowhere"]
    with serve(site), fetcher(tmp_path) as f:
        started = time.monotonic()
        intake = gather([site.url(p) for p in paths], fetcher=f)
        elapsed = time.monotonic() - started
    reasons = {f.path.removeprefix(site.base): f.reason for f in intake.failures}
    assert site.hits("/flaky")[0] == 500  # retried, then read
    assert len(intake.articles) == 1  # /moved redirects to the same text: read once
    assert "non-http(s)" in reasons["/elsewhere"]
    assert "timed out" in reasons["/slow"]
    assert "too large" in reasons["/huge"]
    assert "content type image/png" in reasons["/image"]
    assert "HTTP 503" in reasons["/busy"]
    assert reasons["/nowhere"] == "HTTP 404"
    assert elapsed < 30  # bounded: nothing waits for the whole slow or huge body


def test_conditional_get_and_offline(tmp_path):
    site = Site(
        {
            "/etag": Route(
                page("Velmora and Ostrand reopen a crossing", STORY).encode(), etag='"v1"'
            ),
            "/lm": Route(
                page("Ostrand thanks Velmora", STORY.replace("Friday", "Monday")).encode(),
                last_modified="Sat, 28 Nov 2026 08:00:00 GMT",
            ),
        }
    )
    urls = []
    with serve(site):
        urls = [site.url("/etag"), site.url("/lm")]
        with fetcher(tmp_path) as f:
            first = gather(urls, fetcher=f)
        with fetcher(tmp_path) as f:
            second = gather(urls, fetcher=f)
            assert f.stats == {"fetched": 0, "not-modified": 2, "cached": 0}
    assert site.hits("/etag") == [200, 304] and site.hits("/lm") == [200, 304]
    assert site.log[-2][2]["if-none-match"] == '"v1"'
    assert site.log[-1][2]["if-modified-since"] == "Sat, 28 Nov 2026 08:00:00 GMT"
    with fetcher(tmp_path, offline=True) as f:  # the server is stopped now
        offline = gather(urls, fetcher=f)
    assert [a.model_dump() for a in offline.articles] == [a.model_dump() for a in first.articles]
    assert [a.id for a in second.articles] == [a.id for a in first.articles]
    with fetcher(tmp_path, offline=True) as f:
        missing = gather([site.url("/never")], fetcher=f)
    assert "not in the cache" in missing.failures[0].reason


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x"])
def test_only_http_urls_are_read(tmp_path, url):
    with fetcher(tmp_path) as f:
        intake = gather([url], fetcher=f)
    assert "only http and https" in intake.failures[0].reason


def test_retry_after_and_the_per_host_delay_are_honoured(tmp_path):
    good = page("Velmora and Ostrand reopen a crossing", STORY).encode()
    site = Site({
        "/limited": Route(good, statuses=[429], retry_after="2"),
        "/other": Route(good + b" "),
        "/too-long": Route(good, statuses=[429], retry_after="3600"),
    })
    waits: list[float] = []
    policy = FetchPolicy(delay=0.5, backoff=0.01, max_retry_after=60)
    with serve(site), Fetcher(tmp_path / "c", policy=policy, sleep=waits.append) as f:
        intake = gather([site.url(p) for p in ("/limited", "/other", "/too-long")], fetcher=f)
    assert len(intake.articles) == 1
    assert site.hits("/limited") == [429, 200]
    assert waits[0] == 2.0  # Retry-After, not the backoff
    assert all(0 < w <= 0.5 for w in waits[1:])  # then only the per-host spacing
    (failure,) = intake.failures
    assert failure.reason == "HTTP 429, Retry-After 3600 s is too long"


def test_a_feed_file_is_a_feed_whatever_its_name(tmp_path):
    site = Site({"/a": Route(page("Velmora and Ostrand reopen a crossing", STORY).encode())})
    with serve(site):
        atom = (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Arven Post</title><id>urn:x</id><updated>2026-11-28T08:00:00Z</updated>"
            f'<entry><title>Crossing</title><link href="{site.url("/a")}"/><id>urn:a</id>'
            "<updated>2026-11-28T08:00:00Z</updated></entry></feed>"
        )
        (tmp_path / "saved.txt").write_text(atom, encoding="utf-8")  # an Atom feed named .txt
        with fetcher(tmp_path) as f:
            intake = gather([tmp_path / "saved.txt"], fetcher=f)
    assert not intake.failures
    (article,) = intake.articles
    assert (article.url, article.outlet) == (site.url("/a"), "Kessel Times")


GERMAN = (
    "Der Außenminister von Velmora traf am Montag in Arven seinen Amtskollegen aus Ostrand, "
    "um über die Fährverbindung zu sprechen. Die Regierung erklärte, dass die Gespräche "
    "fortgesetzt werden, bis alle Fragen geklärt sind. Was danach kommt, ist offen, sagte "
    "ein Sprecher in der Hauptstadt am Abend nach dem Treffen mit den Vertretern beider Länder."
)


def test_plainly_english_text_needs_no_language_model_and_others_still_get_one(seed_paths):
    from briefing import readers

    readers._language_identifier.cache_clear()
    for seed in seed_paths:
        assert readers.detect_language(seed.read_text(encoding="utf-8")) == "en", seed
    assert readers._language_identifier.cache_info().currsize == 0  # the model never loaded
    assert readers.detect_language(GERMAN) == "de"
    assert readers._language_identifier.cache_info().currsize == 1
    for seed in seed_paths:  # where the short-cut answers, the model agrees
        sample = " ".join(seed.read_text(encoding="utf-8").split())[:5000]
        ranked = dict(readers._language_identifier().rank(sample))
        assert max(ranked, key=lambda code: ranked[code]) == "en", seed
