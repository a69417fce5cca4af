"""Where each video goes in each layout (mind.engine.recording_layouts.plan), without media: the
geometry of mosaic, selector and the presenting layouts, the fall-backs when nobody shares a screen
or the speaker has no camera, and a layout change applying from its moment."""

from mind.engine.recording_layouts import (
    FULL_FRAME,
    MAIN_AREA,
    MOSAIC,
    PRESENTING_MOSAIC,
    PRESENTING_SELECTOR,
    SELECTOR,
    Rect,
    VideoSource,
    grid,
    plan,
    strip,
)

ALICE_CAM = VideoSource("alice", False, 0, 20)
BOB_CAM = VideoSource("bob", False, 1, 20)
ALICE_SCREEN = VideoSource("alice", True, 5, 15)


def scene(placements, t: float) -> dict[int, Rect]:
    """Which source is drawn where at second t."""
    return {p.source: p.rect for p in placements if any(start <= t < end for start, end in p.intervals)}


def test_grid_is_square_enough_and_centred():
    assert grid(1, FULL_FRAME) == [FULL_FRAME]
    assert grid(2, FULL_FRAME) == [Rect(0, 0, 640, 720), Rect(640, 0, 640, 720)]
    assert grid(4, FULL_FRAME) == [Rect(0, 0, 640, 360), Rect(640, 0, 640, 360), Rect(0, 360, 640, 360),
                                   Rect(640, 360, 640, 360)]
    five = grid(5, FULL_FRAME)
    assert len(five) == 5 and {r.width for r in five} == {426} and five[0].x == 0  # 3 columns of 426 (1278: centred, even)


def test_strip_stacks_cameras_beside_the_main_area():
    assert strip(2) == [Rect(960, 0, 320, 180), Rect(960, 180, 320, 180)]
    assert [r.height for r in strip(6)] == [120] * 6 and strip(6)[-1].y == 600


def test_mosaic_rebuilds_the_grid_as_people_come_and_go():
    placements = plan([ALICE_CAM, BOB_CAM, ALICE_SCREEN], [(0, MOSAIC)], [], 20)
    assert scene(placements, 0.5) == {0: FULL_FRAME}
    assert scene(placements, 3) == {0: Rect(0, 0, 640, 720), 1: Rect(640, 0, 640, 720)}
    # A person's screen comes right after their camera.
    assert scene(placements, 6) == {0: Rect(0, 0, 640, 360), 2: Rect(640, 0, 640, 360), 1: Rect(0, 360, 640, 360)}
    assert scene(placements, 16) == scene(placements, 3)


def test_selector_follows_the_speaker_and_keeps_the_last_one_shown():
    speakers = [(2, "bob"), (8, "alice"), (12, "carol")]  # carol has no camera
    placements = plan([ALICE_CAM, BOB_CAM], [(0, SELECTOR)], speakers, 20)
    assert scene(placements, 1) == {0: FULL_FRAME}  # nobody has spoken: the first camera
    assert scene(placements, 5) == {1: FULL_FRAME}
    assert scene(placements, 10) == {0: FULL_FRAME}
    assert scene(placements, 15) == {0: FULL_FRAME}  # carol: no camera, alice stays
    # One full-frame placement per camera, switched by its intervals.
    assert sorted((p.source, p.intervals) for p in placements) == [(0, [(0, 2), (8, 20)]), (1, [(2, 8)])]


def test_presenting_mosaic_puts_the_screen_in_the_main_area_and_the_cameras_beside_it():
    placements = plan([ALICE_CAM, BOB_CAM, ALICE_SCREEN], [(0, PRESENTING_MOSAIC)], [], 20)
    assert scene(placements, 6) == {2: MAIN_AREA, 0: Rect(960, 0, 320, 180), 1: Rect(960, 180, 320, 180)}
    assert scene(placements, 3) == {0: Rect(0, 0, 640, 720), 1: Rect(640, 0, 640, 720)}  # no screen: mosaic


def test_presenting_selector_shows_the_speaker_beside_the_screen():
    placements = plan([ALICE_CAM, BOB_CAM, ALICE_SCREEN], [(0, PRESENTING_SELECTOR)], [(0, "alice"), (9, "bob")], 20)
    assert scene(placements, 6) == {2: MAIN_AREA, 0: Rect(960, 0, 320, 180)}
    assert scene(placements, 10) == {2: MAIN_AREA, 1: Rect(960, 0, 320, 180)}
    assert scene(placements, 16) == {1: FULL_FRAME}  # the share ended: selector


def test_the_latest_screen_share_is_presented():
    carol_screen = VideoSource("bob", True, 8, 12)
    placements = plan([ALICE_CAM, BOB_CAM, ALICE_SCREEN, carol_screen], [(0, PRESENTING_MOSAIC)], [], 20)
    assert scene(placements, 6)[2] == MAIN_AREA
    assert scene(placements, 10)[3] == MAIN_AREA and 2 not in scene(placements, 10)
    assert scene(placements, 13)[2] == MAIN_AREA


def test_a_layout_change_applies_from_its_moment():
    placements = plan([ALICE_CAM, BOB_CAM], [(0, MOSAIC), (10, SELECTOR)], [(0, "bob")], 20)
    assert scene(placements, 9.9) == {0: Rect(0, 0, 640, 720), 1: Rect(640, 0, 640, 720)}
    assert scene(placements, 10) == {1: FULL_FRAME}


def test_nothing_published_places_nothing():
    assert plan([], [(0, SELECTOR)], [], 10) == []
