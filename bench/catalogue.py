"""A synthetic catalogue of handouts for the benchmark: N files, the same bytes for the same seed.

Each handout is 700-3,000 words of plainly synthetic filler (sentences drawn from a neutral word
list, no health content) laid out like a real handout: front matter, `##`/`###` headings, bullet
and numbered lists, one table, the three `:::` boxes, emphasis, links and a footnote. Handout i
depends only on (seed, i), so the catalogue of 25 is the first 25 of the catalogue of 200.

    python -m bench.catalogue OUTDIR [--n 25] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from pathlib import Path

DEFAULT_SEED = 1
MIN_WORDS, MAX_WORDS = 700, 3000
SHORT = (450, 900)
"""The words of a short handout (`short=True`): a one- or two-page leaflet, as most are."""

# Neutral words only (ASCII, so the bundled font draws every character): the text must read as
# filler and never as advice.
NOUNS = """
lantern river meadow window paper morning garden bridge harbour kettle pebble orchard ribbon
compass ladder blanket pencil button candle basket valley island tower village market library
teapot carpet notebook fountain mirror puzzle violin anchor feather rocket castle forest cloud
pillow saddle tunnel wagon whistle beacon chimney desert glacier hammock jigsaw kite marble
necklace oyster parcel quilt raft scarf tractor umbrella vase walnut yacht zebra acorn barrel
""".split()
ADJECTIVES = """
quiet bright round yellow gentle narrow wooden silver early late tidy small large curious
distant familiar orange purple striped folded patient steady hollow sunny windy woollen rusty
polished painted ordinary spare tall short brisk calm plain square velvet copper
""".split()
VERBS = """
follows holds carries passes meets paints counts folds lifts sorts opens closes finds keeps
crosses visits borrows mends builds watches greets fills measures arranges gathers labels
""".split()
PLACES = """
beside behind above below near around across inside under past
""".split()
CONNECTORS = ["Then", "Later", "Meanwhile", "Afterwards", "Still", "Often", "Sometimes", "Usually", "Once more"]
REVIEWERS = ["Synthetic reviewer A (benchmark data)", "Synthetic reviewer B (benchmark data)"]
LANGS = ["en", "en", "en-GB", "en-US"]

_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_NOT_READ = re.compile(r"\]\([^)]*\)|\[\^\d+\]:?|^:::.*$|^\|[-| ]+\|$", re.MULTILINE)


def word_count(body: str) -> int:
    """Words a reader sees: link addresses, footnote markers, `:::` lines and table rules left out."""
    return len(_WORD.findall(_NOT_READ.sub(" ", body)))


def _plural(noun: str) -> str:
    if noun.endswith(("s", "x", "sh", "ch")):
        return noun + "es"
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


class _Writer:
    """Draws the text of one handout from its own random stream."""

    def __init__(self, rng: random.Random, index: int) -> None:
        self.rng = rng
        self.index = index
        self.links = 0

    def phrase(self) -> str:
        return f"the {self.rng.choice(ADJECTIVES)} {self.rng.choice(NOUNS)}"

    def sentence(self) -> str:
        r = self.rng
        words = [self.phrase(), r.choice(VERBS), self.phrase()]
        if r.random() < 0.6:
            words += [r.choice(PLACES), self.phrase()]
        if r.random() < 0.25:
            words.insert(0, r.choice(CONNECTORS) + ",")
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def emphasised(self, sentence: str) -> str:
        """Put one word of the sentence in *emphasis* or **strong**."""
        words = sentence.rstrip(".").split(" ")
        at = self.rng.randrange(1, len(words))
        mark = self.rng.choice(["*", "**"])
        words[at] = f"{mark}{words[at]}{mark}"
        return " ".join(words) + "."

    def link(self) -> str:
        self.links += 1
        return f"See [the {self.rng.choice(NOUNS)} page](https://example.org/synthetic/{self.index}/{self.links})."

    def paragraph(self) -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(3, 6))]
        if self.rng.random() < 0.5:
            sentences[0] = self.emphasised(sentences[0])
        if self.rng.random() < 0.2:
            sentences.append(self.link())
        return " ".join(sentences)

    def bullets(self) -> str:
        return "\n".join(f"- {self.phrase()[4:].capitalize()} {self.rng.choice(PLACES)} {self.phrase()}" for _ in range(self.rng.randint(3, 6)))

    def numbered(self) -> str:
        return "\n".join(f"{n}. {self.sentence()}" for n in range(1, self.rng.randint(3, 6) + 1))

    def table(self) -> str:
        rows = ["| Item | Colour | Count |", "|------|--------|------:|"]
        rows += [
            f"| {self.rng.choice(NOUNS).capitalize()} | {self.rng.choice(ADJECTIVES)} | {self.rng.randint(1, 40)} |"
            for _ in range(self.rng.randint(3, 6))
        ]
        return "\n".join(rows)

    def box(self, kind: str) -> str:
        return f"::: {kind}\n{self.sentence()} {self.sentence()}\n:::"

    def heading(self, level: int, used: set[str]) -> str:
        while True:
            title = f"{self.rng.choice(ADJECTIVES).capitalize()} {_plural(self.rng.choice(NOUNS))} and the {self.rng.choice(NOUNS)}"
            if title not in used:  # distinct headings, so the section links stay distinct
                used.add(title)
                return f"{'#' * level} {title}"


def handout(index: int, seed: int = DEFAULT_SEED, short: bool = False) -> tuple[str, str]:
    """(file name, text) of handout `index` of the catalogue drawn from `seed`; `short`: SHORT words."""
    low, high = SHORT if short else (MIN_WORDS, MAX_WORDS)
    # a str seed is hashed the same in every run
    rng = random.Random(f"bench-catalogue:{seed}:{index}" + (":short" if short else ""))
    draw = _Writer(rng, index)
    # Sections stop at the first block past the target (a block is under 90 words), then the last box
    # and the footnotes add under 50: aim inside the range by that much.
    target = rng.randint(low + 60, high - 150)
    footnotes = rng.randint(1, 2)

    opening = f"{draw.emphasised(draw.sentence())} {draw.sentence()}[^1] {draw.link()}"
    blocks = [opening, draw.box("note")]
    words = sum(map(word_count, blocks))
    used: set[str] = set()
    section = 0
    while words < target:
        new = [draw.heading(2, used), draw.paragraph()]
        if section == 0:
            new += [draw.numbered(), draw.box("warning"), draw.paragraph()]
        elif section == 1:
            new += [draw.paragraph(), draw.table(), draw.bullets()]
        else:
            new += [draw.paragraph() for _ in range(rng.randint(0, 2))]
            if rng.random() < 0.5:
                new += [draw.heading(3, used), draw.paragraph(), draw.bullets() if rng.random() < 0.5 else draw.numbered()]
        if section == 2 and footnotes == 2:
            new[1] += "[^2]"  # a second footnote, referenced from a later section
        # Block by block, so that a long section cannot overshoot the target by much; the first two
        # sections carry the required list, table and box, and every section keeps its first paragraph.
        for position, block in enumerate(new):
            if words >= target and position >= 2 and section >= 2:
                break
            blocks.append(block)
            words += word_count(block)
        section += 1
    if footnotes == 2 and section <= 2:
        blocks[-1] += "[^2]"
    blocks.append(draw.box("get-help-now"))
    blocks.append("[^1]: A synthetic footnote for the benchmark; it cites nothing.")
    if footnotes == 2:
        blocks.append("[^2]: A second synthetic footnote.")
    body = "\n\n".join(blocks) + "\n"

    count = word_count(body)
    if not low <= count <= high:  # a bug in this generator, not a property of the seed
        raise AssertionError(f"handout {index} of seed {seed} has {count} words")
    return f"bench-{index:04d}.md", _front_matter(rng, index) + body


def _front_matter(rng: random.Random, index: int) -> str:
    name = f"{rng.choice(NOUNS).capitalize()} and {rng.choice(NOUNS)}"
    lines = [
        "---",
        f"title: 'Synthetic handout {index}: {name}'",
        f"summary: Synthetic filler text for timing the pipeline (handout {index}); it is not health information.",
        f"lang: {rng.choice(LANGS)}",
    ]
    if index % 3 == 1:
        lines.append(f"slug: synthetic-{index:04d}")
    updated = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
    lines += [f'version: "1.{rng.randint(0, 9)}"', f"updated: {updated}"]
    if index % 2 == 0:  # a valid review on every other handout: the rest are drafts, as in real life
        lines += [
            f"reviewed_by: {rng.choice(REVIEWERS)}",
            f"reviewed_on: {updated}",
            f"next_review: {updated.replace(year=updated.year + 2)}",
        ]
    lines += ["keywords:", "  - synthetic", f"  - {rng.choice(NOUNS)}", "---", "", ""]
    return "\n".join(lines)


SITE_YAML = """\
# Site settings of the synthetic benchmark catalogue (bench/catalogue.py).
paper: a4
lang: en
reading_grade: 8
"""


def write_catalogue(folder: Path, n: int, seed: int = DEFAULT_SEED, short: bool = False) -> list[Path]:
    """Write handouts 0..n-1 (of SHORT words if `short`) and a site.yaml into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.yaml").write_text(SITE_YAML, encoding="utf-8", newline="\n")
    paths = []
    for index in range(n):
        name, text = handout(index, seed, short)
        path = folder / name
        path.write_text(text, encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description="Write a synthetic catalogue of handouts.")
    args.add_argument("outdir", type=Path)
    args.add_argument("--n", type=int, default=25, help="how many handouts (default: 25)")
    args.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"(default: {DEFAULT_SEED})")
    options = args.parse_args(argv)
    paths = write_catalogue(options.outdir, options.n, options.seed)
    print(f"wrote {len(paths)} handouts to {options.outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
