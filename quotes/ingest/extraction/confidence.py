"""How far to trust an extracted quotation's speaker, from the evidence behind it.

Every candidate records two pieces of evidence: the *rule* that tied the
quotation to a cue (a cue right after it, a label, the previous speaker
carried over, ...) and how the speaker's *name* was found (written in full,
a surname matched to the full name earlier, a pronoun resolved by salience,
an office). The confidence is the product of a prior for each, times the
pronoun resolver's own margin when there was a choice to make.

The priors are the share of right speakers each rule and each kind of name
gave on the development half of the attribution evaluation set
(``benchmarks/attribution.py --split dev``), rounded down and capped below 1:
they rank candidates (``quotes extract --save`` keeps those at or above
``--min-confidence``); they are not calibrated probabilities on other text.
"""

from __future__ import annotations

#: rule -> prior that a quotation tied to its speaker this way is rightly attributed
RULE_PRIORS: dict[str, float] = {
    "cue-after": 0.97,  # '"...," Rutte said' / '"...," said Rutte'
    "cue-before": 0.95,  # 'Rutte said: "..."', 'Rutte said, "..."'
    "continuation": 0.95,  # '"The problem," he said, "is money."'
    "bare-cue": 0.9,  # '"..." Rutte said.' as a sentence of its own
    "label": 0.9,  # 'Jane Roe, author: "..."'
    "dash": 0.9,  # '"..." - Ana Ruiz'
    "partial": 0.9,  # 'Hale accused his rival of being a "timid manager"'
    "lead-in": 0.85,  # 'Frederiksen was blunt: "..."'
    "transcript": 0.85,  # 'LANE: I would bring back the night routes.'
    "follow-on": 0.85,  # a quotation with no cue after the same speaker's
    "next-paragraph": 0.8,  # 'Archer continued:' and the quotation in the next paragraph
    "headline": 0.8,  # "Archer: Tariff Plan 'Smells of Panic'"
    "sentence-subject": 0.7,  # 'Dillon shrugged. "Ask the chairman."'
}

#: how the name was found -> prior that it is the right person
NAME_PRIORS: dict[str, float] = {
    "named": 1.0,  # the full name is in the cue
    "known-speaker": 1.0,  # the database knows the name or alias
    "surname": 0.98,  # a surname matched to a full name in the article
    "single-name": 0.9,  # one word that matches nobody else ("Holm said")
    "pronoun": 0.9,  # times the resolver's margin
    "office": 0.85,  # 'the prime minister said' -> whoever was introduced so
    "carried": 1.0,  # the speaker of the quotation before (its own evidence counts)
}


def confidence_of(rule: str, name_from: str | None, certainty: float = 1.0) -> float:
    """The candidate's confidence, 0 when it has no speaker."""
    if name_from is None:
        return 0.0
    value = RULE_PRIORS.get(rule, 0.5) * NAME_PRIORS.get(name_from, 0.5) * certainty
    return round(min(max(value, 0.0), 0.99), 2)
