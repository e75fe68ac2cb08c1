"""Which checks a handout's language can have, and reading ease for the languages that are not English.

The claim and contradiction checks work from word lists, which exist for English and Spanish
(claim_terms.py, claim_terms_es.py); the passive-voice and hard-word checks from an English
grammar pattern and an English word list; SMOG and Flesch–Kincaid were made for English and give
nonsense grades on other languages. A handout gets only the checks made for its language, and its
report says which did not run (`checks-not-run`): never an English grade. Instead it gets:

- Spanish: reading ease by the Szigriszt-Pazos formula on the INFLESZ scale (Barrio-Cantalejo et al.
  2008, made for Spanish health information), compared with `spanish_reading_ease` in site.yaml, and
  the Fernández Huerta score beside it for reference;
- every other language: sentence and word length only, for no formula validated for it is built in.

Long sentences are still counted in words where words are written apart (not Chinese, Japanese or
Thai), and long paragraphs in sentences, in every language.
"""

from __future__ import annotations

import re
import unicodedata
from types import ModuleType

from ..model import Prose, Sentence
from .findings import Finding, Location, Severity
from .readability import words

ENGLISH = "en"
WITH_WORD_LISTS = {"claim-absolute", "number-unreferenced", "contradiction"}
"""Checks that run wherever there are word lists for the language (`terms`): English and Spanish."""
ENGLISH_ONLY = {
    "claim-absolute": "its wordings are English and Spanish only",
    "number-unreferenced": "its wordings are English and Spanish only",
    "contradiction": "its words for risks and denials are English and Spanish only",
    "passive-voice": "its pattern is English grammar",
    "hard-word": "its list is of English words",
    "reading-grade": "SMOG and Flesch–Kincaid are formulas for English",
    "smog-unreliable": "SMOG is a formula for English",
}
"""Each check that runs on English handouts only, and why."""
WITHOUT_WORD_SPACES = frozenset({"zh", "ja", "th", "lo", "km", "my"})
"""Languages written without spaces between words: their sentences are not counted in words."""

SPANISH_READING_EASE = 55
"""The lowest INFLESZ score accepted for a Spanish handout (site.yaml `spanish_reading_ease`): 55 is
where 'normal' begins, the band INFLESZ's authors ask of health information for the public."""
INFLESZ_BANDS = ((80, "muy fácil"), (65, "bastante fácil"), (55, "normal"), (40, "algo difícil"), (0, "muy difícil"))
FERNANDEZ_HUERTA_BANDS = ((90, "muy fácil"), (80, "fácil"), (70, "algo fácil"), (60, "normal"), (50, "algo difícil"), (30, "difícil"), (0, "muy difícil"))


def base(lang: str) -> str:
    return lang.lower().replace("_", "-").split("-")[0]


def terms(lang: str) -> ModuleType | None:
    """The claim and contradiction word lists of `lang`: claim_terms (English), claim_terms_es; None for other languages."""
    from . import claim_terms, claim_terms_es

    return {"en": claim_terms, "es": claim_terms_es}.get(base(lang))


def runs(rule: str, lang: str) -> bool:
    """Whether check `rule` runs on a handout in `lang`."""
    if base(lang) == ENGLISH:
        return rule not in ("reading-ease", "sentence-length", "checks-not-run")
    if rule in WITH_WORD_LISTS:
        return terms(lang) is not None
    if rule in ENGLISH_ONLY:
        return False
    if rule == "long-sentence":
        return base(lang) not in WITHOUT_WORD_SPACES
    return True


def not_run(prose: Prose, lang: str) -> list[Finding]:
    """One INFO finding, for a handout not in English: the checks that did not run, and why."""
    if base(lang) == ENGLISH or not prose.sentences:
        return []
    skipped = [rule for rule in ENGLISH_ONLY if not runs(rule, lang)] + (["long-sentence"] if base(lang) in WITHOUT_WORD_SPACES else [])
    reasons = "; ".join(f"{rule} ({ENGLISH_ONLY.get(rule, 'its words are not written apart')})" for rule in skipped)
    return [
        Finding(
            "checks-not-run",
            Severity.INFO,
            _start(prose.sentences[0]),
            f"This handout is in '{lang}', not English: these checks did not run on it: {reasons}.",
            "Have a fluent reader check its claims, its words and how easy it is to read: the pipeline cannot.",
        )
    ]


def reading_ease(prose: Prose, lang: str, spanish_target: float = SPANISH_READING_EASE) -> list[Finding]:
    """Spanish: INFLESZ against the target (a WARNING below it); other languages: an INFO with
    sentence and word length. Nothing for English (readability.py grades it)."""
    sentences = prose.sentences
    if base(lang) == ENGLISH or not sentences:
        return []
    if base(lang) == "es":
        return [_spanish(sentences, spanish_target)]
    return [_lengths(sentences, lang)]


def _spanish(sentences: list[Sentence], target: float) -> Finding:
    counted = [word.group() for sentence in sentences for word in words(sentence.text)]
    n_words = max(len(counted), 1)
    n_syllables = sum(spanish_syllables(word) for word in counted)
    inflesz = szigriszt_pazos(n_syllables, n_words, len(sentences))
    huerta = fernandez_huerta(n_syllables, n_words, len(sentences))
    below = round(inflesz) < target
    said = (
        f"The handout scores {inflesz:.0f} on the INFLESZ scale (Szigriszt-Pazos: {_band(inflesz, INFLESZ_BANDS)}),"
        f" {'below' if below else 'at or above'} the target of {target:g}; Fernández Huerta {huerta:.0f}"
        f" ({_band(huerta, FERNANDEZ_HUERTA_BANDS)}). {len(sentences)} sentences of {n_words / len(sentences):.0f}"
        f" words on average, {n_syllables / n_words:.2f} syllables a word."
    )
    advice = "Use shorter sentences and shorter everyday words." if below else "Nothing to change."
    return Finding("reading-ease", Severity.WARNING if below else Severity.INFO, _start(sentences[0]), said, advice)


def _lengths(sentences: list[Sentence], lang: str) -> Finding:
    letters = [sum(1 for char in sentence.text if unicodedata.category(char)[0] in "LMN") for sentence in sentences]
    if base(lang) in WITHOUT_WORD_SPACES:
        measured = f"{sum(letters) / len(sentences):.0f} characters a sentence on average"
    else:
        counted = [len(words(sentence.text)) for sentence in sentences]
        n_words = max(sum(counted), 1)
        measured = f"{n_words / len(sentences):.0f} words a sentence and {sum(letters) / n_words:.1f} letters a word on average"
    return Finding(
        "sentence-length",
        Severity.INFO,
        _start(sentences[0]),
        f"No reading-level formula made for '{lang}' is built in, so no grade is given: the handout has"
        f" {len(sentences)} sentences, {measured}.",
        "Short sentences and everyday words help in every language; a fluent reader judges the rest.",
    )


def _band(score: float, bands: tuple[tuple[int, str], ...]) -> str:
    """The name of the band `score` falls in (a score below 0, possible for very long words and
    sentences, is in the hardest)."""
    return next((name for floor, name in bands if score >= floor), bands[-1][1])


def _start(sentence: Sentence) -> Location:
    return sentence.locate(0, min(len(sentence.text), 40))


def szigriszt_pazos(syllables: int, words_: int, sentences: int) -> float:
    """Perspicuity (Szigriszt-Pazos 1993), read on the INFLESZ scale: 206.835 − 62.3 × syllables/words − words/sentences."""
    return 206.835 - 62.3 * syllables / words_ - words_ / sentences


def fernandez_huerta(syllables: int, words_: int, sentences: int) -> float:
    """Fernández Huerta (1959): 206.84 − 0.60 × syllables per 100 words − 1.02 × sentences per 100 words."""
    return 206.84 - 60 * syllables / words_ - 102 * sentences / words_


_STRONG = "aeoáéíóú"
_SPANISH_VOWEL_RUN = re.compile(r"[aeiouáéíóúü]+")


def spanish_syllables(word: str) -> int:
    """Syllables of a Spanish word by the rules of Spanish spelling: one per run of vowels, and one
    more between two strong vowels (a e o, or an accented í ú), which are said apart ('le-er',
    'rí-o'); a weak vowel (i u) joins the vowel beside it ('cui-da-do', 'ciu-dad'). The u of que,
    qui, gue, gui is silent; a final y after a vowel is a vowel ('muy', 'hay'), and 'y' alone is a
    word of one syllable. Numbers count a syllable a digit (a rough count)."""
    word = word.lower()
    if any(char.isdigit() for char in word):
        return max(1, sum(char.isdigit() for char in word))
    word = re.sub(r"(?<=[qg])u(?=[eiéí])", "", word)
    word = re.sub(r"(?<=[aeiou])y$|^y$", "i", word)
    count = 0
    for run in _SPANISH_VOWEL_RUN.findall(word):
        count += 1 + sum(before in _STRONG and after in _STRONG for before, after in zip(run, run[1:]))
    return max(count, 1)
