#!/usr/bin/env python3
"""Tag a corpus folder with themis as a Dask map step and count themes by region and year.

Each partition of a Dask bag of file names is read by a worker, turned into NDJSON reports
({"id", "text", metadata} per line, metadata from the corpus's reports.toml exactly as
`themis index` takes it) and piped through `themis tag --json -`, which tags the reports one
line at a time and streams tagged sentences back. The partition's sentences are counted by
(theme, region, year) and the counts are summed across partitions: on the shipped corpus the
totals equal `themis report --by region` and `themis report --by year` (tests/map_step.rs
checks it in CI).

    pip install dask
    python3 examples/dask/theme_counts.py corpus/ --themis target/release/themis
    python3 examples/dask/theme_counts.py corpus/ --json > counts.json

Plain .txt and .md files are read; PDF and HTML files need themis's own extraction, which
this example does not repeat (`themis show FILE` prints the text it extracts).
"""

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import dask.bag as db

try:
    import tomllib
except ImportError:  # Python < 3.11
    sys.exit("theme_counts.py needs Python 3.11 or newer (tomllib reads reports.toml)")

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}


def corpus_files(corpus):
    """Report files as themis discovers them: recursively, hidden entries and the manifest
    skipped, sorted by relative path."""
    files = []
    for path in corpus.rglob("*"):
        rel = path.relative_to(corpus)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if rel.as_posix() == "reports.toml":
            continue
        if path.suffix.lower() in TEXT_SUFFIXES:
            files.append(rel.as_posix())
        else:
            print(f"theme_counts.py: {rel}: skipped (only .txt and .md are read)", file=sys.stderr)
    return sorted(files)


def manifest_entries(corpus):
    """reports.toml's entries by file: a line with them is a manifest entry for themis."""
    path = corpus / "reports.toml"
    if not path.exists():
        return {}
    with open(path, "rb") as f:
        return {entry["file"]: entry for entry in tomllib.load(f).get("report", [])}


def report_line(corpus, rel, entries):
    """One NDJSON report. Bytes are decoded as themis decodes a file (UTF-8, else
    Windows-1252); a BOM is kept so that themis's offsets stay offsets into the file."""
    data = (corpus / rel).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    report = dict(entries.get(rel, {}))
    report["file"] = rel
    report["text"] = text
    return json.dumps(report, ensure_ascii=False)


def tag_partition(files, corpus, entries, themis):
    """The map step: this partition's reports through `themis tag --json -`, counted by
    (theme, region, year); also each (region, year)'s reports and sentences."""
    lines = [report_line(corpus, rel, entries) for rel in files]
    if not lines:
        return []
    run = subprocess.run(
        [themis, "tag", "--json", "-"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stderr.write(run.stderr)  # per-line problems, each naming its line
    if run.returncode not in (0, 2):  # 2: some lines were not reports; the rest were tagged
        raise RuntimeError(f"themis tag failed ({run.returncode}): {run.stderr}")
    counts = Counter()
    group = None
    for record in map(json.loads, run.stdout.splitlines()):
        if record["kind"] == "document":
            group = (record["region"], record["year"])
            counts[("reports",) + group] += 1
        else:
            counts[("sentences",) + group] += 1
            for theme in record["themes"]:
                counts[("theme", theme) + group] += 1
    return list(counts.items())


def count(corpus, themis, partitions):
    files = corpus_files(corpus)
    entries = manifest_entries(corpus)
    bag = db.from_sequence(files, npartitions=max(1, min(partitions, len(files) or 1)))
    pairs = bag.map_partitions(tag_partition, corpus, entries, themis)
    totals = pairs.foldby(
        key=lambda pair: pair[0],
        binop=lambda total, pair: total + pair[1],
        initial=0,
        combine=lambda a, b: a + b,
        combine_initial=0,
    )
    # Threads are enough: the work happens in the themis processes.
    return dict(totals.compute(scheduler="threads"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="corpus folder (reports plus reports.toml)")
    parser.add_argument("--themis", default="themis", help="the themis binary (default: on PATH)")
    parser.add_argument("--partitions", type=int, default=4, help="Dask partitions (default 4)")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args()

    totals = count(args.corpus, args.themis, args.partitions)
    rows = sorted(
        ({"theme": key[1], "region": key[2], "year": key[3], "sentences": n}
         for key, n in totals.items() if key[0] == "theme"),
        key=lambda r: (r["theme"], r["region"] or "", r["year"] or 0),
    )
    groups = sorted(
        ({"region": key[1], "year": key[2], "reports": n,
          "sentences": totals.get(("sentences",) + key[1:], 0)}
         for key, n in totals.items() if key[0] == "reports"),
        key=lambda g: (g["region"] or "", g["year"] or 0),
    )
    if args.json:
        json.dump({"themes": rows, "groups": groups}, sys.stdout, indent=1)
        print()
        return
    print(f"{'theme':32} {'region':24} {'year':>6} {'sentences':>9}")
    for r in rows:
        print(f"{r['theme']:32} {r['region'] or 'unknown':24} {r['year'] or '':>6} {r['sentences']:>9}")


if __name__ == "__main__":
    main()
