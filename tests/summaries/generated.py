"""A generated long meeting: topics in turn, each with discussion, one commitment and one decision."""

from __future__ import annotations

import random

TOPICS = [
    ("database migration", ["the postgres upgrade", "replication lag", "the maintenance window", "backup restores"]),
    ("mobile release", ["the app store review", "crash reports", "the onboarding screens", "push notifications"]),
    ("customer support", ["ticket backlog", "response times", "the help center articles", "weekend coverage"]),
    ("hiring plan", ["the backend role", "interview loops", "the recruiter agency", "offer letters"]),
    ("security audit", ["penetration test findings", "password rotation", "access reviews", "the bug bounty"]),
    ("quarterly budget", ["cloud costs", "conference travel", "software licences", "the hardware refresh"]),
]
SPEAKERS = ["Hana Host", "Gita Guest", "Omar Ops", "Lena Lead"]
TEMPLATES = [
    "i looked at {thing} again and it is still the main concern for the {topic}",
    "the numbers on {thing} improved a bit since last week but not enough",
    "we should compare {thing} with what other teams did for the {topic}",
    "honestly {thing} took more time than we planned",
    "i talked to the vendor about {thing} and they can help us",
    "um so {thing} is blocked until we hear back from finance",
    "for the {topic} the risk is mostly {thing}",
    "yeah i agree {thing} needs an owner",
]


def long_meeting(hours: float = 3.0, seed: int = 7) -> tuple[list[tuple[int, str, str]], list[str]]:
    """([(timestamp ms, speaker, text)], the commitments said) for a meeting of `hours`."""
    rng = random.Random(seed)
    lines, commitments = [], []
    ms, step = 0, 8000
    per_topic = int(hours * 3600 * 1000 / step / len(TOPICS))
    for topic, things in TOPICS:
        for n in range(per_topic):
            speaker = SPEAKERS[(n + rng.randrange(2)) % len(SPEAKERS)]
            if n == per_topic // 2:
                owner = SPEAKERS[(n + 1) % len(SPEAKERS)]
                text = f"i'll write up the plan for {things[0]} by friday"
                lines.append((ms, owner, text))
                commitments.append(owner)
            elif n == per_topic // 2 + 3:
                lines.append((ms, speaker, f"we agreed to prioritise {things[1]} for the {topic}"))
            else:
                lines.append((ms, speaker, rng.choice(TEMPLATES).format(thing=rng.choice(things), topic=topic)))
            ms += step
    return lines, commitments
