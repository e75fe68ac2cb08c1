"""The benchmark's synthetic catalogue (bench/catalogue.py): deterministic, realistic, and buildable.

No timing here, and no Pandoc: `make bench` does that.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.catalogue import MAX_WORDS, MIN_WORDS, SHORT, handout, word_count, write_catalogue
from tests.conftest import ROOT, build

HANDOUTS = 40


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path: Path):
    first = write_catalogue(tmp_path / "a", 5, seed=7)
    second = write_catalogue(tmp_path / "b", 5, seed=7)
    other = write_catalogue(tmp_path / "c", 5, seed=8)
    assert [path.name for path in first] == [path.name for path in second]
    assert [path.read_bytes() for path in first] == [path.read_bytes() for path in second]
    assert (tmp_path / "a" / "site.yaml").read_bytes() == (tmp_path / "b" / "site.yaml").read_bytes()
    assert all(a.read_bytes() != c.read_bytes() for a, c in zip(first, other))


def test_a_handout_depends_only_on_its_seed_and_index(tmp_path: Path):
    """The catalogue of 3 is the start of the catalogue of 5, so the N compared are the same handouts."""
    small = write_catalogue(tmp_path / "small", 3)
    large = write_catalogue(tmp_path / "large", 5)
    assert [path.read_bytes() for path in small] == [path.read_bytes() for path in large[:3]]


def body(text: str) -> str:
    return text.split("\n---\n", 1)[1]


def test_word_count_leaves_out_what_a_reader_does_not_see():
    assert word_count("Two words.[^1] See [the page](https://example.org/a/b).\n\n::: note\nBoxed.\n:::\n") == 6
    assert word_count("| A | B |\n|---|--:|\n| one | 2 |\n") == 4


def test_every_handout_has_700_to_3000_words_and_the_sizes_vary():
    counts = [word_count(body(handout(index)[1])) for index in range(HANDOUTS)]
    assert all(MIN_WORDS <= count <= MAX_WORDS for count in counts), counts
    assert max(counts) - min(counts) > 1000  # realistic: short and long handouts both


def test_short_handouts_are_one_or_two_pages_of_the_same_constructs():
    counts = [word_count(body(handout(index, short=True)[1])) for index in range(HANDOUTS)]
    assert all(SHORT[0] <= count <= SHORT[1] for count in counts), counts
    assert max(counts) < MIN_WORDS + 200 and handout(0, short=True) != handout(0)
    for index in range(HANDOUTS):
        text = handout(index, short=True)[1]
        assert "\n::: get-help-now\n" in text and "\n| Item | Colour | Count |\n" in text and "\n## " in text, index


def test_every_handout_has_the_constructs_of_a_real_one():
    for index in range(HANDOUTS):
        name, text = handout(index)
        front, markdown = text.split("\n---\n", 1)
        assert re.search(r"^title: .+", front, re.M) and re.search(r"^summary: .+", front, re.M), name
        assert re.search(r"^lang: en", front, re.M), name
        for pattern in (
            r"^## \w",  # a section
            r"^- \w",  # a bullet list
            r"^1\. \w",  # a numbered list
            r"^\| Item \| Colour \| Count \|$",  # the table
            r"^::: note$",
            r"^::: warning$",
            r"^::: get-help-now$",
            r"\*\w+\*",  # emphasis
            r"\]\(https://example\.org/",  # a link
            r"\[\^1\][^:]",  # a footnote reference ...
            r"^\[\^1\]: ",  # ... and its note
        ):
            assert re.search(pattern, markdown, re.M), f"{name}: no {pattern}"
        assert len(re.findall(r"^\| Item ", markdown, re.M)) == 1, name
        assert markdown.count("[^2]") in (0, 2), name  # a second footnote is referenced and written, or absent


def test_front_matter_varies_as_in_a_real_catalogue():
    fronts = [handout(index)[1].split("\n---\n", 1)[0] for index in range(HANDOUTS)]
    assert sum("reviewed_by:" in front for front in fronts) == HANDOUTS // 2
    assert any("slug:" in front for front in fronts) and not all("slug:" in front for front in fronts)
    assert len({re.search(r"^lang: (.+)$", front, re.M).group(1) for front in fronts}) > 1
    assert sum(bool(re.search(r"^### ", handout(index)[1], re.M)) for index in range(HANDOUTS)) > 1


def test_generated_handouts_build_without_errors(tmp_path: Path, capsys):
    """Three handouts (one with a slug, one reviewed) through the real pipeline, as web page and e-book."""
    source = tmp_path / "source"
    write_catalogue(source, 3)
    assert build(source, tmp_path / "build", "--format", "html,epub") == 0
    assert "error" not in capsys.readouterr().err
    for slug in ("bench-0000", "synthetic-0001", "bench-0002"):
        page = (tmp_path / "build" / "html" / f"{slug}.html").read_text(encoding="utf-8")
        for box in ("note", "warning", "get-help-now"):
            assert f"callout-{box}" in page, (slug, box)
        assert "<table" in page and 'class="footnotes"' in page and "https://example.org/synthetic/" in page, slug
        assert (tmp_path / "build" / "epub" / f"{slug}.epub").stat().st_size > 0


def test_the_runner_measures_each_run_and_reports_a_failure(tmp_path: Path):
    """bench/run.py's peak memory is real and per run: a child that fills 160 MB shows at least that."""
    from bench.measure import BenchError, run

    # Measured from a small process, as `make bench` does: a child's peak starts at its parent's,
    # and pytest's own grows past 300 MB over the suite.
    script = (
        "import json, sys; from pathlib import Path; from bench.measure import run\n"
        "fill = [sys.executable, '-c', 'data = bytearray(160 * 2**20); data[::4096] = bytes(len(data[::4096]))']\n"
        "small = [sys.executable, '-c', 'pass']\n"
        "both = run([small, fill, small], 2, {}, Path(sys.argv[1]))\n"
        "print(json.dumps([both.processes, both.peak_mb, run([small], 1, {}, Path(sys.argv[1])).peak_mb]))\n"
    )
    measured = subprocess.run([sys.executable, "-c", script, str(tmp_path / "log")], cwd=ROOT, capture_output=True, text=True, check=True)
    processes, peak_with_fill, peak_small = json.loads(measured.stdout)
    assert processes == 3 and peak_with_fill >= 160
    assert peak_small < 100  # the peak of this run, not the one before it
    assert run([[sys.executable, "-c", "sum(range(10**6))"]], 1, {}, tmp_path / "log").cpu_s > 0
    with pytest.raises(BenchError, match="exit status 3"):
        run([[sys.executable, "-c", "raise SystemExit(3)"]], 1, {}, tmp_path / "log")


def test_the_runner_leaves_other_processes_alone(tmp_path: Path):
    """It waits for its own children only: one started by someone else (a test, say) is not reaped."""
    from bench.measure import run

    other = subprocess.Popen([sys.executable, "-c", "pass"])  # ends while the runner waits
    slow = [sys.executable, "-c", "import time; time.sleep(1)"]
    assert run([slow, slow], 2, {}, tmp_path / "log").processes == 2
    assert run([slow], 1, {}, tmp_path / "log").processes == 1
    assert os.waitpid(other.pid, 0)[0] == other.pid  # not reaped by the runner: still ours to wait for
    other.returncode = 0


def test_the_fit_finds_the_cost_per_handout():
    from bench.report import fit

    assert fit([1, 25, 100], [2.5, 14.5, 52.0]) == pytest.approx((2.0, 0.5))
    assert fit([25], [10.0]) is None
