"""Every WebSocket close code the Mind engine sends, in one place.

The Mind SDK reads 4000 as "the conference has ended" and 4001 as "you were expelled" (the
participant was deleted); the same 4001 closes an application socket that a newer one replaced.
4002 closes a participant session that a newer session of the same participant replaced (another
tab or device took the room).
"""

NORMAL = 1000  # the client asked to leave
CONFERENCE_ENDED = 4000
EXPELLED = 4001  # participant sessions: the participant was deleted
APPLICATION_SOCKET_REPLACED = 4001  # application sockets: a newer socket of the conference took over
SESSION_REPLACED = 4002  # participant sessions: a newer session of the same participant took over
