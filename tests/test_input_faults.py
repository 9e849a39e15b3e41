"""Input faults a tester found (issue 11, "every input accounted for"): each bad input is one
stderr line and one Failures row; odd encodings and languages are read and counted.

Pages and feeds are invented and served from a loopback HTTP server; the CLI runs as a real
subprocess so the stderr lines and the brief's Failures rows are what a user sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.errors import IngestError
from briefing.ingest import gather, guess_title, read_bytes
from tests.test_daily import cli
from tests.webserver import Route, Site, serve

STORY = (
    "TIEL - The foreign minister of Velmora, Dario Quell, met his Ostrand counterpart "
    "Mira Sand in Tiel on Friday to discuss the reopening of the border crossing.\n\n"
    '"We have agreed to reopen the crossing before the winter," Quell told reporters after '
    "the three-hour talks."
)
RUSSIAN = (
    "Министр иностранных дел Велморы Дарио Квелл встретился с коллегой из Остранда Мирой "
    "Сэнд в Тиле в пятницу. Переговоры длились три часа и завершились совместным заявлением."
)

RUSSIAN_PAGE = (
    "Велмора и Остранд договорились открыть пограничный переход в Тиле до зимы.\n\n"
    "Об этом после трёхчасовых переговоров заявил министр Дарио Квелл."
)


def html(body: str, title: str = "Velmora and Ostrand talk", lang: str = "") -> bytes:
    lang_attr = f' lang="{lang}"' if lang else ""
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<!doctype html><html{lang_attr}><head><title>{title}</title></head>"
        f"<body><nav>Home</nav><article><h1>{title}</h1>{paras}</article></body></html>"
    ).encode()


def feed(base: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Tiel Wire</title>'
        f"<link>{base}/</link><description>x</description>"
        f"<item><title>Crossing talks</title><link>{base}/story</link></item>"
        "<item><title>Linkless flash</title><description>Quell met Sand in Tiel on Friday."
        "</description></item>"
        f"<item><title>Menu only</title><link>{base}/menu</link></item>"
        "<item><title>Secrets</title><link>file:///etc/passwd</link></item>"
        "</channel></rss>"
    ).encode()


def run(tmp_path: Path, *inputs: str) -> tuple[object, dict, str]:
    out = tmp_path / "out"
    done = cli(
        "run",
        *inputs,
        "--out",
        str(out),
        "--date",
        "2026-11-28",
        "--window",
        "all",
        "--config",
        str(_config(tmp_path)),
    )
    data = json.loads((out / "brief-2026-11-28.json").read_text(encoding="utf-8"))
    markdown = (out / "brief-2026-11-28.md").read_text(encoding="utf-8")
    return done, data, markdown


def _config(tmp_path: Path) -> Path:
    config = tmp_path / "briefing.toml"
    config.write_text("[briefing]\nfetch_delay = 0\n", encoding="utf-8")
    return config


def test_every_feed_entry_is_an_article_or_a_failure_row(tmp_path):
    site = Site(
        {
            "/story": Route(html(STORY)),
            "/menu": Route(
                b"<html><head><title>x</title></head><body><nav>Home</nav></body></html>"
            ),
        }
    )
    with serve(site):
        site.routes["/feed"] = Route(feed(site.base), content_type="application/rss+xml")
        done, data, markdown = run(tmp_path, site.url("/feed"))
    assert [a["url"] for a in data["articles"]] == [site.url("/story")]
    rows = {f["path"]: f["reason"] for f in data["failures"]}
    feed_url = site.url("/feed")
    assert set(rows) == {f"{feed_url} entry 2", site.url("/menu"), f"{feed_url} entry 4"}
    assert "has no link" in rows[f"{feed_url} entry 2"]
    assert rows[site.url("/menu")].startswith("no article text")
    assert "'Home' is 1 word" in rows[site.url("/menu")]
    assert "'file'" in rows[f"{feed_url} entry 4"]
    for path, reason in rows.items():  # one stderr line each, and a row in the brief
        assert f"briefing: {path}: {reason}" in done.stderr.splitlines()
        assert path in markdown
    assert "1 article, " in done.stderr and "3 failures" in done.stderr


def test_a_short_page_without_a_sentence_is_no_article(tmp_path):
    teaser = (
        b"<html><body><article><p>Subscribe to read the whole story</p></article></body></html>"
    )
    site = Site({"/teaser": Route(teaser), "/ok": Route(html(STORY))})
    with serve(site):
        _, data, _ = run(tmp_path, site.url("/teaser"), site.url("/ok"))
    (row,) = data["failures"]
    assert row["path"] == site.url("/teaser") and row["reason"].startswith("no article text")
    assert len(data["articles"]) == 1


def test_languages_are_detected_without_a_declaration(tmp_path):
    (tmp_path / "ru.txt").write_bytes(RUSSIAN.encode("cp1251"))
    (tmp_path / "en.txt").write_text(STORY, encoding="utf-8")
    site = Site(
        {
            "/ru": Route(
                html(RUSSIAN_PAGE, title="Квелл и Сэнд").decode().encode("cp1251"),
                content_type="text/html; charset=windows-1251",
            )
        }
    )
    with serve(site):
        done, _, markdown = run(
            tmp_path, str(tmp_path / "ru.txt"), str(tmp_path / "en.txt"), site.url("/ru")
        )
    assert "2 articles not in English" in markdown, done.stderr
    assert "2 articles not in English" in done.stderr
    # and a page that declares a language its text is not in is counted by its text
    (tmp_path / "mislabelled.html").write_bytes(html(STORY, lang="ru"))
    intake = gather([tmp_path / "mislabelled.html"])
    assert intake.languages == {}


def test_devices_are_refused_and_reads_are_bounded(tmp_path):
    with pytest.raises(IngestError, match="not a regular file"):
        read_bytes(Path("/dev/zero"))
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(IngestError, match="too large"):
        read_bytes(big, max_bytes=100)
    done = cli("run", "/dev/zero", "--out", str(tmp_path / "out"))
    assert "briefing: /dev/zero: not a regular file" in done.stderr


def test_western_text_is_read_as_cp1252(tmp_path):
    text = (
        "Quell called the plan naïve at the café in Tiel – “a déjà vu”, he said, and Sand "
        "answered that the crossing would reopen über the winter."
    )
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    (article,) = gather([tmp_path / "latin.txt"]).articles
    assert article.text.strip() == text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('"Quell met Sand"', "JSON value is a string, not an object with a 'text' field"),
        ('{"text": "   "}', "JSON 'text' is empty"),
        ('{"text": 12345}', "JSON 'text' is a number, not a string"),
        ('{"title": "t"}', "JSON object without a 'text' field"),
        ("[null]", "JSON value is null, not an object with a 'text' field"),
    ],
)
def test_json_values_that_are_no_article_say_why(tmp_path, content, reason):
    (tmp_path / "one.json").write_text(content, encoding="utf-8")
    intake = gather([tmp_path / "one.json"])
    assert not intake.articles
    assert [f.reason for f in intake.failures] == [reason]


def test_a_short_headline_paragraph_is_the_title():
    text = "Velmora rejects Ostrand plan\n\nTIEL (TWA) - Velmora rejected a plan.\n\nMore text."
    assert guess_title(text) == "Velmora rejects Ostrand plan"
    # a section kicker loses to a real headline below it
    kicker = "World News\n\nVelmora and Ostrand agree to reopen the Tiel crossing\n\nTIEL - ..."
    assert guess_title(kicker) == "Velmora and Ostrand agree to reopen the Tiel crossing"
    # no headline: the first sentence of the first paragraph, not run into the next
    bare = "TIEL - Quell met Sand on Friday\n\nThey talked for three hours."
    assert guess_title(bare) == "Quell met Sand on Friday"


def test_odd_entries_in_a_folder_are_each_one_line_and_the_run_goes_on(tmp_path):
    # Before: a pipe, a link to a device and broken or looping links inside a folder were
    # skipped without a word, and a damaged PDF added pypdf's own unnamed line
    # ("EOF marker not found") to the one that names it.
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    (folder / "damaged.pdf").write_bytes(b"%PDF-1.4\n%not the rest of a PDF\n")
    os.mkfifo(folder / "pipe.txt")
    (folder / "zeros.txt").symlink_to("/dev/zero")
    (folder / "gone.txt").symlink_to(folder / "deleted.txt")
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    done, data, markdown = run(tmp_path, str(folder))
    assert done.returncode == 3, done.stderr  # a brief, with failures
    assert len(data["articles"]) == 1  # the story is read
    bad = ["damaged.pdf", "gone.txt", "loop-a.txt", "loop-b.txt", "pipe.txt", "zeros.txt"]
    lines = done.stderr.splitlines()
    for name in bad:
        (line,) = [ln for ln in lines if ln.startswith(f"briefing: {folder / name}: ")]
        assert "not read" in line or "cannot be read" in line, line
    assert not [ln for ln in lines if "EOF marker" in ln]
    assert sorted(Path(f["path"]).name for f in data["failures"]) == bad
    assert all(name in markdown for name in bad)


def test_file_names_that_no_sink_could_write_are_shown_escaped(tmp_path):
    # Before: a name that is not UTF-8 crashed the whole run when the brief was written
    # (exit 1, "surrogates not allowed"); a line break in a name split its error line in two,
    # and a terminal escape in one went raw to the terminal and into the brief.
    folder = tmp_path / "in"
    folder.mkdir()
    base = bytes(folder)
    with open(base + b"/caf\xe9-latin1-name.txt", "wb") as handle:  # a Latin-1 name
        handle.write(STORY.encode("utf-8"))
    for name in (b"/line\nbreak.bin", b"/esc\x1b[31mred.bin"):
        with open(base + name, "wb") as handle:
            handle.write(bytes(range(256)) * 4)
    done, data, markdown = run(tmp_path, str(folder))
    assert done.returncode == 3, done.stderr
    (article,) = data["articles"]
    assert article["path"] == f"{folder}/caf\\xe9-latin1-name.txt"
    shown = sorted(f["path"] for f in data["failures"])
    assert shown == [f"{folder}/esc\\x1b[31mred.bin", f"{folder}/line\\nbreak.bin"]
    for path in shown:
        (line,) = [ln for ln in done.stderr.splitlines() if ln.startswith(f"briefing: {path}:")]
        assert line.endswith("binary file (no text encoding fits), not an article")
    written = list((tmp_path / "out").glob("brief-*"))  # the ledger's pages hold any byte
    assert len(written) == 3 and all(b"\x1b" not in p.read_bytes() for p in written)
    assert "\x1b" not in done.stderr + done.stdout and "caf\\xe9" in markdown


def test_text_of_control_characters_is_binary_and_utf16_without_a_bom_is_read(tmp_path):
    (tmp_path / "controls.txt").write_bytes(b"\x01\x02\x03 \x04\x05\x06" * 200)
    (tmp_path / "nuls.txt").write_bytes(b"\x00" * 1000 + b"the end")
    (tmp_path / "utf16le.txt").write_bytes(STORY.encode("utf-16-le"))  # no BOM
    (tmp_path / "escapes.txt").write_text("\x1b[1m" + STORY, encoding="utf-8")  # one stray
    intake = gather([tmp_path])
    failed = {Path(f.path).name: f.reason for f in intake.failures}
    assert sorted(failed) == ["controls.txt", "nuls.txt"]
    assert set(failed.values()) == {"binary file (no text encoding fits), not an article"}
    texts = {Path(a.path or "").name: a.text for a in intake.articles}
    assert texts["utf16le.txt"].startswith("TIEL - The foreign minister of Velmora")
    assert "\x00" not in texts["utf16le.txt"] and "escapes.txt" in texts


def test_say_keeps_a_message_to_one_line(capsys):
    from briefing.cli import say

    say("odd.txt: the server said 'no\nway' \x1b[2J")
    err = capsys.readouterr().err
    assert err == "briefing: odd.txt: the server said 'no\\nway' \\x1b[2J\n"
