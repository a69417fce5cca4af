"""Ask a question about a meeting: an answer that quotes the transcript lines it rests on.

Extractive and offline: the transcript lines are ranked by the tf·idf weight of the question's
content words they contain (stems, as the embedded summarizer uses; idf over the meeting's lines),
with a small bonus for a neighbouring line that shares them. The answer is the best line, attributed
to its speaker; the quotes are the best lines (at most 3) in meeting order. No line sharing a word
with the question → no answer, said plainly (never an invented one).
"""

from __future__ import annotations

import math
from collections import Counter

from summaries.backends.base import format_ms
from summaries.backends.embedded import clean, content_words, stem

MAX_QUOTES = 3


def answer(question: str, transcript: list[dict]) -> dict:
    wanted = {stem(w) for w in content_words(question)}
    lines = [(i, u, {stem(w) for w in content_words(clean(u["text"]))}) for i, u in enumerate(transcript)]
    df = Counter(st for _, _, stems in lines for st in stems)
    idf = {st: math.log((1 + len(lines)) / (1 + count)) + 1 for st, count in df.items()}
    scored = []
    for i, u, stems in lines:
        score = sum(idf[st] for st in stems & wanted)
        if score:
            scored.append((score, i, u))
    if not wanted or not scored:
        return {"question": question, "answer": "The transcript does not say.", "quotes": []}
    best = sorted(scored, key=lambda x: (-x[0], x[1]))[:MAX_QUOTES]
    top = best[0][2]
    quotes = [{"timestamp": u["timestamp"], "time": format_ms(u["timestamp"]), "speaker": u["speaker"], "text": u["text"]}
              for _, _, u in sorted(best, key=lambda x: x[1])]
    return {"question": question, "answer": f"{top['speaker']} said: \u201c{clean(top['text'])}\u201d", "quotes": quotes}
