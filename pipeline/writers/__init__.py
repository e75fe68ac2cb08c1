"""One writer per output format, each a thin layer over the document model.

A writer gets the handout model and the site settings and returns the files it made (base.py);
the build writes them. pipeline/formats.py names each format's writer, and imports it only for a
build that makes that format: a build of the web pages and e-books never imports WeasyPrint.
"""

from . import weasyprint_ffi

weasyprint_ffi.install()  # before any writer imports WeasyPrint: see weasyprint_ffi.py
