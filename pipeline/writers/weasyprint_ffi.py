"""WeasyPrint's C declarations, parsed once per machine instead of at every start.

Importing WeasyPrint costs about 0.35 s of its 0.65 s in one line: `weasyprint/text/ffi.py` hands
cffi the declarations of Pango, HarfBuzz and Fontconfig as C text, which cffi parses with pycparser
in every process. A cold build pays that once, and so does every cold rebuild after an edit.

cffi can keep the parsed declarations as a Python module ("out-of-line ABI mode"): `install()` adds
an import hook that loads `weasyprint.text.ffi` from WeasyPrint's own source with its one `cdef`
call replaced by such a module, made from exactly that text the first time it is needed and kept in
this package's `__pycache__` (named by a hash of the text and the cffi version: another WeasyPrint or
cffi makes another file). The libraries, functions and types are the same, so are the bytes of every
PDF (tests/test_reproducible.py and the snapshots hold them). When anything is not as expected (the
source has changed shape, the folder cannot be written), WeasyPrint is imported as it comes.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import io
import os
import re
import sys
from pathlib import Path

NAME = "weasyprint.text.ffi"
CACHE = Path(__file__).resolve().parent / "__pycache__"
_CDEF = re.compile(r"^ffi = cffi\.FFI\(\)\nffi\.cdef\('''(.*?)'''\)\n", re.MULTILINE | re.DOTALL)


def install() -> None:
    """From now on, import WeasyPrint with its declarations parsed in advance (once per process)."""
    if NAME not in sys.modules and not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != NAME:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.origin is None:
            return None
        spec.loader = _Loader(spec.loader, spec.origin)
        return spec


class _Loader(importlib.abc.Loader):
    def __init__(self, original, origin: str) -> None:
        self.original, self.origin = original, origin

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        source = Path(self.origin).read_text(encoding="utf-8")
        match = _CDEF.search(source)
        parsed = _parsed(match[1]) if match else None
        if parsed is None:
            return self.original.exec_module(module)
        # The same line numbers as WeasyPrint's file, for its tracebacks.
        replaced = source[: match.start()] + "ffi = _PARSED_FFI" + "\n" * match[0].count("\n") + source[match.end() :]
        module.__dict__["_PARSED_FFI"] = parsed
        exec(compile(replaced, self.origin, "exec"), module.__dict__)


def _parsed(declarations: str):
    """The FFI of `declarations`, from this machine's cache, made there first if need be; None if it cannot be."""
    import cffi

    key = hashlib.sha256(f"{cffi.__version__}\n{declarations}".encode()).hexdigest()[:16]
    name = f"weasyprint_ffi_{key}"
    path = CACHE / f"{name}.py"
    with contextlib.suppress(Exception):  # a cache: whatever goes wrong, parse the text as WeasyPrint does
        if not path.exists():
            ffi = cffi.FFI()
            ffi.cdef(declarations)
            ffi.set_source(name, None)
            CACHE.mkdir(exist_ok=True)
            partial = path.with_name(f".{name}.{os.getpid()}.tmp")
            with contextlib.redirect_stdout(io.StringIO()):  # cffi says "generating <file>"
                ffi.emit_python_code(str(partial))
            os.replace(partial, path)
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.ffi
    return None
