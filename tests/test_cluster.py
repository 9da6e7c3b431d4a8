"""``quotes cluster``: groups by stance, described, on both back ends."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.model

TOPIC = (
    "whaling",
    "--description",
    "Commercial whaling: hunting whales for meat and oil, quotas and the moratorium.",
    "--favor",
    "Commercial whaling should be allowed. Whale hunting is a legitimate tradition.",
    "--against",
    "Whaling must be banned. Killing whales is cruel and endangers the species.",
)
FOR = [
    ("We will resume commercial whale hunts next season.", "Kari Hunter"),
    ("Whale hunting is our tradition and a sustainable industry.", "Kari Hunter"),
    ("Commercial whaling should be allowed again.", "Ole Fisher"),
    ("Our whalers will keep hunting, it is our legitimate right.", "Ole Fisher"),
]
AGAINST = [
    ("Hunting whales is cruel and must end for good.", "Ada Green"),
    ("Whaling must be banned to protect the species.", "Ada Green"),
    ("Killing whales is cruel; the moratorium must stay.", "Ben Blue"),
    ("We demand a total ban on whaling.", "Ben Blue"),
]


@pytest.fixture
def whaling(cli):
    cli.ok("topics", "add", *TOPIC)
    for text, speaker in FOR + AGAINST:
        cli.ok("add", text, "--speaker", speaker, "--new-speaker")
    cli.ok("stance", "assign")
    return cli


def _groups(cli, *args: str) -> list[dict]:
    return json.loads(cli.ok("cluster", "--topic", "whaling", "--json", *args).stdout)


def test_groups_follow_stance_not_wording(whaling) -> None:
    groups = _groups(whaling, "--k", "2")
    assert len(groups) == 2
    by_stance = {g["stance"]: g for g in groups}
    assert set(by_stance) == {"favor", "against"}
    favor_texts = {text for text, _ in FOR}
    assert by_stance["favor"]["mean_score"] > 0 > by_stance["against"]["mean_score"]
    assert by_stance["favor"]["speakers"] == {"Kari Hunter": 2, "Ole Fisher": 2}
    assert by_stance["against"]["speakers"] == {"Ada Green": 2, "Ben Blue": 2}
    for group in groups:
        assert group["size"] == 4 and len(group["quotes"]) == 3
        inside = {q["text"] in favor_texts for q in group["quotes"]}
        assert inside == {group["stance"] == "favor"}
        assert group["terms"]


def test_k_is_chosen_and_every_quote_is_in_one_group(whaling) -> None:
    groups = _groups(whaling)
    assert 2 <= len(groups) <= 6
    ids = [i for g in groups for i in g["quote_ids"]]
    assert len(ids) == len(set(ids)) == len(FOR) + len(AGAINST)
    text = whaling.ok("cluster", "--topic", "whaling").stdout
    assert "Group 1:" in text and "terms:" in text


def test_speaker_filter_and_manual_labels(whaling) -> None:
    groups = _groups(whaling, "--speaker", "Ada Green")
    assert sum(g["size"] for g in groups) == 2
    assert {name for g in groups for name in g["speakers"]} == {"Ada Green"}
    quote_id = groups[0]["quotes"][0]["id"]
    whaling.ok("stance", "label", str(quote_id), "--topic", "whaling", "--stance", "favor")
    labelled = _groups(whaling, "--speaker", "Ada Green", "--k", "1")
    (only,) = labelled
    scores = {q["id"]: q["score"] for q in only["quotes"]}
    assert scores[quote_id] == 1.0  # the person's label wins


def test_bad_input_and_nothing_to_cluster(cli) -> None:
    cli.ok("init")
    empty = cli.ok("cluster", "--topic", "security")
    assert "No assessed quotes on security" in empty.stdout
    assert json.loads(cli.ok("cluster", "--topic", "security", "--json").stdout) == []
    assert cli("cluster", "--topic", "fishing").exit_code == 2
    cli.ok("topics", "add", *TOPIC)
    cli.ok("add", "Whaling must be banned.", "--speaker", "Ada Green", "--new-speaker")
    cli.ok("stance", "assign")
    too_many = cli("cluster", "--topic", "whaling", "--k", "5")
    assert too_many.exit_code == 2 and "5" in too_many.stderr
    assert cli("cluster", "--topic", "whaling", "--k", "0").exit_code == 2
    assert cli("cluster", "--topic", "whaling", "--speaker", "Nobody Known").exit_code != 0


def test_a_group_split_between_sides_is_mixed_not_a_side() -> None:
    from quotes.meaning.clusters import MIXED, dominant_stance

    assert dominant_stance(["favor", "against"]) == MIXED
    assert dominant_stance(["favor", "against", "neutral"]) == MIXED
    assert dominant_stance(["favor", "favor", "against"]) == "favor"
    assert dominant_stance(["against"]) == "against"
