"""Claims a handout must back with a source, and risks it both affirms and denies.

Each rule has wordings it must report and near misses it must not: a check that cries wolf is
switched off, one that misses "without the risk of overdose" lets a handout mislead a patient.
"""

from __future__ import annotations

import socket

import pytest

from pipeline.checks.claims import CLAIM_ABSOLUTE, NUMBER_UNREFERENCED, check_claims, check_numbers
from pipeline.checks.contradictions import CONTRADICTION, check_contradictions, mentions
from pipeline.checks.findings import Location, Severity
from pipeline.model import Prose
from pipeline.config import SiteConfig
from pipeline.read.handout import read_handout

from .conftest import KRATOM, SOURCE_DIR


def read_prose(path):
    """What the checks read: the prose made when the source is read."""
    return read_handout(path, SiteConfig()).prose


def prose_of(write_source, body: str, front: str = "") -> Prose:
    """The prose of a handout whose body is `body`; its first line is line 5 of the file."""
    return read_prose(write_source(f"---\ntitle: A test handout\n{front}---\n\n{body}\n"))


def claimed(write_source, body: str) -> list[str]:
    return [finding.where.text for finding in check_claims(prose_of(write_source, body), ())]


def numbers(write_source, body: str) -> list[str]:
    return [finding.where.text for finding in check_numbers(prose_of(write_source, body), ())]


# --- claim-absolute ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, claim",
    [
        ("Kratom is safe for everyone.", "safe"),
        ("It is a safe and effective treatment.", "safe and effective"),
        ("It is safer than aspirin.", "safer than"),
        ("There is no risk.", "no risk"),
        ("You get relief without the risks of opioids.", "without the risks"),
        ("It is a risk-free option.", "risk-free"),
        ("The herb is harmless.", "harmless"),
        ("It cures back pain.", "cures"),
        ("It is a real game-changer for pain.", "game-changer"),
        ("It is a miracle for arthritis.", "miracle"),
        ("Results are guaranteed.", "guaranteed"),
        ("Its benefits are proven.", "proven"),
        ("It works 100% of the time.", "100%"),
        ("It has no side effects.", "no side effects"),
        ("You get relief without the side effects of opioids.", "without the side effects"),
        ("It is a natural alternative to opioids.", "natural alternative"),
        ("It offers natural pain relief.", "natural pain relief"),
        ("Discover the natural path to comfort.", "natural path"),
        ("It is an all-natural product.", "all-natural"),  # promotional whatever follows
        # The 'not' belongs to 'addictive': 'and' ends its reach.
        ("Kratom is not addictive and is safe.", "safe"),
        # The question is the quoted one, not the claim before it.
        ("Kratom is safe, but “can you OD on it?” is often asked.", "safe"),
        # Reported speech still puts the claim in front of the patient.
        ("It is often touted as a natural pain reliever.", "natural pain reliever"),
    ],
)
def test_an_absolute_claim_is_reported_at_its_words(write_source, sentence, claim):
    assert claimed(write_source, sentence) == [claim]


@pytest.mark.parametrize(
    "sentence",
    [
        "This is not safe.",
        "It may not be safe for you.",
        "It has not been shown to be safe.",
        "Kratom is unsafe for some people.",
        "It is not without risks.",
        "This has not been proven.",
        "There is no cure for this condition.",
        "No cure is known.",
        "Nothing is guaranteed.",
        "It is not 100% safe.",
        "Is kratom safe?",
        "Keep your tablets in a safe place.",
        "Safety comes first.",
        "Use it safely.",
        "It is a fail-safe design.",
        "Secure the cap after use.",
        "Natural light helps you sleep.",
        "The natural history of the illness is slow.",
    ],
)
def test_a_denied_asked_or_different_word_is_no_claim(write_source, sentence):
    assert claimed(write_source, sentence) == []


def test_a_claim_is_located_at_its_line_and_column(write_source):
    prose = prose_of(
        write_source,
        "Most people take it at night.\nSome say it is safe\nand that it cures pain.\n\n- It is harmless.\n",
        front="summary: >-\n  A short guide. Kratom offers\n  natural pain relief.\n",
    )
    assert [(f.where.line, f.where.column, f.where.text) for f in check_claims(prose, ())] == [
        (5, 3, "natural pain relief"),  # the folded summary, found where it was typed
        (9, 16, "safe"),
        (10, 13, "cures"),
        (12, 9, "harmless"),  # a list item that is a sentence
    ]


def test_a_claim_finding_names_the_claim_and_says_what_to_do(write_source):
    (finding,) = check_claims(prose_of(write_source, "Kratom is a natural alternative to opioids."), ())
    assert finding.rule == CLAIM_ABSOLUTE
    assert finding.severity is Severity.ERROR
    assert '"natural alternative"' in finding.message and "no source" in finding.message
    assert "no references at all" in finding.suggestion
    assert "[^1]" in finding.suggestion and "may help some people" in finding.suggestion


def test_references_in_the_front_matter_do_not_cite_a_sentence(write_source):
    (finding,) = check_claims(prose_of(write_source, "Kratom is safe."), ("A study, 2024.", "A review, 2025."))
    assert "lists 2 references" in finding.suggestion
    assert "no references at all" not in finding.suggestion


def test_a_footnote_cites_the_sentence_it_is_in(write_source):
    prose = prose_of(
        write_source,
        "Kratom is safe.[^1] It is also harmless. Some say it cures[^2]\nback pain.\n\n"
        "It is a miracle.[^nowhere]\n\n[^1]: A study, 2024.\n[^2]: A trial, 2025.\n",
    )
    # The note right after a sentence and a note inside it both cite it; the next sentence is not
    # cited, and an undefined [^nowhere] is printed as typed: it cites nothing.
    assert [f.where.text for f in check_claims(prose, ("A study, 2024.",))] == ["harmless", "miracle"]


# --- number-unreferenced -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, number",
    [
        ("About 70% of users feel better.", "70% of users"),
        ("It helps 2.5 percent of the patients.", "2.5 percent of the patients"),
        ("One in five people stop taking it.", "One in five"),
        ("It affects 1 in 5 adults.", "1 in 5"),
        ("Users are twice as likely to fall.", "twice as likely"),
        ("Falls are three times more common.", "three times more"),
        ("We asked 300 kratom users.", "300 kratom users"),
        ("Thousands of people use it.", "Thousands of people"),
        ("Four studies found a benefit.", "Four studies"),
    ],
)
def test_a_statistic_without_a_citation_is_reported(write_source, sentence, number):
    assert numbers(write_source, sentence) == [number]


@pytest.mark.parametrize(
    "sentence",
    [
        "Take 2 tablets 3 times a day.",  # a dose and how often: instructions, not statistics
        "Take one in the morning.",
        "Take one in 2 hours if the pain comes back.",
        "Do not take twice as much.",
        "Call 999 if you cannot breathe.",
        "The guidance changed on 5 March 2024.",
        "Take 5 mg at night.",
        "It is not 100% safe.",  # a hedge, and '100%' belongs to claim-absolute
        "1. Take it with water.",  # list numbering
        "About 70% of users feel better.[^1]\n\n[^1]: A survey, 2024.",
    ],
)
def test_a_dose_a_time_a_date_or_a_cited_number_is_no_statistic(write_source, sentence):
    assert numbers(write_source, sentence) == []


def test_a_statistic_finding_is_a_located_warning(write_source):
    (finding,) = check_numbers(prose_of(write_source, "It is popular.\nAbout 70% of users feel better."), ())
    assert finding.rule == NUMBER_UNREFERENCED
    assert finding.severity is Severity.WARNING
    assert (finding.where.line, finding.where.column, finding.where.text) == (6, 7, "70% of users")
    assert '"70% of users"' in finding.message and "no references at all" in finding.suggestion


# --- contradiction -------------------------------------------------------------------------------


def said(write_source, body: str) -> list[tuple[str, str]]:
    """What the body says about each risk it names: (risk, 'affirms' | 'denies' | 'neither')."""
    prose = prose_of(write_source, body)
    return [(m.risk, m.polarity.value) for sentence in prose.sentences for m in mentions(sentence)]


@pytest.mark.parametrize(
    "sentence, polarities",
    [
        # Denials
        ("It gives relief without the risk of overdose.", [("overdose", "denies")]),
        ("There is no risk of overdose.", [("overdose", "denies")]),
        ("You cannot overdose on it.", [("overdose", "denies")]),
        ("Kratom does not carry a risk of overdose.", [("overdose", "denies")]),
        ("Overdosing on kratom is not possible.", [("overdose", "denies")]),
        ("It is free of side effects.", [("side effects", "denies")]),
        ("You get relief without the side effects.", [("side effects", "denies")]),
        ("Kratom is non-addictive.", [("addiction", "denies")]),
        ("It is not addictive.", [("addiction", "denies")]),
        ("The herb is harmless.", [("harm", "denies")]),
        ("Stopping it causes no withdrawal.", [("withdrawal", "denies")]),
        ("It is never fatal.", [("death", "denies")]),
        (
            "There is no risk of addiction, dependence or overdose.",  # a list shares its negation
            [("addiction", "denies"), ("dependence", "denies"), ("overdose", "denies")],
        ),
        # Affirmations
        ("High doses can lead to overdose.", [("overdose", "affirms")]),
        ("Overdosing on kratom is possible.", [("overdose", "affirms")]),
        ("Know the risk of overdose.", [("overdose", "affirms")]),
        ("Know your overdose risk.", [("overdose", "affirms")]),  # the risk is the overdose, not another harm
        ("It carries potential hazards, including addiction.", [("harm", "affirms"), ("addiction", "affirms")]),
        ("It is not without risks.", [("harm", "affirms")]),  # two negations cancel out
        ("Side effects are not common.", [("side effects", "affirms")]),  # rare is not never
        ("Do not stop suddenly to avoid withdrawal.", [("withdrawal", "affirms")]),  # 'not' is the stopping's
        ("In rare cases it causes respiratory depression.", [("respiratory depression", "affirms")]),
        # Neither
        ("It is safer than opioids in terms of dependency and overdose risk.",
         [("dependence", "neither"), ("overdose", "neither")]),
        ("Can you overdose on kratom?", [("overdose", "neither")]),
        ("How likely is an overdose?", [("overdose", "neither")]),
        ("Is kratom harmless?", [("harm", "neither")]),
        ("People often ask (can you OD on kratom) first.", [("overdose", "neither")]),
        ("It is less likely to cause addiction.", [("addiction", "neither")]),
    ],
)
def test_what_a_sentence_says_about_a_risk(write_source, sentence, polarities):
    assert said(write_source, sentence) == polarities


def test_a_denied_risk_affirmed_elsewhere_is_a_contradiction(write_source):
    prose = prose_of(
        write_source,
        "Kratom eases pain\nwithout the risk of overdose.\n\n## Safety\n\nTake care. Overdosing on kratom is possible.",
    )
    (finding,) = check_contradictions(prose)
    assert finding.rule == CONTRADICTION
    assert finding.severity is Severity.ERROR
    assert finding.where == Location(6, 1, "without the risk of overdose")
    assert finding.related == (Location(10, 12, "Overdosing on kratom is possible."),)
    assert finding.message.startswith('Line 6 denies any risk of overdose ("without the risk of overdose")')
    assert 'line 10: "Overdosing on kratom is possible"' in finding.message
    assert '"without the risk of overdose"' in finding.suggestion


def test_each_denial_is_one_finding_with_every_affirmation(write_source):
    prose = prose_of(
        write_source,
        "There is no risk of overdose, and you cannot overdose.\n\nOverdose is possible. Overdose can kill.",
    )
    (finding,) = check_contradictions(prose)
    assert [place.text for place in finding.related] == ["Overdose is possible.", "Overdose can kill."]


def test_each_risk_a_list_denies_is_its_own_finding(write_source):
    prose = prose_of(
        write_source,
        "There is no risk of addiction or overdose. Addiction is possible. Some people overdose.",
    )
    assert [f.where.text for f in check_contradictions(prose)] == [
        "no risk of addiction",
        "no risk of addiction or overdose",
    ]


@pytest.mark.parametrize(
    "body",
    [
        "It is safer than opioids in terms of overdose risk. Overdose is possible.",
        "Kratom cannot cause overdose. Kratom does not cause addiction.",  # denials only
        "There is no risk of overdose. Addiction is possible.",  # different risks
        "Side effects are not common. Side effects include nausea.",
        "Do not stop suddenly to avoid withdrawal. Stopping can cause withdrawal.",
        "Can you overdose on kratom? Yes: overdose is possible.",
    ],
)
def test_no_contradiction_without_a_denial_and_an_affirmation_of_one_risk(write_source, body):
    assert check_contradictions(prose_of(write_source, body)) == []


# --- the real handout ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kratom() -> tuple[Prose, tuple[str, ...]]:
    path = SOURCE_DIR / f"{KRATOM}.md"
    return read_prose(path), read_handout(path, SiteConfig()).meta.references


def test_the_kratom_handout_makes_these_absolute_claims(kratom):
    prose, references = kratom
    assert [(f.where.line, f.where.column, f.where.text) for f in check_claims(prose, references)] == [
        (4, 51, "natural pain relief"),
        (5, 69, "safer than"),
        (24, 14, "natural path"),
        (24, 116, "safe and effective"),
        (34, 87, "natural alternative"),
        (34, 275, "without the side effects"),
        (36, 63, "safer than"),
        (40, 33, "natural pain reliever"),
        (46, 47, "natural alternative"),
        (46, 401, "game-changer"),
        (48, 221, "natural approach"),
        (48, 265, "without the risk"),
        (50, 25, "natural alternative"),
        (50, 100, "without the risks"),
        (50, 447, "safe and effective"),
    ]
    # "is not without risks" (line 40) and "not without potential dangers" (line 36) admit risks.
    assert not any(f.where.line == 40 and "without" in f.where.text for f in check_claims(prose, references))


def test_the_kratom_handout_states_no_statistic(kratom):
    assert check_numbers(*kratom) == []


def test_the_kratom_handout_contradicts_itself_on_overdose_side_effects_and_risks(kratom):
    prose, _ = kratom
    findings = check_contradictions(prose)
    assert [(f.where.line, f.where.column, f.where.text) for f in findings] == [
        (34, 275, "without the side effects"),
        (48, 265, "without the risk of overdose"),
        (50, 100, "without the risks"),
    ]
    overdose = findings[1]
    assert overdose.message.startswith('Line 48 denies any risk of overdose ("without the risk of overdose")')
    assert 'line 40: "overdosing on kratom is possible"' in overdose.message
    assert 'line 24: "including the risk of overdose if misused"' in overdose.message
    # The summary (from line 7), the introduction, and every section that names the risk.
    assert [place.line for place in overdose.related] == [7, 24, 36, 40, 48, 50]
    assert "overdosing on kratom is possible" in overdose.related[3].text


def test_the_checks_need_no_network(kratom, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a content check tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert check_claims(*kratom) and check_numbers(*kratom) == [] and check_contradictions(kratom[0])
