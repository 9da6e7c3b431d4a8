"""`quotes extract`: confidence and evidence in --json, the --save threshold, aliases."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from quotes.ingest.extraction import extract_quotations
from quotes.store.engine import open_database
from quotes.store.models import Quote, Speaker

# Two women met; "she" could be either (the first is likelier), and the quotation
# after hers inherits that doubt.
DOUBTFUL = (
    "Anna Berg and Clara Holm met the harbour board on Monday.\n"
    "\u201cWe agreed on the dredging,\u201d she said.\n"
    "\u201cNothing more.\u201d\n"
    "\u201cThe fees stay,\u201d said board chair Ivo Marek.\n"
)


def quote_count(url: str) -> int:
    with open_database(url).session() as session:
        return session.scalar(select(func.count()).select_from(Quote)) or 0


def test_the_doubtful_article_has_one_candidate_below_the_default() -> None:
    confidences = [c.confidence for c in extract_quotations(DOUBTFUL)]
    assert len(confidences) == 3
    assert confidences[0] >= 0.5 > confidences[1]
    assert confidences[2] > 0.9


def test_json_gives_confidence_and_evidence(cli: Any) -> None:
    found = json.loads(cli.ok("extract", "-", "--json", input=DOUBTFUL).stdout)
    assert [c["speaker"] for c in found] == ["Anna Berg", "Anna Berg", "Ivo Marek"]
    for candidate in found:
        assert set(candidate) >= {"text", "speaker", "kind", "start", "end", "cue"}
        assert 0 <= candidate["confidence"] <= 1
        assert set(candidate["evidence"]) == {"rule", "name_from"}
    assert found[0]["evidence"] == {"rule": "cue-after", "name_from": "pronoun"}
    assert found[1]["evidence"] == {"rule": "follow-on", "name_from": "pronoun"}
    assert found[2]["evidence"] == {"rule": "cue-after", "name_from": "named"}


def test_save_skips_doubtful_speakers_unless_asked(cli: Any) -> None:
    result = cli.ok("extract", "-", "--save", input=DOUBTFUL)
    assert "Saved 2 quotations (2 new, 0 already recorded)" in result.output
    assert "1 with a speaker less than 0.5 confident was not saved" in result.output
    assert quote_count(cli.url) == 2
    result = cli.ok("extract", "-", "--save", "--all", input=DOUBTFUL)
    assert "Saved 3 quotations (1 new, 2 already recorded)" in result.output
    assert quote_count(cli.url) == 3


def test_a_stricter_threshold_saves_only_named_speakers(cli: Any) -> None:
    result = cli.ok("extract", "-", "--save", "--min-confidence", "0.9", "--json", input=DOUBTFUL)
    saved = [c for c in json.loads(result.stdout) if "id" in c]
    assert [c["speaker"] for c in saved] == ["Ivo Marek"]
    assert quote_count(cli.url) == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--min-confidence", "1.5"], "invalid --min-confidence 1.5: use a number from 0 to 1"),
        (["--min-confidence", "-0.1"], "use a number from 0 to 1"),
        (["--all", "--min-confidence", "0.2"], "--all and --min-confidence contradict"),
    ],
)
def test_bad_thresholds_exit_2_and_write_nothing(cli: Any, args: list[str], needle: str) -> None:
    result = cli("extract", "-", "--save", *args, input=DOUBTFUL)
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert "Traceback" not in result.output
    assert quote_count(cli.url) == 0


def test_save_resolves_names_through_the_databases_aliases(cli: Any) -> None:
    cli.ok("speakers", "add", "Eva Lindqvist", "--alias", "Madam Chancellor")
    article = "\u201cTaxes stay where they are,\u201d said Madam Chancellor.\n"
    found = json.loads(cli.ok("extract", "-", "--save", "--json", input=article).stdout)
    assert [(c["speaker"], c["evidence"]["name_from"]) for c in found] == [
        ("Eva Lindqvist", "known-speaker")
    ]
    assert found[0]["created"] is True
    with open_database(cli.url).session() as session:
        assert session.scalar(select(func.count()).select_from(Speaker)) == 1


def test_the_table_shows_the_confidence(cli: Any) -> None:
    result = cli.ok("extract", "-", input=DOUBTFUL)
    assert "conf" in result.stdout
    assert "0.97" in result.stdout  # Ivo Marek, named right after the quotation


def test_a_person_ticking_a_doubtful_candidate_in_the_web_app_saves_it(db_url: str) -> None:
    """The --save threshold is for automatic saving; a person's choice is not second-guessed."""
    from quotes.serve.service import Chosen, save_extracted

    database = open_database(db_url)
    doubtful, nobody = extract_quotations(DOUBTFUL)[1], extract_quotations('"We agree."')[0]
    assert doubtful.confidence < 0.5 and nobody.speaker is None
    saved = save_extracted(database, DOUBTFUL, [Chosen(doubtful.start)])
    assert [s["speaker"] for s in saved] == ["Anna Berg"]
    typed = save_extracted(database, '"We agree."', [Chosen(nobody.start, "Clara Holm")])
    assert [s["speaker"] for s in typed] == ["Clara Holm"]
    assert quote_count(db_url) == 2
