"""The contract's error rules: exit 2, one sentence naming the value, no traceback,
nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from quotes.store.engine import open_database
from quotes.store.models import Quote, Source, Speaker, Topic


def _counts(url: str) -> tuple[int, ...]:
    with open_database(url).session() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Quote, Speaker, Source, Topic)
        )


def _assert_clean_error(result, *needles: str, code: int = 2) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    message = result.output.strip()
    assert message.count("\n") == 0, message
    for needle in needles:
        assert needle in message


@pytest.mark.parametrize(
    ("extra", "needles"),
    [
        (["--date", "2026-02-30"], ["'2026-02-30'", "YYYY-MM-DD"]),
        (["--date", "last tuesday"], ["'last tuesday'"]),
        (["--topic", "climate"], ["'climate'", "sovereignty"]),
        (["--source", "not a url"], ["'not a url'", "http"]),
        (["--speaker", "   "], ["speaker name is empty"]),
    ],
)
def test_add_rejects_bad_values_and_writes_nothing(seeded, extra, needles) -> None:
    before = _counts(seeded.url)
    args = ["add", "A perfectly fine statement.", "--speaker", "New Person", *extra]
    _assert_clean_error(seeded(*args), *needles)
    assert _counts(seeded.url) == before


def test_empty_and_overlong_text(seeded) -> None:
    before = _counts(seeded.url)
    _assert_clean_error(seeded("add", "   ", "--speaker", "X Y"), "text is empty")
    _assert_clean_error(seeded("add", "-", "--speaker", "X Y", input=""), "text is empty")
    _assert_clean_error(seeded("add", "a" * 20_001, "--speaker", "X Y"), "20,001", "20,000")
    assert _counts(seeded.url) == before
    assert seeded("add", "a" * 20_000, "--speaker", "X Y").exit_code == 0


def test_unknown_stance_label_and_topic_in_search(seeded) -> None:
    _assert_clean_error(seeded("search", "arctic", "--stance", "pro"), "'pro'", "favor")
    _assert_clean_error(seeded("search", "arctic", "--topic", "weather"), "'weather'")
    _assert_clean_error(seeded("search", "arctic", "--since", "2026-1-32"), "'2026-1-32'")
    _assert_clean_error(seeded("search", "arctic", "--speaker", "Nobody Known"), "'Nobody Known'")
    _assert_clean_error(seeded("export", "--until", "20260"), "'20260'")


def test_malformed_option_values_are_usage_errors(seeded) -> None:
    assert seeded("search", "x", "--limit", "zero").exit_code == 2
    assert seeded("search", "x", "--limit", "0").exit_code == 2
    assert seeded("show", "abc").exit_code == 2
    assert seeded("add", "text without speaker").exit_code == 2
    assert seeded("frobnicate").exit_code == 2


def test_db_pointing_at_a_directory(run_cli, tmp_path: Path) -> None:
    result = run_cli("show", "1", "--db", str(tmp_path))
    _assert_clean_error(result, str(tmp_path), "directory")
    result = run_cli("--db", f"sqlite:///{tmp_path}", "search", "x")
    _assert_clean_error(result, "directory")


@pytest.mark.parametrize(
    "url", ["postgresql://::nonsense", "nosuchdialect://host/db", "sqlite:////"]
)
def test_db_with_unusable_urls(run_cli, url: str) -> None:
    result = run_cli("show", "1", "--db", url)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "Error:" in result.output


def test_unreachable_postgres_is_a_clear_error(run_cli) -> None:
    result = run_cli("show", "1", "--db", "postgresql://postgres@127.0.0.1:1/none")
    _assert_clean_error(result, "cannot open database")


def test_debug_shows_the_traceback(run_cli, tmp_path: Path) -> None:
    from quotes.errors import DatabaseError

    with pytest.raises(DatabaseError):
        run_cli("--debug", "show", "1", "--db", str(tmp_path))
