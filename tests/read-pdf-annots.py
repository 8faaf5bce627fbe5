#!/usr/bin/python3
# read-pdf-annots.py: the annotations of a PDF, read with pypdf (Debian's
# python3-pypdf), a reader Glossa did not write, as JSON on standard output:
# [{"page": 1, "subtype": "/Text", "contents": "…", "author": "…",
#   "rect": [x1, y1, x2, y2], "modified": "D:…"}, …]
#
# Copyright 2026 The Glossa authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import sys

try:
    from pypdf import PdfReader
except ImportError:
    sys.exit("read-pdf-annots.py: pypdf is missing: install Debian's python3-pypdf "
             "(build-aux/glossa-dev installs it)")

if len(sys.argv) != 2:
    sys.exit("usage: read-pdf-annots.py FILE.pdf")

reader = PdfReader(sys.argv[1], strict=True)
found = []
for number, page in enumerate(reader.pages, start=1):
    annots = page.get("/Annots")
    # The array itself may be an indirect object, as poppler writes it.
    annots = annots.get_object() if annots is not None else []
    for ref in annots:
        annot = ref.get_object()
        if annot.get("/Subtype") == "/Popup":
            continue
        found.append({
            "page": number,
            "subtype": str(annot.get("/Subtype")),
            "contents": str(annot.get("/Contents", "")),
            "author": str(annot.get("/T", "")),
            "rect": [float(v) for v in annot.get("/Rect")],
            "modified": str(annot.get("/M", "")),
        })

json.dump({"pages": len(reader.pages), "annotations": found}, sys.stdout, ensure_ascii=False)
