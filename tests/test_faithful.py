"""The author's words, all of them, in every output: nothing added to, dropped from or softened in the seed."""

from __future__ import annotations

import pytest

from .conftest import IN_CI, KRATOM, SEED, SHARED_SEED
from .outputs import BOOKLET_FOOTER_HEIGHT, body_text, booklet_pages, epub_text, html_text, normalise, pdf_text, sentences

SEED_SENTENCES = sentences(SEED.read_text(encoding="utf-8"))


def test_the_copy_of_the_seed_is_the_article_as_delivered():
    if not SHARED_SEED.exists():
        assert not IN_CI, f"CI runs with ../shared beside the clone, but {SHARED_SEED} is missing"
        pytest.skip(f"{SHARED_SEED} is not beside this checkout; the committed copy is used")
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_the_seed_splits_into_its_sentences():
    # 15 lines: 4 + 4 sentences of opening, 3 list items, 3 headings, 24 sentences of sections.
    assert len(SEED_SENTENCES) == 38
    assert "Starting with low doses and gradually increasing is recommended." in SEED_SENTENCES


@pytest.mark.parametrize(
    "medium, read",
    [
        ("html", lambda built: html_text((built / "html" / f"{KRATOM}.html").read_text(encoding="utf-8"))),
        ("epub", lambda built: epub_text(built / "epub" / f"{KRATOM}.epub")),
        ("pdf", lambda built: pdf_text(built / "pdf" / f"{KRATOM}.pdf")),
        ("large-print", lambda built: pdf_text(built / "pdf" / f"{KRATOM}-large-print.pdf")),
        ("booklet", lambda built: body_text(booklet_pages(built / "pdf" / f"{KRATOM}-booklet.pdf", BOOKLET_FOOTER_HEIGHT))),
    ],
)
def test_every_seed_sentence_is_in_every_output(built, medium, read):
    text = normalise(read(built))
    missing = [sentence for sentence in SEED_SENTENCES if sentence not in text]
    assert not missing, f"{medium} lacks {len(missing)} seed sentence(s): {missing}"


def test_the_sentences_keep_their_order_in_the_pdf(built):
    text = normalise(pdf_text(built / "pdf" / f"{KRATOM}.pdf"))
    # The list items repeat the headings, so follow each sentence's last occurrence.
    positions = [text.rindex(sentence) for sentence in SEED_SENTENCES]
    body = positions[:2 * 4] + positions[2 * 4 + 3 :]
    assert body == sorted(body)
