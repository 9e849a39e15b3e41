"""Daily operation from a feed (issue 11, items 3-5): the window, the seen-store, syndicated
copies, reruns and --offline, against invented pages on a loopback HTTP server."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from briefing.pipeline import ExitCode, run_brief
from briefing.settings import load_settings
from tests.conftest import ROOT, run_cli
from tests.webserver import Route, Site, serve


def page(title: str, body: str, site: str, date: str) -> Route:
    """A page route with an ETag, so reruns can ask conditionally."""
    return Route(html(title, body, site, date), etag=f'"{abs(hash(body)) % 10**8}"')


def html(title: str, body: str, site: str, date: str) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:site_name" content="{site}">'
        f'<meta property="article:published_time" content="{date}T07:00:00Z"></head>'
        f"<body><article><h1>{title}</h1>{paras}</article></body></html>"
    ).encode()


OLD = (
    "BERGEN - Norwegian Foreign Minister Halvard Lind met Chilean Foreign Minister Rosa Ibarra "
    "in Bergen on Monday to open talks on a fisheries agreement, the ministry said.\n"
    '"The talks will take time," Lind told reporters after the first round.'
)
YESTERDAY = (
    "OSLO - Norwegian Foreign Minister Halvard Lind met his Chilean counterpart Rosa Ibarra in "
    "Oslo on Friday to discuss the fisheries agreement, the ministry said.\n"
    '"We agreed to finish the fisheries agreement before the summer," Lind told reporters.'
)
NEW = (
    "SANTIAGO - Chilean Foreign Minister Rosa Ibarra met Portuguese Foreign Minister Tiago "
    "Meireles in Santiago on Saturday to sign a port cooperation accord, the ministry said.\n"
    '"This accord opens our ports to each other\'s fleets," Ibarra told reporters after the '
    "signing ceremony at the presidential palace, which lasted an hour."
)
# The same wire story on a second site: another headline and a closing line of its own.
COPY = NEW + "\nThe accord still needs the approval of both parliaments."


def feed(items: list[tuple[str, str, str]], base: str) -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>{base}{p}</link><pubDate>{d}</pubDate></item>"
        for t, p, d in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Nordic Wire</title>'
        f"<link>{base}/</link><description>x</description>{body}</channel></rss>"
    ).encode()


def settings(out: Path, day: str, **extra):
    flags = {
        "out": out,
        "date": dt.date.fromisoformat(day),
        "backend": "rules",
        "fetch_delay": 0.0,
        **extra,
    }
    return load_settings(flags, env={})


def records(brief) -> list:
    data = brief.model_dump(mode="json")
    return [data[k] for k in ("meetings", "positions", "claims", "articles")]


def test_two_days_from_one_feed(tmp_path):
    wire, other = Site(), Site()
    with serve(wire), serve(other):
        wire.routes["/old"] = page("Fisheries talks open", OLD, "Nordic Wire", "2026-11-23")
        wire.routes["/fri"] = page("Fisheries deal nears", YESTERDAY, "Nordic Wire", "2026-11-27")
        wire.routes["/sat"] = page(
            "Chile and Portugal sign port accord", NEW, "Nordic Wire", "2026-11-28"
        )
        other.routes["/ports"] = page(
            "Port accord signed in Santiago", COPY, "Lisbon Daily", "2026-11-28"
        )
        items = [
            ("Talks open", "/old", "Mon, 23 Nov 2026 07:00:00 GMT"),
            ("Deal nears", "/fri", "Fri, 27 Nov 2026 07:00:00 GMT"),
        ]
        wire.routes["/rss"] = Route(
            feed(items, wire.base),
            content_type="application/rss+xml",
            last_modified="Fri, 27 Nov 2026 06:00:00 GMT",
        )
        inputs = [wire.url("/rss")]
        out = tmp_path / "out"

        day1 = run_brief(settings(out, "2026-11-27"), inputs, on_notice=lambda m: None)
        assert [a.title for a in day1.brief.articles] == ["Fisheries deal nears"]
        assert day1.brief.coverage_notes == ["1 older article skipped"]

        wire.routes["/rss"].body = feed(
            [*items, ("Port accord", "/sat", "Sat, 28 Nov 2026 07:00:00 GMT")], wire.base
        )
        wire.routes["/rss"].last_modified = "Sat, 28 Nov 2026 06:00:00 GMT"
        inputs = [wire.url("/rss"), other.url("/ports")]
        day2 = run_brief(settings(out, "2026-11-28"), inputs, on_notice=lambda m: None)
        brief = day2.brief
        assert [(a.title, a.outlet) for a in brief.articles] == [
            ("Chile and Portugal sign port accord", "Nordic Wire"),
            ("Port accord signed in Santiago", "Lisbon Daily"),
        ]
        assert [x.article_id for x in brief.extractions] == [brief.articles[0].id]
        assert brief.coverage_notes == [
            "1 older article skipped",
            "1 already briefed on 2026-11-27",
            "1 syndicated copy read once (one source)",
        ]
        assert brief.meetings and all(m.corroboration == 1 for m in brief.meetings)
        assert all(c.corroboration == 1 for c in brief.claims)
        md = (out / "brief-2026-11-28.md").read_text(encoding="utf-8")
        assert "1 already briefed on 2026-11-27" in md

        again = run_brief(settings(out, "2026-11-28"), inputs, on_notice=lambda m: None)
        assert records(again.brief) == records(brief)
        assert again.brief.coverage_notes == brief.coverage_notes
        fetched = len(wire.log) + len(other.log)
    offline = run_brief(
        settings(out, "2026-11-28", offline=True), inputs, on_notice=lambda m: None
    )  # both servers are stopped now
    assert records(offline.brief) == records(brief)
    assert offline.exit_code == ExitCode.OK
    assert fetched == len(wire.log) + len(other.log)
    assert [s for _, s, _ in wire.log].count(304) >= 3  # the rerun asked conditionally


def cli(*args: str, cwd: Path = ROOT):
    return run_cli(*args, cwd=cwd)


def test_cli_reads_urls_and_inputs_from(tmp_path):
    site = Site(
        {"/sat": page("Chile and Portugal sign port accord", NEW, "Nordic Wire", "2026-11-28")}
    )
    config = tmp_path / "briefing.toml"
    config.write_text("[briefing]\nfetch_delay = 0\n", encoding="utf-8")
    (tmp_path / "local.txt").write_text(YESTERDAY + "\n", encoding="utf-8")
    with serve(site):
        listing = tmp_path / "feeds.txt"
        listing.write_text(
            f"# morning inputs\n{site.url('/sat')}\nlocal.txt  # a file\n\n", encoding="utf-8"
        )
        done = cli(
            "run",
            "--inputs-from",
            str(listing),
            "--out",
            str(tmp_path / "out"),
            "--date",
            "2026-11-28",
            "--config",
            str(config),
            cwd=ROOT,  # the list names local.txt beside itself, not in the working folder
        )
    assert done.returncode == ExitCode.OK, done.stderr
    data = json.loads((tmp_path / "out" / "brief-2026-11-28.json").read_text(encoding="utf-8"))
    assert [a["url"] for a in data["articles"]] == [site.url("/sat"), None]
    assert "publication date unknown" in (tmp_path / "out" / "brief-2026-11-28.md").read_text(
        encoding="utf-8"
    )


def test_window_all_and_bad_window(tmp_path):
    (tmp_path / "old.md").write_text(f"---\npublished: 2020-01-03\n---\n{OLD}\n", "utf-8")
    out = tmp_path / "out"
    skipped = cli("run", str(tmp_path / "old.md"), "--out", str(out), "--date", "2026-11-28")
    assert skipped.returncode == ExitCode.NOTHING
    assert "1 older article skipped" in skipped.stderr
    kept = cli(
        "run",
        str(tmp_path / "old.md"),
        "--out",
        str(out),
        "--date",
        "2026-11-28",
        "--window",
        "all",
        "--force",
    )
    assert kept.returncode == ExitCode.OK, kept.stderr
    bad = cli("run", str(tmp_path / "old.md"), "--out", str(out), "--window", "fortnight")
    assert bad.returncode == ExitCode.USAGE
    assert bad.stderr.strip().splitlines()[-1].startswith("briefing: error: invalid setting window")


def test_an_exact_duplicate_is_exit_0_and_keeps_both_outlets(tmp_path):
    for name, outlet in (("a.md", "Nordic Wire"), ("b.md", "Lisbon Daily")):
        (tmp_path / name).write_text(f"---\noutlet: {outlet}\n---\n{NEW}\n", encoding="utf-8")
    out = tmp_path / "out"
    done = cli("run", str(tmp_path / "a.md"), str(tmp_path / "b.md"), "--out", str(out),
               "--date", "2026-11-28")
    assert done.returncode == ExitCode.OK, done.stderr
    data = json.loads((out / "brief-2026-11-28.json").read_text(encoding="utf-8"))
    assert len(data["articles"]) == 1 and data["failures"] == []
    assert data["coverage_notes"] == [
        "Nordic Wire: the same text also from Lisbon Daily (read once, one source)",
        "1 with publication date unknown (kept)",
    ]
