"""Who said it: one test per failure pattern of issue 15, on sentences written for the tests.

The evaluation articles in tests/fixtures/attribution are scored by
benchmarks/attribution.py; these are separate, smaller cases, so a rule
that only fits the benchmark's wording fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotes.ingest.extraction import extract_quotations
from quotes.ingest.extraction.genders import gender_of

FIXTURES = Path(__file__).parent / "fixtures" / "attribution"


def found(
    text: str, known: list[str] | dict[str, str] | None = None
) -> list[tuple[str | None, str]]:
    return [(c.speaker, c.text) for c in extract_quotations(text, known or [])]


def speakers(text: str) -> list[str | None]:
    return [c.speaker for c in extract_quotations(text)]


# 1. pronouns: gender and salience -------------------------------------------------


def test_a_pronoun_takes_the_person_of_its_gender_not_the_last_named() -> None:
    text = (
        "Mayor Karen Holt toured the flooded district on Monday.\n"
        "Fire chief Daniel Moss briefed her on the pumps.\n"
        '"We will not leave anyone behind," she said.'
    )
    assert speakers(text) == ["Karen Holt"]


def test_a_pronoun_takes_who_the_paragraph_is_about_when_gender_cannot_decide() -> None:
    text = (
        "Coach Martin Kerr criticised the referee after Sunday's defeat. "
        "He said the decision to send off Peter Lang, his captain, had cost the game.\n"
        '"I have never seen a worse call," he said.'
    )
    assert speakers(text) == ["Martin Kerr"]


def test_honorifics_and_earlier_pronouns_tell_gender() -> None:
    text = (
        "Mrs. Alex Reed and Mr. Sam Okoro run the tenants' association.\n"
        '"The landlord has ignored us for a year," she said.\n'
        '"Two years," he said.'
    )
    assert speakers(text) == ["Alex Reed", "Sam Okoro"]


def test_first_name_genders_come_from_the_lexicon() -> None:
    assert gender_of("Helga") == "f"
    assert gender_of("Gregory") == "m"
    assert gender_of("Tom") == "m"  # sorted near 'Þórarinn', which the lexicon files under T
    assert gender_of("TOM") == "m"
    assert gender_of("Ådne") == "m"
    assert gender_of("Zzyzx") is None
    assert gender_of("") is None


# 2. partial quotations in reported speech -----------------------------------------


def test_partial_quotations_go_to_the_subject_of_the_reporting_verb() -> None:
    text = (
        'Senator Ida Brenner accused the agency of "sleeping at the wheel" and '
        'praised its staff as "far better than their bosses."'
    )
    got = extract_quotations(text)
    assert [(c.speaker, c.text, c.partial) for c in got] == [
        ("Ida Brenner", "sleeping at the wheel", True),
        ("Ida Brenner", "far better than their bosses.", True),
    ]
    assert all(c.cue for c in got)


def test_scare_quotes_and_quoted_terms_stay_out() -> None:
    text = (
        'The so-called "fair deal" was debated. Critics dubbed it "the Lisbon Plan". '
        'The "deal" passed, and Minister Ana Pires said it was "a fair compromise for all."'
    )
    assert found(text) == [("Ana Pires", "a fair compromise for all.")]


# 3. follow-on quotations and paragraphs -------------------------------------------


def test_a_quotation_after_reported_speech_is_the_same_speakers() -> None:
    text = (
        "Rents in the city rose by a fifth last year, says Omar Reyes, a tenants' organiser. "
        '"People are moving out of the city they grew up in."'
    )
    assert found(text) == [("Omar Reyes", "People are moving out of the city they grew up in.")]


def test_a_lead_in_ending_a_paragraph_gives_the_next_paragraph_its_speaker() -> None:
    text = (
        "Councillor Beth Mayer spoke last. Mayer continued:\n\n"
        '"Nobody on this council has read the full report."\n\n'
        "The vote was postponed."
    )
    [candidate] = extract_quotations(text)
    assert candidate.speaker == "Beth Mayer"
    assert candidate.rule == "next-paragraph"


def test_narrative_in_between_breaks_the_carry() -> None:
    text = (
        "Omar Reyes, a tenants' organiser, said rents were rising.\n"
        "The council meets on Tuesday.\n"
        '"We want a cap."'
    )
    assert speakers(text) == [None]


# 4. a lower-case role before the name ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '"We followed the law," county clerk Rosa Linde said.',
        '"We followed the law," said county clerk Rosa Linde.',
        '"We followed the law," said the county\'s chief clerk, Rosa Linde.',
    ],
)
def test_a_role_before_the_name(text: str) -> None:
    assert speakers(text) == ["Rosa Linde"]


# 5. long and double appositives ---------------------------------------------------


def test_a_long_double_appositive_keeps_the_head_name() -> None:
    text = (
        '"The levy is unlawful," Nora Quist, the attorney general of Vestland, '
        "a state that has sued twice before, said."
    )
    [candidate] = extract_quotations(text)
    assert candidate.speaker == "Nora Quist"
    assert candidate.cue is not None and candidate.cue.startswith("Nora Quist")


# 6. the wrong capitalised word ----------------------------------------------------


def test_a_possessor_is_not_the_speaker() -> None:
    text = "\u201cWe have no comment,\u201d said Mayor Holt\u2019s chief of staff, Ivo Marek."
    assert speakers(text) == ["Ivo Marek"]
    text = '"We have no comment," said Holt\'s spokesman.'
    assert speakers(text) == [None]  # the spokesman is unnamed, not Holt


@pytest.mark.parametrize(
    "text",
    [
        '"Markets will calm down," Friday said.',
        '"Rates stay where they are," the Federal Reserve said.',
        '"The border is closed," the Interior Ministry said.',
    ],
)
def test_a_day_or_a_body_is_never_a_speaker(text: str) -> None:
    assert speakers(text) == [None]


def test_a_first_name_that_is_also_a_word_is_still_a_person() -> None:
    assert speakers('"Nobody told us," union steward Bill Haas said.') == ["Bill Haas"]


# 7. pronouns never resolve to a body or place -------------------------------------


def test_pronouns_skip_organisations_and_places() -> None:
    text = (
        "Deputy minister Jonas Berg met the Organization of Ports and the Ministry of "
        "Transport in North Vestland on Tuesday.\n"
        '"The harbour will stay open," he said.'
    )
    assert speakers(text) == ["Jonas Berg"]


# 8. labels, transcripts and dashes ------------------------------------------------


def test_label_lead_ins_and_dash_signatures() -> None:
    text = (
        'Lena Ek, sculptor: "Stone forgives nothing."\n'
        '"Paint forgives everything." \u2014 Tomas Vik, painter\n'
    )
    assert found(text) == [
        ("Lena Ek", "Stone forgives nothing."),
        ("Tomas Vik", "Paint forgives everything."),
    ]


def test_transcript_lines_take_their_labels() -> None:
    text = (
        "HOST: Welcome back to the programme.\n"
        "Q: Who is your guest?\n"
        "HOST: The harbour master, Ines Duarte.\n"
        "DUARTE: Thank you for having me.\n"
    )
    assert found(text) == [
        ("Host", "Welcome back to the programme."),
        ("Host", "The harbour master, Ines Duarte."),
        ("Ines Duarte", "Thank you for having me."),
    ]


def test_one_labelled_line_is_not_a_transcript() -> None:
    text = "Update: the bridge has reopened.\nTraffic is moving again.\n"
    assert found(text) == []


# 9. headlines with single marks ---------------------------------------------------


def test_headline_single_marks_with_a_named_speaker() -> None:
    text = (
        "Vance: Rail Strike 'Will Cost Us the Winter'\n"
        "Transport minister Carl Vance warned on Monday that the strike would hurt exporters."
    )
    [candidate] = extract_quotations(text)
    assert (candidate.speaker, candidate.text, candidate.rule) == (
        "Carl Vance",
        "Will Cost Us the Winter",
        "headline",
    )


def test_headline_single_marks_without_a_speaker_are_titles() -> None:
    text = "Review: 'A Long Way Home' Is Slow but Honest\nThe film opens on Friday."
    assert found(text) == []
    assert found("Farmers' Union Meets Don't-Panic Minister\nThe meeting was short.") == []


# 10. names cleaned; quoted titles are not quotations ------------------------------


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"We will win," Republican Dan Foy said.', "Dan Foy"),
        ('"We will win," said Sen. Ella Shaw, D-Mont.', "Ella Shaw"),
        ('Representative Tia Moss, Democrat of Oregon: "We will win."', "Tia Moss"),
        ('"We will win," Democrat of Oregon Tia Moss said.', "Tia Moss"),
    ],
)
def test_titles_and_party_labels_are_stripped(text: str, speaker: str) -> None:
    assert speakers(text) == [speaker]


def test_the_fullest_form_in_the_article_and_known_aliases() -> None:
    text = 'Prime Minister Eva Lind spoke first. "Taxes stay," Lind said.'
    assert speakers(text) == ["Eva Lind"]
    # An alias from the database resolves to its speaker.
    got = found('"Taxes stay," the Chancellor Lindqvist said.', {"Lindqvist": "Eva Lindqvist"})
    assert got == [("Eva Lindqvist", "Taxes stay.")]


def test_quoted_titles_are_not_quotations() -> None:
    text = 'Her novel "The Quiet Harbour" won the prize. She also wrote "Salt".'
    assert found(text) == []


# confidence and evidence ------------------------------------------------------------


def test_confidence_follows_the_evidence() -> None:
    text = (
        "Mayor Karen Holt and Fire chief Daniel Moss toured the district.\n"
        '"We will rebuild," Karen Holt said.\n'
        '"Every house," she said.\n'
        '"Nobody knows yet."'
    )
    named, pronoun, carried = extract_quotations(text)
    assert named.rule == "cue-after" and named.name_from == "named"
    assert pronoun.name_from == "pronoun"
    assert carried.rule == "follow-on"
    assert 0 < carried.confidence < pronoun.confidence < named.confidence <= 0.99
    assert named.to_dict()["evidence"] == {"rule": "cue-after", "name_from": "named"}


def test_without_a_speaker_the_confidence_is_zero() -> None:
    [candidate] = extract_quotations('"Nobody claims this."')
    assert (candidate.speaker, candidate.confidence, candidate.rule) == (None, 0.0, "none")


# the evaluation set itself ----------------------------------------------------------


def test_the_evaluation_set_is_well_formed() -> None:
    specs = sorted(FIXTURES.glob("*.expected.json"))
    assert len(specs) >= 41
    heldout = 0
    patterns: set[str] = set()
    for path in specs:
        spec = json.loads(path.read_text("utf-8"))
        assert spec["split"] in ("dev", "heldout", "final")
        heldout += spec["split"] != "dev"
        patterns.update(spec["patterns"])
        if "article" not in spec:
            text = " ".join(
                path.with_name(path.name.replace(".expected.json", ".txt"))
                .read_text("utf-8")
                .split()
            )
            for quotation in spec["quotations"]:
                opening = " ".join(quotation["text"].split()[:2]).rstrip(".,")
                assert opening.lower() in text.lower(), (path.name, opening)
    assert heldout * 10 >= len(specs) * 3  # about a third held out
    assert len(patterns) >= 10


def test_a_partial_quotation_right_after_speech_is_the_speakers() -> None:
    text = (
        "Finance minister Ola Dahl said the budget would balance by 2028. "
        'The cuts, in his telling, were "painful but unavoidable now." '
        'Critics call them "austerity".'
    )
    assert found(text) == [("Ola Dahl", "painful but unavoidable now.")]


def test_a_title_case_quotation_with_no_cue_is_a_title() -> None:
    text = (
        '"We will tour in spring," said the singer Mia Lund.\n'
        '"Salt and Iron" is the name of the new album.'
    )
    assert found(text) == [("Mia Lund", "We will tour in spring.")]


@pytest.mark.parametrize(
    "text",
    [
        'Hale on Friday called the plan "a complete and utter mess."',
        'Hale, on Friday, called the plan "a complete and utter mess."',
        'Hale, last week, called the plan "a complete and utter mess."',
    ],
)
def test_a_time_between_subject_and_verb_is_not_the_subject(text: str) -> None:
    assert speakers(text) == ["Hale"]


def test_a_time_inside_an_aside_stays_in_the_aside() -> None:
    text = 'Petty, who signed the law in March, said lawmakers would "look at every option."'
    assert speakers(text) == ["Petty"]


def test_a_quotation_after_a_sentence_about_one_person_is_theirs() -> None:
    text = (
        'Rovers manager Sean Dillon said the penalty was "never a penalty at all." '
        "City's captain, Aaron Pike, disagreed.\n"
        "Dillon, asked about his own future, shrugged. \u201cAsk the chairman.\u201d"
    )
    got = extract_quotations(text)
    assert [(c.speaker, c.rule) for c in got] == [
        ("Sean Dillon", "partial"),
        ("Sean Dillon", "sentence-subject"),
    ]
    # Two people in the sentence before: no guess.
    assert speakers('Dillon met Pike after the game. "Ask the chairman."') == [None]


def test_a_new_paragraph_moves_the_focus() -> None:
    text = (
        "Coach Sean Dillon praised the defence and the fans on Saturday.\n"
        "Striker Leo Mann, 19, scored twice.\n"
        '"I just closed my eyes and jumped," he said.'
    )
    assert speakers(text) == ["Leo Mann"]


def test_an_owner_named_in_passing_does_not_outweigh_the_subject() -> None:
    text = (
        '"I am not going anywhere," Senator Rosa Ortiz told supporters on Saturday.\n'
        'Ortiz\'s campaign manager, Beth Cole, said the team would "fight every ballot."\n'
        '"Every ballot," she repeated.'
    )
    assert speakers(text) == ["Rosa Ortiz", "Beth Cole", "Beth Cole"]


def test_a_persons_statement_speaks_for_them_and_quoted_as_saying_is_a_cue() -> None:
    text = (
        "Senator Jim Hale spoke on Monday. "
        'Hale\'s statement called for "an immediate halt to the strikes."\n'
        '"We are done," Hale was quoted as saying.'
    )
    assert speakers(text) == ["Jim Hale", "Jim Hale"]


def test_a_relative_clause_speaks_for_the_person_it_hangs_on() -> None:
    text = (
        "Among those voting no was Sen. Rand Mitchell, R-Ky., who said the bill "
        '"kicks the can down the road once again."'
    )
    assert speakers(text) == ["Rand Mitchell"]
    assert speakers('Hale met Ortiz, who called the plan "a bad joke on voters."') == ["Ortiz"]


def test_a_participle_clause_speaks_for_the_sentences_subject() -> None:
    text = (
        "Trump Calls Tariff Ruling 'A Disgrace'\n"
        "President Donald Trump on Friday lashed out at the appeals court, calling the "
        'decision "a total disaster for the country."'
    )
    got = [(c.speaker, c.text, c.rule) for c in extract_quotations(text)]
    assert got == [
        ("Donald Trump", "A Disgrace", "headline"),
        ("Donald Trump", "a total disaster for the country.", "partial"),
    ]


def test_slogans_and_phrases_are_terms_not_quotations() -> None:
    text = (
        'Protesters chanted the slogan "no justice, no peace" outside City Hall. '
        'Mayor Ed Burns said the phrase "defund the police" had been "badly misunderstood by '
        'everyone."'
    )
    assert found(text) == [("Ed Burns", "badly misunderstood by everyone.")]


def test_a_capitalised_role_is_stripped_by_the_first_name_lexicon() -> None:
    text = (
        "Grocer Tom Alvarez pulled the lettuce on Tuesday. "
        '"My customers trust me," Alvarez said.\n'
        '"Nobody told us the bridge was closing." - Commuter Sara Lind'
    )
    assert speakers(text) == ["Tom Alvarez", "Sara Lind"]


def test_a_transcript_typed_one_turn_a_line_inside_a_paragraph() -> None:
    text = (
        "This interview has been edited for length.\n\n"
        "REPORTER: Why did you leave the party?\n"
        "HALVORSEN: Because it left me.\n"
    )
    assert found(text) == [
        ("Reporter", "Why did you leave the party?"),
        ("Halvorsen", "Because it left me."),
    ]


def test_a_lone_first_name_inside_a_sentence_is_a_person() -> None:
    text = (
        "Marguerite Okafor has run the shop for forty years. "
        "Her son, Daniel, now runs the accounts.\n"
        '"Mum thinks the internet is a fad," he said.'
    )
    assert speakers(text) == ["Daniel"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('Ruiz, a Democrat, shot back: "Tomorrow is what we pay for."', "Ruiz"),
        ('"It has not worked," said Bernstein analyst Mark Ellis.', "Mark Ellis"),
        ('"Where do they go?" said mother of three Keisha Brown.', "Keisha Brown"),
        ('Analyst Tom Becker of Harbor Securities said it had "run out of road."', "Tom Becker"),
    ],
)
def test_more_ways_of_naming_the_speaker(text: str, speaker: str) -> None:
    assert speakers(text) == [speaker]


def test_an_attribution_not_understood_is_not_replaced_by_the_previous_speaker() -> None:
    text = (
        'Roth said in English that Germany was "ready to lead the way." '
        "\u00abC'est un bon d\u00e9but\u00bb, a d\u00e9clar\u00e9 le ministre, Paul Girard."
    )
    assert speakers(text) == ["Roth", None]


def test_a_relative_clause_in_an_appositive_and_the_united_states() -> None:
    text = (
        "Union leader Sam Ochoa, president of Local 117, which represents 2,000 workers, "
        'warned that closures would be "met with resistance."\n'
        'Spokesman Ned Carver said only that the United States "remains committed to Iraq."'
    )
    assert speakers(text) == ["Sam Ochoa", "Ned Carver"]
