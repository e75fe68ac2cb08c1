"""Translations linked to their original, and kept current.

A translation names its original and the version it was made from in its front matter:

    translation_of: kratom-pain-relief
    original_version: "1.2"

`link` gives every handout of such a family its `versions` (the original first, then its
translations by language), and each translation its `original` as it is now. When the original's
`version` is no longer the one the translation was made from, the translation is out of date: the
check says so (`translation-out-of-date`), the index shows it, and every output of the translation
carries a notice in its own language.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from ..errors import PipelineError
from ..model import Handout, LanguageVersion, Original


def link(handouts: Iterable[Handout]) -> list[Handout]:
    """The handouts with their families linked. Every original a translation names must be among
    them, and every translation of an original among them too (the build reads families whole)."""
    handouts = list(handouts)
    by_slug = {handout.slug: handout for handout in handouts}
    translations: dict[str, list[Handout]] = {}
    for handout in handouts:
        if not (slug := handout.meta.translation_of):
            continue
        original = by_slug.get(slug)
        line = handout.field_lines.get("translation_of")
        if original is None:
            raise PipelineError(
                f"'translation_of: {slug}' names a handout that does not exist", handout.source, line,
                "Give the slug of the original handout (its file name without .md, or its 'slug:').",
            )
        if original is handout or original.meta.translation_of:
            raise PipelineError(
                f"'translation_of: {slug}' must name an original, not {'this handout' if original is handout else 'another translation'}",
                handout.source, line, f"Name the handout '{slug}' was translated from.",
            )
        translations.setdefault(slug, []).append(handout)
    linked = []
    for handout in handouts:
        original = by_slug[handout.meta.translation_of] if handout.meta.translation_of else handout
        family = [original, *sorted(translations.get(original.slug, []), key=lambda member: (member.meta.lang, member.slug))]
        versions = tuple(LanguageVersion(member.slug, member.meta.lang, member.meta.title) for member in family) if len(family) > 1 else ()
        linked.append(replace(handout, versions=versions, original=_original(handout, original) if original is not handout else None))
    return linked


def _original(translation: Handout, original: Handout) -> Original:
    meta = original.meta
    return Original(meta.slug, meta.lang, meta.title, meta.version, translation.meta.original_version)

