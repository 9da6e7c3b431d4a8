"""Alembic owns the schema: it builds, upgrades, downgrades, and matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from quotes import migrate
from quotes.db import current_revision, open_database
from quotes.models import Base

EXPECTED_TABLES = {
    "speakers",
    "speaker_aliases",
    "roles",
    "sources",
    "quotes",
    "quote_sources",
    "topics",
    "quote_topics",
    "embeddings",
    "stance_assessments",
    "alembic_version",
}


def test_new_database_is_created_at_head(fresh_target: str) -> None:
    database = open_database(fresh_target)
    assert current_revision(database) == migrate.head_revision()
    tables = set(inspect(database.engine).get_table_names())
    assert tables >= EXPECTED_TABLES


def test_upgrade_then_downgrade_to_base_and_back(fresh_target: str) -> None:
    database = open_database(fresh_target, migrate=False)
    migrate.upgrade(database, "head")
    assert current_revision(database) == migrate.head_revision()
    migrate.downgrade(database, "base")
    assert current_revision(database) is None
    leftover = set(inspect(database.engine).get_table_names()) - {"alembic_version"}
    assert leftover == set()
    migrate.upgrade(database, "head")
    assert set(inspect(database.engine).get_table_names()) >= EXPECTED_TABLES


def test_autogenerate_finds_no_difference_from_the_models(db_url: str) -> None:
    database = open_database(db_url)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_name": migrate.include_name,
                "compare_type": True,
                "target_metadata": Base.metadata,
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_full_text_index_exists_on_each_back_end(db_url: str) -> None:
    database = open_database(db_url)
    with database.engine.connect() as connection:
        if database.is_sqlite:
            names = {r[0] for r in connection.execute(text("SELECT name FROM sqlite_master"))}
            assert {
                "quotes_fts",
                "quotes_fts_after_insert",
                "quotes_fts_after_update",
                "quotes_fts_after_delete",
            } <= names
        else:
            columns = {c["name"] for c in inspect(connection).get_columns("quotes")}
            assert "search_vector" in columns
            indexes = {i["name"] for i in inspect(connection).get_indexes("quotes")}
            assert "ix_quotes_search_vector" in indexes


def test_commands_refuse_an_out_of_date_schema(db_url: str, run_cli) -> None:
    database = open_database(db_url)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0000_older'"))
    from quotes.db import close_all

    close_all()
    result = run_cli("show", "1", "--db", db_url)
    assert result.exit_code == 1
    assert "quotes db upgrade" in result.output
    assert "0000_older" in result.output


def test_db_commands_report_and_move_revisions(fresh_target: str, run_cli) -> None:
    head = migrate.head_revision()
    result = run_cli("db", "current", "--db", fresh_target)
    assert result.exit_code == 0, result.output
    assert "base" in result.output
    result = run_cli("db", "upgrade", "--db", fresh_target)
    assert result.exit_code == 0, result.output
    assert head in result.output
    result = run_cli("--db", fresh_target, "db", "current")
    assert f"{head} (head)" in result.output
    result = run_cli("db", "downgrade", "base", "--db", fresh_target)
    assert result.exit_code == 0, result.output
    assert "base" in run_cli("db", "current", "--db", fresh_target).output


def test_unknown_revision_is_bad_input(db_url: str, run_cli) -> None:
    result = run_cli("db", "downgrade", "nonsense", "--db", db_url)
    assert result.exit_code == 2
    assert "nonsense" in result.output
    assert "Traceback" not in result.output


def test_fast_head_lookup_agrees_with_alembic() -> None:
    from quotes.db import shipped_head_revision

    assert shipped_head_revision() == migrate.head_revision()
