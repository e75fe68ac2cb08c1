"""WeasyPrint's C declarations parsed in advance (pipeline/writers/weasyprint_ffi.py): the same PDF bytes
as WeasyPrint imported as it comes, and the cache really used."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT

MAKE_PDF = """
import hashlib, os, sys
os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
if sys.argv[1] == "as-it-comes":
    import weasyprint  # before the pipeline's hook: parsed from C text, as WeasyPrint does
from pathlib import Path
from pipeline.config import load_config
from pipeline.read.handout import read_handout
from pipeline.build.jobs import Job, run_job
config = load_config(Path("source"))
handout = read_handout(Path("source/kratom-pain-relief.md"), config)
result = run_job(Job("pdf", handout, config))
ffi = sys.modules["weasyprint.text.ffi"].ffi
assert result.error is None, result.error
print(type(ffi).__module__, hashlib.sha256(result.files[0].data).hexdigest())
"""


def make_pdf(how: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", MAKE_PDF, how], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_parsed_declarations_make_the_same_pdf_bytes():
    from pipeline.writers import weasyprint_ffi

    as_it_comes, first, again = make_pdf("as-it-comes"), make_pdf("cached"), make_pdf("cached")
    # cffi.FFI() parses C text; the cached module is cffi's backend object, parsed in advance
    assert as_it_comes[0] == "cffi.api" and first[0] == again[0] == "_cffi_backend"
    assert as_it_comes[1] == first[1] == again[1]
    assert list(weasyprint_ffi.CACHE.glob("weasyprint_ffi_*.py"))
