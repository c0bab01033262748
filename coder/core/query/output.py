"""Records of a retrieval as CSV or JSON text (the command line and the workbench's export)."""

from __future__ import annotations

import csv
import io
import json


def records_csv(records: list[dict]) -> str:
    out = io.StringIO()
    columns = list(dict.fromkeys(k for r in records for k in r))
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def records_json(records: list[dict]) -> str:
    return json.dumps(records, indent=2, ensure_ascii=False)
