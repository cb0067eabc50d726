"""The evaluation contract's postings and the rolling protocol, for the scripts beside it.

`baseline.py` and `evidence.py` both read POSTINGS.csv (gzipped or not) and both walk the
rolling monthly protocol of ../shared/autopilot/README.md; this is the one place for both, so
that they cannot drift apart. Plain Python: `evidence.py` runs without the baseline's venv.
"""

import bisect
import csv
import gzip


def read(path):
    """The rows of a CSV file with a header, as dicts; gzip is recognised by its magic bytes."""
    with open(path, "rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    opener = gzip.open if gz else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def month_index(date):
    """Months since year 0 of a YYYY-MM-DD date; ValueError when it is not one."""
    year, month = date.split("-")[:2]
    return int(year) * 12 + int(month)


def group_of(administration):
    """Administrations named "Group: Entity" report under Group (the 20 TfL entities as one)."""
    return administration.split(":", 1)[0].strip()


def rolling(rows, months, window=24):
    """The protocol for one administration's rows: for each of its last `months` months with
    postings, that month, the rows of the `window` months before it and the month's own rows,
    in date order (rows of one date in file order)."""
    rows = sorted(rows, key=lambda r: r["date"])
    index = [month_index(r["date"]) for r in rows]
    for month in sorted(set(index))[-months:]:
        start = bisect.bisect_left(index, month - window)
        end = bisect.bisect_left(index, month)
        yield month, rows[start:end], rows[end:bisect.bisect_right(index, month)]
