"""A day next to a verb of speech or denial dates the telling, not the meeting (invented
articles): "Gen. Marrow said on Sunday he had met Adm. Quill" tells nothing of when they met,
and a record dated Sunday would be a wrong record that merges with other Sunday reports."""

from __future__ import annotations

import pytest

from briefing.rules.records import extract_records
from briefing.schemas import Article


def dates(text: str) -> list[tuple[str, str | None]]:
    article = Article(id=Article.make_id(text), path="t.txt", title="t", text=text)
    return [(m.status, m.date_text) for m in extract_records(article)[0]]


@pytest.mark.parametrize(
    "text",
    [
        "Foreign Minister Pell Odum said on Sunday he had met President Ilse Marrow in Varsk.",
        "The ministry on Sunday dismissed as baseless claims that the summit between President"
        " Alun Trebbe and Prime Minister Hanna Solvik had been called off.",
        "Prime Minister Hanna Solvik announced Tuesday that she and President Alun Trebbe had"
        " agreed to hold a summit soon.",
    ],
)
def test_the_day_of_the_telling_is_not_the_meeting_s(text: str) -> None:
    found = dates(text)
    assert found and all(date is None for _, date in found), found


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Foreign Minister Pell Odum met President Ilse Marrow in Varsk on Sunday, the ministry"
         " said.", "on Sunday"),
        ("Foreign Minister Pell Odum says today's meeting with President Ilse Marrow in Varsk"
         " was useful.", "today"),
        ("The ministry said Foreign Minister Pell Odum would meet President Ilse Marrow in Varsk"
         " on Tuesday.", "on Tuesday"),
    ],
)
def test_the_meeting_s_own_day_is_kept(text: str, date: str) -> None:
    assert [d for _, d in dates(text)] == [date]
