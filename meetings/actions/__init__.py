"""The meetings domain: every read and change of meetings that views, pages, SIP and the engine's
signals go through, one module per stage of a meeting's life.

- `lookups`: finding meetings, instances, occurrences and users for a caller (reads only);
- `listing`: a page of a user's meetings list (GET /users/{userId}/meetings) in one SQL query (reads only);
- `links`: join/start URLs, passcode checks, invite links, SIP dialling codes (no writes);
- `mail`: email notices, sent after commit;
- `pushes`: push notices (the push app carries them), sent after commit;
- `live`: an instance from start to end: recording, livestream, mute all, invitations;
- `schedule`: create, update, delete, recover meetings and their occurrences;
- `registration`: registrants of meetings that require registration (register, approve, deny, cancel);
- `admission`: who gets in and how (browser and phone alike), waiting, leaving;
- `host_controls`: what hosts and co-hosts do to people in the room;
- `callout`: calling a phone or SIP address into a live meeting (the account's SIP dial-out
  permission), and the engine's dial-out policy;
- `breakout`: breakout rooms, set up and run by hosts and co-hosts; people's media moves between
  the meeting's conference and the rooms' own.

A module may import the ones above it in this list, never one below (`tests/core/test_import_layers.py`).
Functions raise `meetings.errors` exceptions for the caller's mistakes; side effects (emails,
webhooks, media clean-up) run after the transaction commits.
"""
