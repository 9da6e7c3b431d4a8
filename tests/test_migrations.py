"""Alembic owns the schema: it builds, upgrades, downgrades, and matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from quotes.store import migrate
from quotes.store.engine import current_revision, open_database
from quotes.store.models import Base

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
    "coverage_changes",
    "vector_coverage",
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
    from quotes.store.engine import close_all

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
    result = run_cli("db", "downgrade", "base", "--db", fresh_target, "--yes")
    assert result.exit_code == 0, result.output
    assert "base" in run_cli("db", "current", "--db", fresh_target).output


def test_unknown_revision_is_bad_input(db_url: str, run_cli) -> None:
    result = run_cli("db", "downgrade", "nonsense", "--db", db_url)
    assert result.exit_code == 2
    assert "nonsense" in result.output
    assert "Traceback" not in result.output


def test_fast_head_lookup_agrees_with_alembic() -> None:
    from quotes.store.engine import shipped_head_revision

    assert shipped_head_revision() == migrate.head_revision()


def test_an_older_revision_is_refused_then_upgraded_with_its_data(
    fresh_target: str, run_cli
) -> None:
    database = open_database(fresh_target, migrate=False)
    migrate.upgrade(database, "0001")
    with database.engine.begin() as connection:
        speaker_id = connection.execute(
            text(
                "INSERT INTO speakers (name, name_key, created_at) "
                "VALUES ('Mette Frederiksen', 'mette frederiksen', CURRENT_TIMESTAMP) RETURNING id"
            )
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO speaker_aliases (speaker_id, alias, alias_key) "
                "VALUES (:id, 'Mette Frederiksen', 'mette frederiksen')"
            ),
            {"id": speaker_id},
        )
        quote_id = connection.execute(
            text(
                "INSERT INTO quotes (speaker_id, text, text_hash, kind, created_at) "
                "VALUES (:id, 'We cannot negotiate on our sovereignty.', 'h', 'quote', "
                "CURRENT_TIMESTAMP) RETURNING id"
            ),
            {"id": speaker_id},
        ).scalar_one()
    refused = run_cli("add", "Something new.", "--speaker", "A B", "--db", fresh_target)
    assert refused.exit_code == 1
    assert "'0001'" in refused.output and "quotes db upgrade" in refused.output
    upgraded = run_cli("db", "upgrade", "--db", fresh_target)
    assert upgraded.exit_code == 0, upgraded.output
    found = run_cli("search", "sovereignty", "--mode", "text", "--json", "--db", fresh_target)
    assert found.exit_code == 0, found.output
    assert f'"id": {quote_id}' in found.output
    added = run_cli(
        "add",
        "Another statement on sovereignty.",
        "--speaker",
        "Mette Frederiksen",
        "--db",
        fresh_target,
    )
    assert added.exit_code == 0, added.output
    again = run_cli("search", "sovereignty", "--mode", "text", "--json", "--db", fresh_target)
    assert again.output.count('"speaker": "Mette Frederiksen"') == 2


def test_every_revision_steps_down_and_up(fresh_target: str) -> None:
    from alembic.script import ScriptDirectory

    database = open_database(fresh_target, migrate=False)
    script = ScriptDirectory.from_config(migrate.alembic_config())
    revisions = [r.revision for r in script.walk_revisions("base", "heads")]
    migrate.upgrade(database, "head")
    for revision in revisions[1:]:
        migrate.downgrade(database, revision)
        assert current_revision(database) == revision
    migrate.downgrade(database, "base")
    for revision in reversed(revisions):
        migrate.upgrade(database, revision)
        assert current_revision(database) == revision


def _coverage_triggers(database) -> set[str]:
    with database.engine.connect() as connection:
        if database.is_sqlite:
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        else:
            query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        return {name for (name,) in connection.execute(text(query)) if "coverage" in name}


def test_coverage_revision_downgrades_to_the_one_before_and_back(fresh_target: str) -> None:
    database = open_database(fresh_target, migrate=False)
    migrate.upgrade(database, "head")
    assert len(_coverage_triggers(database)) == 5
    migrate.downgrade(database, "0004_speed")
    assert current_revision(database) == "0004_speed"
    tables = set(inspect(database.engine).get_table_names())
    assert "vector_changes" in tables
    assert not tables & {"coverage_changes", "vector_coverage"}
    assert _coverage_triggers(database) == set()
    migrate.upgrade(database, "head")
    assert len(_coverage_triggers(database)) == 5
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT counter FROM coverage_changes")).all() == [(0,)]
