"""Help that reads as people expect: placeholders that say what to type, and an example.

Typer labels every value with its Python type (``<str>``, ``<list[str]>``,
``<bool>``), which tells a reporter nothing. :func:`tidy` walks the command
tree once it is built and gives each option a placeholder named for what it
takes (``--speaker NAME``, ``--since DATE``, ``--limit N``), shows nothing
after a flag, and adds the command's example from :data:`EXAMPLES` to the
end of its help. A test checks that every command has an example and that no
type name is left.
"""

from __future__ import annotations

from typing import Any

#: option or argument name -> the placeholder shown in help and usage
METAVARS = {
    "against": "TEXT",
    "alias": "NAME",
    "batch_size": "N",
    "by": "PERIOD",
    "context": "TEXT",
    "country": "COUNTRY",
    "date": "DATE",
    "date_format": "PATTERN",
    "db": "TARGET",
    "description": "TEXT",
    "encoding": "NAME",
    "favor": "TEXT",
    "file": "FILE",
    "format": "FORMAT",
    "k": "N",
    "limit": "N",
    "mode": "MODE",
    "model": "MODEL",
    "name": "NAME",
    "organisation": "NAME",
    "outlet": "NAME",
    "output": "FILE",
    "output_dir": "FOLDER",
    "party": "PARTY",
    "query": "QUERY",
    "rejects": "FILE",
    "revision": "REVISION",
    "role": "TITLE",
    "role_from": "DATE",
    "role_to": "DATE",
    "score": "METHOD",
    "since": "DATE",
    "stance_model": "MODEL",
    "source": "URL",
    "speaker": "NAME",
    "speakers": "N",
    "stance": "LABEL",
    "text": "TEXT",
    "threshold": "CHANGE",
    "topic": "TOPIC",
    "until": "DATE",
    "wikidata": "QID",
    "min_confidence": "P",
    "min_match": "SIMILARITY",
    "host": "HOST",
    "port": "PORT",
    "token": "TOKEN",
    "ids": "ID...",
    "quote_id": "ID",
    "role_title": "TITLE",
    "start": "DATE",
    "end": "DATE",
}

#: command path -> one example a reader can copy
EXAMPLES = {
    "": 'quotes search sovereignty --speaker "Mette Frederiksen"',
    "init": "quotes init --seed",
    "add": 'quotes add "We cannot negotiate on our sovereignty." '
    '--speaker "Mette Frederiksen" --date 2026-01-22 --topic sovereignty',
    "show": "quotes show 5 --json",
    "search": "quotes search '\"senior commanders\" NATO' --speaker Rutte --since 2026-01",
    "export": "quotes export --speaker Rutte --format jsonl --output rutte.jsonl",
    "import": "quotes import tweets.csv --map text=Tweet,speaker=author --rejects bad.csv",
    "extract": "quotes extract article.txt --save --date 2026-01-22 --outlet Reuters",
    "embed": "quotes embed --batch-size 32",
    "cluster": "quotes cluster --topic sovereignty --k 3",
    "timeline": "quotes timeline --topic tariffs --by quarter --format png --output tariffs.png",
    "shifts": "quotes shifts --topic tariffs --speaker Trump --json",
    "demo": "quotes demo --db demo.db --output-dir charts",
    "stance": "quotes stance assign --topic sovereignty",
    "stance assign": "quotes stance assign --topic sovereignty",
    "stance label": "quotes stance label 5 --topic sovereignty --stance favor",
    "db": "quotes db current",
    "db upgrade": "quotes db upgrade",
    "db downgrade": "quotes db downgrade base",
    "db current": "quotes db current",
    "speakers": "quotes speakers list",
    "speakers list": "quotes speakers list --csv",
    "speakers add": 'quotes speakers add "Donald Trump" --alias Trump --role President',
    "speakers alias": 'quotes speakers alias "Mark Rutte" "NATO chief"',
    "speakers merge": 'quotes speakers merge "M. Frederiksen" "Mette Frederiksen"',
    "topics": "quotes topics list",
    "topics list": "quotes topics list --json",
    "topics add": 'quotes topics add arctic --description "Arctic policy" '
    '--favor "Supports a stronger Arctic presence" --against "Opposes it"',
    "topics link": "quotes topics link 5 security",
    "topics unlink": "quotes topics unlink 5 tariffs",
    "topics edit": 'quotes topics edit tariffs --favor "Supports raising tariffs on imports"',
    "speakers edit": 'quotes speakers edit "Mette Fredriksen" --name "Mette Frederiksen"',
    "speakers role": 'quotes speakers role "Mark Rutte" --role "Secretary General" '
    "--organisation NATO --from 2024-10-01",
    "stance unlabel": "quotes stance unlabel 5 --topic sovereignty",
    "speakers history": 'quotes speakers history "Mette Frederiksen"',
    "topics history": "quotes topics history tariffs",
    "stance review": "quotes stance review --topic tariffs --limit 10",
    "position": "quotes position --speaker Trump --topic tariffs --since 2025",
    "edit": 'quotes edit 5 --text "We cannot negotiate on our sovereignty." --date 2026-01-22',
    "delete": "quotes delete 5 6 --yes",
    "history": "quotes history 5 --json",
    "restore": "quotes restore 5",
    "backup": "quotes backup quotes-2026-01-30.db",
    "serve": "quotes serve --port 8000",
}


def tidy(command: Any, path: tuple[str, ...] = ()) -> None:
    """Placeholders and examples for ``command`` and every command below it."""
    for param in command.params:
        tidy_param(param)
    original = command.get_help_option

    def help_option(ctx: Any) -> Any:  # click builds --help on demand
        option = original(ctx)
        if option is not None:
            tidy_param(option)
        return option

    command.get_help_option = help_option
    example = EXAMPLES.get(" ".join(path))
    if example and not command.epilog:
        command.epilog = f"Example: {example}"
    for name, sub in getattr(command, "commands", {}).items():
        tidy(sub, (*path, name))


def tidy_param(param: Any) -> None:
    shown: str | None = None  # nothing after a flag; the name column shows an argument
    if param.param_type_name == "argument":
        if param.metavar is None:
            param.metavar = METAVARS.get(param.name, param.name.upper())
        usage = param.metavar if param.required else f"[{param.metavar}]"
        param._usage_display_name = lambda usage=usage: usage  # not Typer's {NAME}
    elif not _is_flag(param):
        if param.metavar is None:
            param.metavar = METAVARS.get(param.name, param.name.upper())
        shown = param.metavar
    # Typer asks each parameter for its type label; answer with the placeholder.
    param.display_type_rich = lambda ctx, shown=shown: shown


def _is_flag(param: Any) -> bool:
    """An option that takes no value (``--json``, ``--help``, ``--install-completion``)."""
    descriptor = getattr(param, "type_descriptor", None)
    return bool(getattr(param, "is_flag", False)) or getattr(descriptor, "annotation", None) is bool
