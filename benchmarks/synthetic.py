"""Synthetic but varied statements for benchmarks (deterministic for a seed)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

FIRST = [
    "Mette",
    "Mark",
    "Donald",
    "Ursula",
    "Emmanuel",
    "Olaf",
    "Giorgia",
    "Pedro",
    "Ulf",
    "Jonas",
    "Justin",
    "Keir",
    "Petteri",
    "Kaja",
    "Antonio",
    "Jens",
    "Alexander",
    "Viktor",
    "Donald",
    "Rishi",
    "Friedrich",
    "Sanna",
    "Mute",
    "Jacinda",
    "Anthony",
    "Narendra",
]
LAST = [
    "Frederiksen",
    "Rutte",
    "Trump",
    "von der Leyen",
    "Macron",
    "Scholz",
    "Meloni",
    "Sanchez",
    "Kristersson",
    "Store",
    "Trudeau",
    "Starmer",
    "Orpo",
    "Kallas",
    "Costa",
    "Stoltenberg",
    "Stubb",
    "Orban",
    "Tusk",
    "Sunak",
    "Merz",
    "Marin",
    "Egede",
    "Albanese",
]
SUBJECTS = [
    "Greenland",
    "the Arctic",
    "our sovereignty",
    "European tariffs",
    "steel imports",
    "the alliance",
    "NATO",
    "our borders",
    "free trade",
    "defence spending",
    "Ukraine",
    "the single market",
    "deterrence",
    "rare earth minerals",
    "shipping routes",
    "our territorial integrity",
    "the trade deal",
    "import duties",
    "military presence",
    "the fishing industry",
    "energy security",
    "migration",
    "the climate agreement",
]
VERBS = [
    "will defend",
    "cannot negotiate on",
    "must protect",
    "will never sell",
    "support",
    "oppose",
    "are ready to discuss",
    "reject any pressure on",
    "welcome talks on",
    "will raise",
    "will lift",
    "call for more investment in",
    "want to reduce",
    "stand firmly behind",
    "will not compromise on",
    "are deeply concerned about",
]
TAILS = [
    "",
    " this year",
    " with our allies",
    " whatever the cost",
    " in the coming months",
    " as a matter of principle",
    " without delay",
    " together with Europe",
    " and we expect the same from our partners",
    " because our people demand it",
]
OPENERS = [
    "",
    "Let me be clear: ",
    "Frankly, ",
    "As I said before, ",
    "Today ",
    "In short, ",
    "We have always said that ",
    "No one should doubt that ",
]
OUTLETS = ["Reuters", "AP", "AFP", "BBC", "Politico", "DR", "Le Monde", "Der Spiegel"]
WORDS = sorted({w.strip(",.:").lower() for s in SUBJECTS + VERBS for w in s.split()} - {"the"})


@dataclass
class Statement:
    text: str
    speaker: str
    date: str
    outlet: str
    source_url: str


def speakers(count: int = 300, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < count:
        names.add(f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.randrange(1, 99)}")
    return sorted(names)


def statements(count: int, seed: int = 1) -> Iterator[Statement]:
    """``count`` distinct statements by a few hundred speakers over ten years."""
    rng = random.Random(seed)
    people = speakers()
    for i in range(count):
        body = (
            f"{rng.choice(OPENERS)}we {rng.choice(VERBS)} {rng.choice(SUBJECTS)}"
            f"{rng.choice(TAILS)}, and {rng.choice(SUBJECTS)} {rng.choice(VERBS).split()[0]} "
            f"matter {rng.choice(TAILS).strip() or 'now'} (statement {i})."
        )
        year = rng.randrange(2016, 2027)
        precision = rng.random()
        if precision < 0.7:
            date = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        elif precision < 0.9:
            date = f"{year}-{rng.randrange(1, 13):02d}"
        else:
            date = str(year)
        yield Statement(
            body[0].upper() + body[1:],
            rng.choice(people),
            date,
            rng.choice(OUTLETS),
            f"https://news.example/{i}",
        )


def queries(count: int, seed: int = 3) -> list[str]:
    """Search queries of one to three words, some as phrases."""
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        words = rng.sample(WORDS, rng.randrange(1, 4))
        query = " ".join(words)
        found.append(f'"{rng.choice(SUBJECTS)}"' if rng.random() < 0.2 else query)
    return found
