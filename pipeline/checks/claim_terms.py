"""The words the claim and contradiction checks look for: edit these lists, not the code.

Every wording is a regular expression matched case-insensitively, as whole words: 'safe' does not
match 'unsafe', 'safety', 'safer' or 'fail-safe'. Keep them short and literal so a reviewer can see
at a glance why a sentence was flagged; `tests/test_check_claims.py` shows what each must catch.
"""

from __future__ import annotations

# --- Negation (claims and contradictions) --------------------------------------------------------

NEGATIONS = frozenset(
    "not no never nor neither none nothing cannot without impossible".split()
)
"""A claim term with one of these among the few words before it is denied, not claimed ("this is
not safe", "there is no cure", "not proven"). Any word ending in n't or n’t counts too."""

NEGATION_SUFFIXES = ("n't", "n’t")

NEGATION_WINDOW = 4
"""How many words before a term a negation may be, not counting the little words below: "does not
carry a risk of overdose" (not, carry, risk, of), "has not been shown to be safe" (not, shown).
Further away, a negation usually belongs to another verb."""

SKIPPED_IN_WINDOW = frozenset("a an the any its their to be been being".split())

NEGATING_PHRASES = ("free of", "free from")
"""Count as one negation word, like 'without': "free of side effects"."""

CLAUSE_BREAK = (
    r"[,;:()\[\]—–]|\s-\s|\b(?:and|or|but|because|if|unless|although|whereas|while)\b"
    r"|\b(?:avoid|prevent|reduce|lower|limit|minimi[sz]e|mitigate)(?:s|d|ing)?\b"
)
"""A negation never reaches across these: in "kratom is not addictive and is safe" the 'not'
belongs to 'addictive', so 'safe' is still a claim; in "do not stop suddenly to avoid withdrawal"
the 'not' belongs to 'stop', and avoiding withdrawal says it can happen."""

# --- claim-absolute ------------------------------------------------------------------------------

_HEALTH_BENEFITS = (
    r"alternatives?|approach(?:es)?|path|way|remed(?:y|ies)|relief|relievers?|cures?|treatments?"
    r"|therap(?:y|ies)|medicines?|solutions?|options?|choices?|painkillers?|healing"
)

ABSOLUTE_CLAIMS: dict[str, tuple[str, tuple[str, ...]]] = {
    # claim: (what it asserts, for the message; the wordings that make it, longest first)
    "safe": (
        "says it is safe",
        # Not "keep it in a safe place" or "safe storage": those are instructions, not claims.
        (r"safe and effective", r"safe(?! (?:place|storage))"),
    ),
    "safer than": ("says it is safer than something else", (r"safer than",)),
    "no risk": (
        "says there is no risk",
        (r"no risks?", r"zero risk", r"risk-free", r"without (?:the |any )?risks?"),
    ),
    "harmless": ("says it cannot harm", (r"harmless",)),
    "no side effects": (
        "says it has no side effects",
        (r"no side[- ]effects?", r"without (?:the |any )?side[- ]effects?", r"free (?:of|from) side[- ]effects?"),
    ),
    "cure": ("promises a cure", (r"cures?",)),
    "miracle": ("promises a miracle", (r"miracles?", r"miraculous")),
    "game-changer": ("promotes it as a breakthrough", (r"game[- ]chang(?:er|ers|ing)",)),
    "guaranteed": ("promises a result", (r"guarantee[ds]?",)),
    "proven": ("says it is proven", (r"proven",)),
    "100%": ("claims certainty", (r"100 ?%", r"100 per ?cent", r"one hundred per ?cent")),
    # 'natural' is flagged only as an argument: right before a word for a remedy or a benefit, or
    # one word before it: "natural alternative", "natural pain relief", "the natural path".
    # "Natural history", "natural light" or "natural causes" are no argument and are left alone;
    # 'all-natural' is promotional whatever follows.
    "natural": (
        "uses 'natural' as a reason to trust it",
        (r"all[- ]natural", rf"natural (?:[\w-]+ )?(?:{_HEALTH_BENEFITS})"),
    ),
}

# --- number-unreferenced -------------------------------------------------------------------------

_NUMBER_WORD = r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|fifty|a hundred|a thousand"
_POPULATION = (
    r"people|persons|patients|users|adults|children|teenagers|women|men|studies|trials|participants"
    r"|cases|deaths|individuals|respondents|doctors|consumers"
)
_COMPARED = (
    r"more|less|fewer|higher|lower|greater|likelier|as (?:likely|common|often|many|high|low|great)"
    r"|the (?:risk|chance|odds|rate|number)"
)

STATISTICS: dict[str, str] = {
    # kind: wording. Doses ("2 tablets", "5 mg"), times ("3 times a day", "in 2 hours"), list numbers
    # and dates match none of these: they are instructions or facts of the handout, not statistics.
    "percentage": r"\d+(?:[.,]\d+)? ?(?:%|per ?cent)(?: of (?:the )?(?:[\w-]+ )?(?:" + _POPULATION + r"))?",
    "proportion": r"(?:\d+|one|" + _NUMBER_WORD + r") (?:in|out of) (?:[\d,]+|" + _NUMBER_WORD
    + r"|a million)(?! (?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b)",
    "comparison": r"(?:(?:\d+(?:\.\d+)?|" + _NUMBER_WORD + r") ?(?:times|-fold|fold)|twice|double|triple|half)"
    r" (?:" + _COMPARED + r")",
    "count": r"(?:\d[\d,.]*|" + _NUMBER_WORD + r"|(?:dozens|hundreds|thousands|millions) of)"
    r" (?:[\w-]+ )?(?:" + _POPULATION + r")",
}

# --- contradiction -------------------------------------------------------------------------------

RISKS: dict[str, tuple[str, ...]] = {
    # risk: the words that name it. Written case-insensitively, except OD: 'od' is not a word.
    "overdose": (r"overdos(?:e|es|ed|ing)", r"(?-i:OD)"),
    "addiction": (r"addict(?:ion|ive|ed|ing)",),
    "dependence": (r"dependen(?:ce|cy)",),  # not 'dependent': "dependent on the dose" is no risk
    "respiratory depression": (r"respiratory depression",),
    "side effects": (r"side[- ]effects?", r"adverse effects?"),
    "withdrawal": (r"withdrawals?",),
    "tolerance": (r"tolerance",),
    "death": (r"deaths?", r"die", r"dying", r"fatal", r"deadly", r"lethal"),
    # 'risk' on its own is a harm; in "risk of overdose" the overdose is the risk meant.
    "harm": (r"harm(?:s|ful)?", r"dangers?", r"dangerous", r"hazards?", r"hazardous", r"risks?(?! of\b)"),
}

DENYING_WORDS: dict[str, tuple[str, ...]] = {
    # risk: words that deny it by themselves, whatever comes before them.
    "addiction": (r"non-?addictive",),
    "side effects": (r"side[- ]effect-free",),
    "overdose": (r"overdose-free",),
    "harm": (r"harmless", r"risk-free"),
}

DENIED_AFTER = (
    r"(?:is|are|was|were)(?: not| never|n['’]t) (?:possible|a risk|a concern|a problem|an issue)"
    r"|(?:is|are) impossible"
    r"|(?:cannot|can['’]t|can not|will not|won['’]t|does not|doesn['’]t|do not|don['’]t|never)"
    r" (?:happen|occur)s?"
)
"""Said after a risk (at most three words later), these deny that it exists: "overdosing on kratom
is not possible". Other negations after a risk are left alone: "side effects are not common" still
says there are side effects."""

COMPARATIVES = frozenset("safer safest less lower fewer reduced smaller".split())
"""A risk in the same clause as one of these is compared, not affirmed or denied: "safer than
opioids in terms of overdose risk" says the risk is smaller, not that there is none (the
'safer than' is reported by claim-absolute instead)."""

QUESTION_OPENING = r"^(?:can|could|is|are|does|do|will|should)\s+(?:you|i|it|we|they)\b"
"""A clause that opens like a question asks, it does not affirm: "(can you OD on kratom)"."""

LIST_GLUE = r"and|or|nor|and/or"
"""Words that join risks in a list, which then share what the sentence says of the first: "no
risk of overdose or addiction"."""
