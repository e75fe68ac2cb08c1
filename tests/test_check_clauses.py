"""pipeline/checks/clauses.py answers exactly what matching the text up to (or from) a term answers.

The claim and contradiction checks once scanned the sentence from its start for every term they
found, which took time growing with the square of a long sentence. The index that replaced the
scans must not change a single finding: here each answer is compared with the scan it replaced
(the reference functions below are that code), on sentences drawn from the words the checks
care about, at every place a term is found.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.checks import claim_terms as terms
from pipeline.checks import clauses
from pipeline.checks.claims import _claims
from pipeline.checks.contradictions import _patterns

from .test_fuzz import EXAMPLES

# --- the scans clauses.py replaced -------------------------------------------------------------------

_CLAUSE_BREAK = re.compile(terms.CLAUSE_BREAK, re.IGNORECASE)
_SENTENCE_MARK = re.compile(r"[.!?]")
_PUNCTUATION = re.compile(r"[,;:()\[\]—–]")
WORD = clauses.WORD


def clause_before(text, start):
    breaks = [match.end() for match in _CLAUSE_BREAK.finditer(text, 0, start)]
    begin = breaks[-1] if breaks else 0
    return begin, text[begin:start]


def clause_after(text, end):
    match = _CLAUSE_BREAK.search(text, end)
    return text[end : match.start() if match else len(text)]


def window(words):
    counted = [word for word in words if word.group().lower() not in terms.SKIPPED_IN_WINDOW]
    return counted[-terms.NEGATION_WINDOW :]


def negations_before(text, start):
    begin, _ = clause_before(text, start)
    return [
        word
        for word in window(list(WORD.finditer(text, begin, start)))
        if clauses.is_negation(word.group()) or text[word.start() : start].lower().startswith(terms.NEGATING_PHRASES)
    ]


def in_question(text, start, end):
    mark = _SENTENCE_MARK.search(text, end)
    if not mark or mark.group() != "?":
        return False
    if text[mark.end() : mark.end() + 1] in ("”", '"', "’"):
        return max(text.rfind(quote, 0, mark.start()) for quote in ("“", '"', "‘")) < start
    return True


# --- sentences made of what matters to them ----------------------------------------------------------

PIECES = [
    "safe", "no", "not", "never", "without", "free of", "the", "a", "risk", "of", "overdose", "addiction",
    "side effects", "harmless", "safer", "less", "and", "or", "but", "butter", "avoid", "to", "is", "possible",
    "can", "you", "it", "100%", "cure", "natural", "alternative", "don't", "can’t", "and-or", "well-known",
    ",", ";", ":", "(", ")", "—", " - ", "?", ".", "!", "“", "”", '"', "‘", "’", "'",
]
sentences = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map(
    lambda pieces: re.sub(r"\s+", " ", " ".join(pieces))
)


def term_places(text):
    """Where the checks ask: at every claim and every risk the sentence names."""
    for pattern in [pattern for *_, pattern in _claims(terms)] + [pattern for *_, pattern in _patterns(terms).risk_words]:
        for match in pattern.finditer(text):
            yield match.start(), match.end()


@settings(max_examples=max(EXAMPLES, 200), deadline=None)
@given(sentences)
def test_each_answer_is_the_answer_of_the_scan_it_replaced(text):
    clauses._landmarks.cache_clear()
    for start, end in term_places(text):
        begin, before = clause_before(text, start)
        assert clauses.clause_start(text, start) == begin
        assert text[end : clauses.clause_end(text, end)] == clause_after(text, end)
        assert [(w.start, w.text) for w in clauses.negations_before(text, start)] == [
            (w.start(), w.group()) for w in negations_before(text, start)
        ]
        assert clauses.in_question(text, start, end) == in_question(text, start, end)
        assert clauses.has_word_of(text, begin, start, terms.COMPARATIVES) == any(
            word.lower() in terms.COMPARATIVES for word in WORD.findall(before)
        )
        stops = [match.end() for match in _PUNCTUATION.finditer(text, 0, start)]
        stop = _PUNCTUATION.search(text, end)
        assert clauses.phrase_bounds(text, start, end) == (stops[-1] if stops else 0, stop.start() if stop else len(text))
        first = stops[-1] if stops else 0
        assert [(w.start, w.text) for w in clauses.window(text, first, start)] == [
            (w.start(), w.group()) for w in window(list(WORD.finditer(text, first, start)))
        ]


def test_a_sentence_of_thousands_of_terms_is_read_once():
    """The index is built once per sentence: asking at each of 5,000 terms reuses it."""
    text = "It is safe, " * 5_000 + "and not without risk."
    clauses._landmarks.cache_clear()
    for start, end in term_places(text):
        clauses.negations_before(text, start)
        clauses.in_question(text, start, end)
    assert clauses._landmarks.cache_info().misses == 1
