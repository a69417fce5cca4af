"""Benchmark: the embedded summarizer against a lead-3 baseline, on hand-written meetings.

For each meeting in bench/data/summaries/*.json (transcript + reference overview + reference
action items, all written by hand) it prints, for the embedded backend and for lead-3 (the first
three sentences of the transcript as the overview, no action items):

  * ROUGE-1 and ROUGE-L F1 of the overview against the reference (lower-cased word tokens; ROUGE-L
    by longest common subsequence, Lin 2004),
  * action-item precision and recall (a step matches a reference item when the owner is the same —
    an empty reference owner matches any — and at least half of the item's key words are in it),
  * seconds per hour of transcript, measured on each meeting and on a generated 3-hour meeting,

then the means, and the embedded/lead-3 ratios. It needs no services:

    bin/dev bench bench/summaries.py        (or: .venv/bin/python bench/summaries.py)
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summaries.backends.base import Line, Options, validate_draft  # noqa: E402
from summaries.backends.embedded import EmbeddedSummarizer, split_sentences  # noqa: E402

DATA = ROOT / "bench" / "data" / "summaries"
TOKEN = re.compile(r"[a-z0-9']+")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def f1(overlap: int, candidate: int, reference: int) -> float:
    if not overlap or not candidate or not reference:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


def rouge1(candidate: str, reference: str) -> float:
    c, r = tokens(candidate), tokens(reference)
    counts: dict[str, int] = {}
    for word in r:
        counts[word] = counts.get(word, 0) + 1
    overlap = 0
    for word in c:
        if counts.get(word, 0) > 0:
            counts[word] -= 1
            overlap += 1
    return f1(overlap, len(c), len(r))


def rouge_l(candidate: str, reference: str) -> float:
    c, r = tokens(candidate), tokens(reference)
    previous = [0] * (len(r) + 1)
    for a in c:
        current = [0]
        for j, b in enumerate(r):
            current.append(previous[j] + 1 if a == b else max(previous[j + 1], current[j]))
        previous = current
    return f1(previous[-1], len(c), len(r))


def action_scores(steps: list[dict], references: list[dict]) -> tuple[float, float]:
    used, matched = set(), 0
    for reference in references:
        for i, step in enumerate(steps):
            if i in used:
                continue
            owner_ok = not reference["owner"] or step.get("owner") == reference["owner"]
            text = step["text"].lower()
            hits = sum(1 for k in reference["keywords"] if k in text)
            if owner_ok and hits * 2 >= len(reference["keywords"]):
                used.add(i)
                matched += 1
                break
    precision = len(used) / len(steps) if steps else 0.0
    recall = matched / len(references) if references else 1.0
    return precision, recall


def lead3(lines: list[Line]) -> str:
    return " ".join(s.text for s in split_sentences(lines)[:3])


def load(path: Path):
    data = json.loads(path.read_text())
    lines = [Line(int(seconds * 1000), speaker, text) for seconds, speaker, text in data["lines"]]
    return data, lines


def hours_of(lines: list[Line]) -> float:
    return max(lines[-1].start_ms + 8000, 1) / 3_600_000


def main() -> None:
    backend = EmbeddedSummarizer()
    rows = []
    print(f"{'meeting':<12} {'system':<9} {'R-1':>6} {'R-L':>6} {'act P':>6} {'act R':>6} {'s/hour':>8}")
    for path in sorted(DATA.glob("*.json")):
        data, lines = load(path)
        options = Options(topic=data["title"], participants=tuple(data["speakers"]))
        started = time.perf_counter()
        draft = validate_draft(backend.summarize(lines, options))
        embedded_time = time.perf_counter() - started
        started = time.perf_counter()
        baseline = lead3(lines)
        lead_time = time.perf_counter() - started
        hours = hours_of(lines)
        p, r = action_scores(draft["next_steps"], data["reference_actions"])
        for system, overview, ap, ar, seconds in (("embedded", draft["overview"], p, r, embedded_time),
                                                  ("lead-3", baseline, 0.0, 0.0, lead_time)):
            row = {"meeting": path.stem, "system": system, "r1": rouge1(overview, data["reference_overview"]),
                   "rl": rouge_l(overview, data["reference_overview"]), "p": ap, "r": ar, "sph": seconds / hours}
            rows.append(row)
            print(f"{row['meeting']:<12} {system:<9} {row['r1']:6.3f} {row['rl']:6.3f} {ap:6.2f} {ar:6.2f} {row['sph']:8.4f}")

    from tests.summaries.generated import long_meeting

    generated, _ = long_meeting(3.0)
    long_lines = [Line(ms, speaker, text) for ms, speaker, text in generated]
    started = time.perf_counter()
    backend.summarize(long_lines, Options(topic="Generated"))
    long_embedded = (time.perf_counter() - started) / hours_of(long_lines)
    started = time.perf_counter()
    lead3(long_lines)
    long_lead = (time.perf_counter() - started) / hours_of(long_lines)

    def mean(system, key):
        return statistics.mean(row[key] for row in rows if row["system"] == system)

    print()
    print(f"{'mean':<12} {'system':<9} {'R-1':>6} {'R-L':>6} {'act P':>6} {'act R':>6}")
    for system in ("embedded", "lead-3"):
        print(f"{'':<12} {system:<9} {mean(system, 'r1'):6.3f} {mean(system, 'rl'):6.3f} "
              f"{mean(system, 'p'):6.2f} {mean(system, 'r'):6.2f}")
    print()
    print(f"ROUGE-L embedded / lead-3: {mean('embedded', 'rl') / mean('lead-3', 'rl'):.2f}")
    print(f"ROUGE-1 embedded / lead-3: {mean('embedded', 'r1') / mean('lead-3', 'r1'):.2f}")
    print(f"generated 3-hour meeting ({len(long_lines)} lines): embedded {long_embedded:.3f} s per hour of "
          f"transcript, lead-3 {long_lead:.5f} s per hour")


if __name__ == "__main__":
    main()
