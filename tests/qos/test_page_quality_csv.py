"""The CSV export of a meeting's quality: one row per participant, minute and stream, in Zoom's
units without the unit text; names cannot become spreadsheet formulas; same access as the page."""

import csv
import io
from datetime import timedelta

from django.test import Client


def test_csv_rows(admin, live_meeting, raw_sample, make_user):
    call = live_meeting(admin, names=("Hana", "=HYPERLINK(evil)"))
    hana, mallory = call.people
    minute = call.instance.started_at.replace(second=0, microsecond=0)
    raw_sample(hana, minute + timedelta(seconds=3), kind="audio", bitrate_bps=27_150, rtt_ms=126, loss_pct=0.03,
               frame_rate=48000, width=0, height=0)
    raw_sample(mallory, minute + timedelta(seconds=9), direction="in", kind="video", width=1280, height=720)
    client = Client()
    client.force_login(admin)

    response = client.get(f"/quality/meetings/{call.instance.pk}/quality.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["participant"], r["stream"]) for r in rows] == [("Hana", "audio_input"), ("'=HYPERLINK(evil)", "video_output")]
    assert (rows[0]["bitrate_kbps_avg"], rows[0]["latency_ms_avg"], rows[0]["loss_pct_avg"]) == ("27.15", "126", "0.03")
    assert rows[1]["resolution"] == "1280*720" and rows[0]["minute_utc"] == minute.strftime("%Y-%m-%dT%H:%M:%SZ")

    outsider = Client()
    outsider.force_login(make_user(email="o@example.org"))
    assert outsider.get(f"/quality/meetings/{call.instance.pk}/quality.csv").status_code == 404
