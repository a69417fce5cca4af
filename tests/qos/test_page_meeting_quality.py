"""The quality page of a meeting (/quality/meetings/<instance>/): per participant, quality flags and
SVG charts per minute; the host and the account's admins see it, nobody else (404)."""

from datetime import timedelta

from django.test import Client


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_host_sees_charts_and_flags(admin, live_meeting, raw_sample):
    call = live_meeting(admin, ended=True)
    hana, bob = call.people
    start = call.instance.started_at.replace(second=0, microsecond=0)
    for minute, loss in enumerate([3.0, 9.0, 15.0]):
        raw_sample(hana, start + timedelta(minutes=minute, seconds=5), loss_pct=loss, bitrate_bps=600_000 + minute * 1000)

    response = signed_in(admin).get(f"/quality/meetings/{call.instance.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Weekly sync" in page and page.count('class="card qos-person"') == 2
    hana_part = page.split(f'data-participant="{hana.key}"')[1].split("</section>")[0]
    assert 'data-quality-video="poor"' in hana_part  # (3 + 9 + 15) / 3 = 9 % loss
    assert hana_part.count("<polyline") == 5 and 'role="img"' in hana_part
    assert "Packet loss" in hana_part and "max 15.0" in hana_part
    bob_part = page.split(f'data-participant="{bob.key}"')[1].split("</section>")[0]
    assert "No quality samples" in bob_part and "<polyline" not in bob_part
    assert "<script" not in page.split("<main")[-1]  # the charts need no script


def test_others_get_404_and_admins_of_the_account_get_in(admin, make_user, live_meeting):
    call = live_meeting(admin)
    stranger = make_user(email="s@example.org")
    colleague = make_user(email="c@example.com", account=admin.account, role="member")
    other_admin = make_user(email="a@example.com", account=admin.account, role="admin")
    assert signed_in(stranger).get(f"/quality/meetings/{call.instance.pk}/").status_code == 404
    assert signed_in(colleague).get(f"/quality/meetings/{call.instance.pk}/").status_code == 404
    assert signed_in(other_admin).get(f"/quality/meetings/{call.instance.pk}/").status_code == 200
    assert Client().get(f"/quality/meetings/{call.instance.pk}/").status_code == 302  # sign in first
