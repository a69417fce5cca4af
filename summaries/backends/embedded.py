"""The embedded summarizer: no network, no model, deterministic (same transcript → same summary).

How it reads a meeting:

1. *Cleaning.* Speech-to-text output (PocketSphinx especially) has no punctuation or case, fillers
   ("uh", "um", "you know"), stutters ("the the") and noise tokens (`<unk>`, `[noise]`). Those are
   removed; a line without punctuation is cut into pieces of at most `MAX_SENTENCE_WORDS` words.
2. *Topics.* TextTiling (Hearst, 1997): lexical similarity between the windows either side of each
   sentence gap; gaps whose similarity dips deepest (depth above mean − sd/2) become topic
   boundaries, at most one topic per ~`WORDS_PER_TOPIC` words. Each topic is labelled with its most
   distinctive terms (tf · idf across topics; repeated two-word phrases first).
3. *Sentences.* Scored by cosine similarity to the meeting's (or topic's) tf·idf centroid, with a
   bonus for decision and commitment cues and a penalty for questions, very short and very long
   pieces; picked greedily without near-duplicates (MMR). The overview takes the best sentences of
   the whole meeting up to the word limit, each topic summary the best of its topic.
4. *Next steps and decisions*: rules over each sentence (see `ACTION_RULES`): "I'll …" / "I will …"
   (owner: the speaker), "can you …" / "could you …" / "please …" (owner: the person named, else
   the next speaker who agrees), "<Name> will …", "let's … by Friday" / "we need to … by …" (owner:
   everyone, only with a deadline), "action item …"; decisions from "we decided/agreed …",
   "let's go with …", "the decision is …".

Styles: `daily_standup` summarises per person instead of per topic; `lecture` keeps more sentences
per topic; the others use topics. The embedded backend writes in the transcript's language only
(`language` is not translated); requests for another language are refused before they get here.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from summaries.backends.base import Line, Options, Summarizer

MAX_SENTENCE_WORDS = 28
WORDS_PER_TOPIC = 450
DEFAULT_OVERVIEW_WORDS = 90

STOPWORDS = frozenset("""
a about above after again against all almost also am an and any anyway are aren't around as at away
back be because been before being below between both but by can can't cannot come could couldn't
did didn't do does doesn't doing don't done down during each either else enough even ever every
few for from further get gets getting give go goes going gone gonna got gotta had hadn't has hasn't
have haven't having he he'd he'll he's her here here's hers herself him himself his how how's however
i i'd i'll i'm i've if in into is isn't it it's its itself just keep kind know let let's like likely
lot lots made make makes making many may maybe me might mine more most much must my myself need needs
no nor not nothing now of off oh ok okay on once one ones only or other others otherwise our ours
ourselves out over own pretty probably put quite rather really right said same say says see seem seems
she she'd she'll she's should shouldn't so some something sometimes sort still stuff such sure take
than thank thanks that that's the their theirs them themselves then there there's these they they'd
they'll they're they've thing things think this those though through thus to too totally try trying
um uh under until up upon us use used very via want wants was wasn't way we we'd we'll we're we've
well went were weren't what what's whatever when where which while who who's whom whose why will
with within without won't would wouldn't yeah yes yet you you'd you'll you're you've your yours
yourself yourselves hmm mm mhm huh ah er erm actually basically literally great good guess mean
means look looks looking talk talking tell told thing anything everything everyone everybody someone
somebody guys hey hi hello bye today tomorrow week friday monday tuesday wednesday thursday
""".split())

FILLERS_RE = re.compile(r"\b(?:uh+|um+|erm|er|ah+|hmm+|mhm|mm+|you know|i mean|kind of|sort of)\b[,]?\s*", re.I)
NOISE_RE = re.compile(r"<[^>]*>|\[[^\]]*\]|\(\s*(?:noise|laughter|inaudible|crosstalk)\s*\)", re.I)
STUTTER_RE = re.compile(r"\b(\w+)(?:\s+\1\b)+", re.I)
WORD_RE = re.compile(r"[a-z0-9][a-z0-9'’]*", re.I)
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")

DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
DEADLINE_RE = re.compile(
    rf"\b(?:(?:by|before|until|till|no later than|due)\s+(?:the\s+)?(?:end of (?:the )?(?:day|week|month|quarter|sprint)|"
    rf"{DAYS}(?:\s+(?:morning|afternoon|evening|noon))?|tomorrow(?:\s+(?:morning|afternoon))?|tonight|today|eod|eow|"
    rf"next\s+\w+|this\s+\w+|the\s+\d+\w*|\w+\s+\d{{1,2}}(?:st|nd|rd|th)?|noon|\d{{1,2}}(?::\d\d)?\s*(?:am|pm)?)|"
    rf"(?:tomorrow|tonight|next week|this week|end of (?:the )?(?:day|week|month)|this afternoon|later today)|"
    rf"(?:on|this|next)\s+{DAYS})\b", re.I)
AGREEMENT_RE = re.compile(r"^\s*(?:yes|yeah|yep|sure|ok|okay|will do|sounds good|no problem|of course|absolutely|"
                          r"on it|i can|i will|i'll|definitely|fine|got it)\b", re.I)

# Commitments that are not follow-up work ("I'll be honest", "can you hear me").
NOT_ACTIONS_RE = re.compile(
    r"^(?:be\b|say\b|tell you\b|admit\b|just say\b|see\b|guess\b|think\b|hear\b|hear me\b|see my\b|see me\b|repeat\b|"
    r"explain what\b|go ahead\b|share my screen\b|share the screen\b|stop sharing\b|mute\b|unmute\b|"
    r"start\b$|pass\b|give you a\b|let you\b|try\b$|do that$|do it$|do this$)", re.I)

SELF_RE = re.compile(r"\b(?:i'll|i will|i'm going to|i am going to|i can take care of|i'll take care of|"
                     r"i'm gonna|i will make sure to|i'll make sure to|let me)\s+(?P<action>.+)", re.I)
REQUEST_RE = re.compile(r"\b(?:can|could|would|will) you(?: please)?\s+(?P<action>.+)|\bplease\s+(?P<action2>.+)", re.I)
LETS_RE = re.compile(r"\b(?:let's|lets|let us|we need to|we have to|we should|we'll|we will|we must)\s+(?P<action>.+)", re.I)
ACTION_ITEM_RE = re.compile(r"\b(?:action item|to-?do|follow[- ]up)s?\b(?:\s+(?:is|for \w+))?[:,]?\s*(?:to\s+)?(?P<action>.+)", re.I)
DECISION_RE = re.compile(
    r"\b(?:we(?:'ve| have)? (?:decided|agreed|settled)|(?:it's|it is) (?:decided|agreed)|(?:the|our|final) decision (?:is|was)|"
    r"let's go with|lets go with|we'll go with|we will go with|we're going with|we are going with|"
    r"we're going to go with|we are going to go with|decision made|approved|we'll stick with|we will stick with|"
    r"agreed to|agreed on|consensus is)\b", re.I)

ACTION_RULES = ("self-commitment", "request", "named-commitment", "lets-with-deadline", "action-item")


def clean(text: str) -> str:
    text = NOISE_RE.sub(" ", text)
    text = FILLERS_RE.sub("", text)
    text = STUTTER_RE.sub(r"\1", text)
    text = re.sub(r"\s+([,.!?])", r"\1", text)
    text = re.sub(r"([,.!?]){2,}", r"\1", text)
    return " ".join(text.split()).strip(" ,")


def stem(word: str) -> str:
    word = word.lower().replace("’", "'")
    for suffix, keep in (("'s", 0), ("ies", 1), ("ing", 4), ("ed", 4), ("es", 4), ("s", 3)):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep + 2:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word


def content_words(text: str) -> list[str]:
    return [w.lower() for w in WORD_RE.findall(text) if w.lower() not in STOPWORDS and len(w) > 2 and not w.isdigit()]


class Sentence:
    __slots__ = ("index", "line", "speaker", "start_ms", "text", "words", "stems", "topic")

    def __init__(self, index, line, speaker, start_ms, text):
        self.index, self.line, self.speaker, self.start_ms, self.text = index, line, speaker, start_ms, text
        self.words = content_words(text)
        self.stems = [stem(w) for w in self.words]
        self.topic = 0

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def split_sentences(lines: list[Line]) -> list[Sentence]:
    sentences: list[Sentence] = []
    for line_no, line in enumerate(lines):
        text = clean(line.text)
        if not text:
            continue
        for piece in SENTENCE_END_RE.split(text):
            words = piece.split()
            for start in range(0, len(words), MAX_SENTENCE_WORDS):
                chunk = " ".join(words[start:start + MAX_SENTENCE_WORDS]).strip(" ,")
                if chunk:
                    sentences.append(Sentence(len(sentences), line_no, line.speaker, line.start_ms, chunk))
    return sentences


def sentence_case(text: str) -> str:
    text = text.strip()
    text = re.sub(r"\bi\b", "I", text)
    text = re.sub(r"\bi'(ll|m|ve|d)\b", lambda m: "I'" + m.group(1), text)
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and text[-1] not in ".!?…":
        text += "."
    return text


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


class EmbeddedSummarizer(Summarizer):
    name = "embedded"
    # Everything is local and linear: a whole 3-hour meeting fits in one chunk, which gives better
    # topics than merging; the limit only bounds memory for absurd inputs.
    max_chunk_chars = 2_000_000

    def summarize(self, lines: list[Line], options: Options) -> dict:
        sentences = split_sentences(lines)
        names = self._names(lines, options)
        if not sentences:
            return {"title": self._title(options, []), "overview": "", "details": [], "next_steps": [],
                    "keywords": [], "decisions": []}
        idf = self._idf(sentences)
        topics = self._segment(sentences, idf)
        labels = self._labels(sentences, topics)
        word_limit = options.word_limit or DEFAULT_OVERVIEW_WORDS
        overview = self._pick(sentences, idf, word_limit, max_sentences=6)
        details = self._details(sentences, topics, labels, idf, options)
        return {
            "title": self._title(options, labels),
            "overview": " ".join(sentence_case(s.text) for s in overview),
            "details": details,
            "next_steps": self._actions(sentences, names),
            "keywords": self._keywords(sentences, idf),
            "decisions": self._decisions(sentences),
        }

    # --- vocabulary ---------------------------------------------------------------------------------

    @staticmethod
    def _names(lines: list[Line], options: Options) -> dict[str, str]:
        """lower-case first name or full name → the speaker's display name."""
        names: dict[str, str] = {}
        for full in list(options.participants) + [line.speaker for line in lines]:
            if not full or full.lower().startswith(("speaker", "phone:")):
                continue
            names.setdefault(full.lower(), full)
            first = full.split()[0].lower()
            if len(first) > 1:
                names.setdefault(first, full)
        return names

    @staticmethod
    def _idf(sentences: list[Sentence]) -> dict[str, float]:
        # Documents = windows of 5 sentences: a word spread over the whole meeting is weak.
        df: Counter = Counter()
        windows = max(1, math.ceil(len(sentences) / 5))
        for w in range(windows):
            df.update(set(st for s in sentences[w * 5:(w + 1) * 5] for st in s.stems))
        return {term: math.log((1 + windows) / (1 + count)) + 1.0 for term, count in df.items()}

    @staticmethod
    def _vector(sentences, idf) -> Counter:
        vector: Counter = Counter()
        for s in sentences:
            for st in s.stems:
                vector[st] += idf.get(st, 1.0)
        return vector

    # --- topics -------------------------------------------------------------------------------------

    def _segment(self, sentences: list[Sentence], idf) -> list[tuple[int, int]]:
        n = len(sentences)
        total_words = sum(s.word_count for s in sentences)
        max_topics = max(1, min(12, round(total_words / WORDS_PER_TOPIC)))
        window = 6
        min_len = max(6, n // (max_topics * 2 + 1))
        if max_topics == 1 or n < 2 * min_len:
            bounds = [(0, n)]
        else:
            gaps = []
            for gap in range(1, n):
                left = Counter(st for s in sentences[max(0, gap - window):gap] for st in s.stems)
                right = Counter(st for s in sentences[gap:gap + window] for st in s.stems)
                gaps.append(_cosine(left, right))
            depths = []
            for i, value in enumerate(gaps):
                lpeak = max(gaps[max(0, i - window):i + 1])
                rpeak = max(gaps[i:i + window + 1])
                depths.append((lpeak - value) + (rpeak - value))
            mean = sum(depths) / len(depths)
            sd = math.sqrt(sum((d - mean) ** 2 for d in depths) / len(depths))
            cutoff = mean - sd / 2
            chosen: list[int] = []
            for i in sorted(range(len(depths)), key=lambda i: (-depths[i], i)):
                gap = i + 1
                if depths[i] <= cutoff or len(chosen) >= max_topics - 1:
                    break
                if gap < min_len or n - gap < min_len or any(abs(gap - c) < min_len for c in chosen):
                    continue
                chosen.append(gap)
            edges = [0] + sorted(chosen) + [n]
            bounds = list(zip(edges, edges[1:], strict=False))
        for number, (start, end) in enumerate(bounds):
            for s in sentences[start:end]:
                s.topic = number
        return bounds

    @staticmethod
    def _labels(sentences: list[Sentence], topics) -> list[str]:
        per_topic_words = []
        per_topic_phrases = []
        for start, end in topics:
            words: Counter = Counter()
            phrases: Counter = Counter()
            for s in sentences[start:end]:
                words.update(s.words)
                tokens = [w.lower() for w in WORD_RE.findall(s.text)]
                for a, b in zip(tokens, tokens[1:], strict=False):
                    if a not in STOPWORDS and b not in STOPWORDS and len(a) > 2 and len(b) > 2:
                        phrases[f"{a} {b}"] += 1
            per_topic_words.append(words)
            per_topic_phrases.append(phrases)
        count = len(topics)

        def spread(counter_list, term):
            return sum(1 for c in counter_list if term in c)

        labels = []
        for words, phrases in zip(per_topic_words, per_topic_phrases, strict=True):
            def weight(term, tf, lists):
                return tf * (math.log((1 + count) / spread(lists, term)) + 0.5)

            best_phrases = sorted(((weight(p, tf, per_topic_phrases), p) for p, tf in phrases.items() if tf >= 2),
                                  key=lambda x: (-x[0], x[1]))
            best_words = sorted(((weight(w, tf, per_topic_words), w) for w, tf in words.items()),
                                key=lambda x: (-x[0], x[1]))
            chosen: list[str] = []
            if best_phrases:
                chosen.append(best_phrases[0][1])
            for _, word in best_words:
                if len(chosen) >= 2:
                    break
                if not any(word in c.split() for c in chosen):
                    chosen.append(word)
            label = " and ".join(chosen) if chosen else "Discussion"
            labels.append(label[0].upper() + label[1:])
        return labels

    # --- sentences ----------------------------------------------------------------------------------

    @staticmethod
    def _score(sentence: Sentence, centroid: Counter, idf) -> float:
        if len(sentence.stems) < 2:
            return 0.0
        vector: Counter = Counter()
        for st in sentence.stems:
            vector[st] += idf.get(st, 1.0)
        score = _cosine(vector, centroid)
        words = sentence.word_count
        if words < 6:
            score *= 0.5
        if sentence.text.rstrip().endswith("?") or re.match(r"^(?:what|how|why|who|where|when|do|does|did|is|are|can|could)\b",
                                                          sentence.text, re.I) and "?" in sentence.text:
            score *= 0.6
        if DECISION_RE.search(sentence.text):
            score *= 1.35
        if DEADLINE_RE.search(sentence.text):
            score *= 1.15
        return score

    def _pick(self, sentences: list[Sentence], idf, word_limit: int, max_sentences: int) -> list[Sentence]:
        centroid = self._vector(sentences, idf)
        # Keep the centroid to the terms that matter: the 40 heaviest.
        centroid = Counter(dict(centroid.most_common(40)))
        ranked = sorted(sentences, key=lambda s: (-self._score(s, centroid, idf), s.index))
        chosen: list[Sentence] = []
        used = 0
        for s in ranked:
            if len(chosen) >= max_sentences or self._score(s, centroid, idf) <= 0:
                break
            if used + s.word_count > word_limit and chosen:
                continue
            own = Counter(s.stems)
            if any(_cosine(own, Counter(c.stems)) > 0.5 for c in chosen):
                continue
            chosen.append(s)
            used += s.word_count
        return sorted(chosen, key=lambda s: s.index)

    def _details(self, sentences, topics, labels, idf, options: Options) -> list[dict]:
        per_topic = 3 if options.style == "lecture" else 2
        if options.style == "daily_standup":
            speakers = list(dict.fromkeys(s.speaker for s in sentences))
            details = []
            for speaker in speakers:
                own = [s for s in sentences if s.speaker == speaker]
                picked = self._pick(own, idf, 60, 3)
                if picked:
                    details.append({"label": speaker, "summary": " ".join(sentence_case(s.text) for s in picked)})
            return details
        details = []
        for (start, end), label in zip(topics, labels, strict=True):
            picked = self._pick(sentences[start:end], idf, 70, per_topic)
            if picked:
                details.append({"label": label, "summary": " ".join(f"{s.speaker}: {sentence_case(s.text)}" if s.speaker else sentence_case(s.text) for s in picked)})
        return details

    @staticmethod
    def _keywords(sentences, idf) -> list[str]:
        counts = Counter(w for s in sentences for w in s.words)
        by_stem: dict[str, tuple[float, str]] = {}
        for word, tf in counts.items():
            st = stem(word)
            weight = tf * idf.get(st, 1.0)
            if st not in by_stem or by_stem[st][0] < weight:
                by_stem[st] = (by_stem.get(st, (0, ""))[0] + weight, word)
        ranked = sorted(by_stem.values(), key=lambda x: (-x[0], x[1]))
        return [word for _, word in ranked[:8]]

    @staticmethod
    def _title(options: Options, labels: list[str]) -> str:
        if options.topic:
            return f"Meeting summary for {options.topic}"
        return f"Meeting summary: {labels[0]}" if labels else "Meeting summary"

    # --- next steps and decisions -------------------------------------------------------------------

    @staticmethod
    def _trim_action(action: str) -> str:
        action = re.split(r"\s+(?:but|because|so that|okay|ok|right|alright|and then we|thanks)\b|[?!]", action, maxsplit=1)[0]
        action = action.strip(" ,.;:")
        words = action.split()
        return " ".join(words[:22])

    def _addressee(self, sentence: Sentence, sentences: list[Sentence], names: dict[str, str]) -> str:
        tokens = [w.lower() for w in WORD_RE.findall(sentence.text)]
        for token in tokens:
            full = names.get(token)
            if full and full != sentence.speaker:
                return full
        # Nobody named: the next other speaker who says yes within the next few sentences.
        for later in sentences[sentence.index + 1: sentence.index + 4]:
            if later.speaker != sentence.speaker:
                return later.speaker if AGREEMENT_RE.match(later.text) else ""
        return ""

    def _actions(self, sentences: list[Sentence], names: dict[str, str]) -> list[dict]:
        steps, seen = [], set()

        def add(owner: str, action: str, sentence: Sentence):
            action = self._trim_action(action)
            if len(action.split()) < 2 or NOT_ACTIONS_RE.match(action):
                return
            due_match = DEADLINE_RE.search(action) or DEADLINE_RE.search(sentence.text)
            key = " ".join(content_words(action))
            if not key or key in seen:
                return
            seen.add(key)
            text = f"{owner} will {action}" if owner else action
            steps.append({"text": sentence_case(re.sub(r"\bi\b", "I", text)), "owner": owner,
                          "due": due_match.group(0) if due_match else ""})

        name_will = re.compile(r"\b(?P<name>" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) +
                               r")\s+(?:will|is going to|is gonna|to)\s+(?P<action>.+)", re.I) if names else None
        for sentence in sentences:
            text = sentence.text
            if m := SELF_RE.search(text):
                add(sentence.speaker, m.group("action"), sentence)
            elif m := REQUEST_RE.search(text):
                action = m.group("action") or m.group("action2")
                owner = self._addressee(sentence, sentences, names)
                if sentence.speaker:
                    action = re.sub(r"\bme\b", sentence.speaker, action, flags=re.I)
                add(owner, action, sentence)
            elif name_will and (m := name_will.search(text)) and names[m.group("name").lower()] != sentence.speaker:
                add(names[m.group("name").lower()], m.group("action"), sentence)
            elif m := ACTION_ITEM_RE.search(text):
                add(self._addressee(sentence, sentences, names) if re.search(r"\bfor\b", text, re.I) else "",
                    m.group("action"), sentence)
            elif (m := LETS_RE.search(text)) and DEADLINE_RE.search(text) and not DECISION_RE.search(text):
                add("", m.group("action"), sentence)
        return steps

    @staticmethod
    def _decisions(sentences: list[Sentence]) -> list[str]:
        found, seen = [], set()
        for s in sentences:
            if DECISION_RE.search(s.text):
                key = " ".join(content_words(s.text))
                if key and key not in seen:
                    seen.add(key)
                    found.append(sentence_case(s.text))
        return found
