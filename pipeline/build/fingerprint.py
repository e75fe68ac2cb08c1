"""What a machine puts into every output besides a job's inputs: the pipeline, its templates, fonts
and the libraries that lay out and compress the pages.

A job carries its handout and settings (pipeline/build/jobs.py), yet the bytes it returns depend on
the machine that makes them too. A build on a cluster (pipeline/build/cluster.py) compares this
machine's manifest with each worker's and uses no worker whose differs: its files would not be the
ones a build here writes. The manifest has a part for each thing a person would fix on its own:

- `pipeline`: the code and data files of the package and pyproject.toml (the pins), as
  pipeline/build/state.py's `pipeline_version` hashes them;
- `templates`: every file under templates/;
- `fonts`: each bundled font file and licence an output may carry, and whether the system's Noto
  Sans CJK is the checked one (pipeline/fonts.py uses it only then);
- `libraries`: the installed version of every pinned dependency (an environment can differ from its
  pins), Python, zlib (it compresses PDFs and EPUBs) and Pango (it lays out every PDF line).

Files are named relative to where they live, so that two checkouts in different folders agree.
"""

from __future__ import annotations

import json
import platform
import re
import zlib
from importlib import metadata
from pathlib import Path

from .state import PACKAGE_DIR, PROJECT_DIR, Fingerprints, digest

PARTS = ("pipeline", "templates", "fonts", "libraries")
DISTRIBUTION = "handout-pipeline"

Manifest = dict[str, dict[str, str]]


def manifest() -> Manifest:
    """This machine's manifest, read from the disk now."""
    from .. import fonts

    hashed = Fingerprints()
    found: Manifest = {part: {name: hashed(path) for name, path in files.items()} for part, files in _files().items()}
    for family in fonts.FAMILIES:
        if family.package:  # a system package's: used only when its files are the checked ones
            found["fonts"][family.name] = "the checked files" if family.installed else "not installed, or other files"
    return {**found, "libraries": _libraries()}


def signature() -> list[tuple[str, int, int]]:
    """The size and time of change of every file the manifest reads: cheap enough to look at before
    each job, so that a worker whose files changed makes its jobs with what they are now."""
    from .. import fonts

    paths = [path for files in _files().values() for path in files.values()]
    paths += [face.file for family in fonts.FAMILIES if family.package for face in family.faces]
    stats = []
    for path in paths:
        try:
            stat = path.stat()
            stats.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            stats.append((str(path), -1, -1))
    return stats


def _files() -> dict[str, dict[str, Path]]:
    """The files of each part, by the name they have wherever the project is."""
    from .. import fonts
    from ..writers.templates import TEMPLATE_DIR

    code = [path for path in sorted(PACKAGE_DIR.rglob("*")) if path.is_file() and "__pycache__" not in path.parts]
    return {
        "pipeline": {**{str(path.relative_to(PROJECT_DIR)): path for path in code}, "pyproject.toml": PROJECT_DIR / "pyproject.toml"},
        "templates": {str(path.relative_to(TEMPLATE_DIR)): path for path in sorted(TEMPLATE_DIR.rglob("*")) if path.is_file()},
        "fonts": {
            f"{family.name}/{path.name}": path
            for family in fonts.FAMILIES
            if not family.package
            for path in (*(face.file for face in family.faces), family.license)
        },
    }


def _libraries() -> dict[str, str]:
    found = {"Python": platform.python_version(), "zlib": zlib.ZLIB_RUNTIME_VERSION, "Pango": _pango()}
    try:
        required = metadata.distribution(DISTRIBUTION).requires or []
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        required = []
    for requirement in required:
        if "extra ==" in requirement:
            continue  # the tests' and the cluster's tools make no output
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0)
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def _pango() -> str:
    try:
        from weasyprint.text.ffi import pango
    except (ImportError, OSError):  # no Pango library: no PDF can be made here
        return "not installed"
    version = pango.pango_version()
    return f"{version // 10000}.{version // 100 % 100}.{version % 100}"


def digests(of: Manifest) -> dict[str, str]:
    """One hash per part: small enough to travel with every result."""
    return {part: digest(json.dumps(of.get(part), sort_keys=True).encode()) for part in PARTS}


def differences(ours: Manifest, theirs: Manifest) -> list[str]:
    """What differs, part by part, in words: ['templates (web/page.html)', 'libraries (Pango 1.50.12
    here, 1.56.3 there)']."""
    said = []
    for part in PARTS:
        mine, its = ours.get(part) or {}, theirs.get(part) or {}
        names = sorted(name for name in mine.keys() | its.keys() if mine.get(name) != its.get(name))
        if not names:
            continue
        if part == "libraries":
            shown = [f"{name} {mine.get(name, 'absent')} here, {its.get(name, 'absent')} there" for name in names]
        else:
            shown = [name + (" (only here)" if name not in its else " (only there)" if name not in mine else "") for name in names]
        more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
        said.append(f"{part} ({', '.join(shown[:3])}{more})")
    return said


def digest_differences(ours: dict[str, str], theirs: dict[str, str]) -> list[str]:
    """The parts whose hashes differ: ['templates']."""
    return [part for part in PARTS if ours.get(part) != theirs.get(part)]
