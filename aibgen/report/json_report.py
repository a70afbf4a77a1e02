"""The JSON report of DESIGN.md: ``{"findings": [...], "summary": {...}}``, written file by file."""
from __future__ import annotations

import json

from aibgen.report.finding import Finding, Totals


def stream_json(results, write, files: int | None = None) -> Totals:
    """Write the DESIGN.md JSON report file by file as ``results`` arrive."""
    totals = Totals()
    write('{"findings": [')
    first = True
    for _, found in results:
        totals.add(found)
        if not found:
            continue
        rows = json.dumps([f.as_dict() for f in sorted(found, key=Finding.sort_key)], ensure_ascii=False)[1:-1]
        # one finding per line; '}, {"file"' cannot occur inside a JSON string (quotes are escaped there)
        write(("\n  " if first else ",\n  ") + rows.replace('}, {"file"', '},\n  {"file"'))
        first = False
    if files is not None:
        totals.files = files
    write(("\n]" if not first else "]") + f',\n "summary": {json.dumps(totals.as_dict())}}}\n')
    return totals
