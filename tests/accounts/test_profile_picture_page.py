"""The profile page's picture: an upload is checked (type, 2 MB, readable), turned upright, cropped to
a 256 px square and re-encoded (no EXIF left); it shows in the page header instead of the initials
and is served under a new random URL that stops working once the picture is replaced or removed.
Forms need the CSRF token."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.accounts.pictures import image_bytes, opened

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def person(make_user):
    return make_user(first_name="Ada", last_name="Lovelace")


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def upload(client, data: bytes, name="me.png"):
    return client.post("/accounts/profile/picture/", {"picture": SimpleUploadedFile(name, data)}, follow=True)


def test_upload_shows_in_the_header_and_is_served_square_without_exif(person):
    client = signed_in(person)
    assert '<span class="avatar" aria-hidden="true">A</span>' in client.get("/accounts/profile/").content.decode()

    response = upload(client, image_bytes("JPEG", size=(640, 480), exif_orientation=6), "me.jpg")
    assert "Picture saved." in response.content.decode()
    person.refresh_from_db()
    url = f"/pictures/{person.picture.removeprefix('pictures/').removesuffix('.jpg')}.jpg"
    assert f'<img src="{url}" alt="">' in response.content.decode()

    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "immutable" in served["Cache-Control"]
    image = opened(b"".join(served.streaming_content))
    assert image.format == "JPEG" and image.size == (256, 256)
    assert not image.getexif()  # the camera's metadata (and orientation flag) is gone
    assert max(abs(a - b) for a, b in zip(image.getpixel((128, 128)), (250, 200, 0), strict=True)) < 40


def test_replacing_and_removing_retire_the_old_url(person):
    client = signed_in(person)
    upload(client, image_bytes())
    person.refresh_from_db()
    first = f"/{person.picture.removesuffix('.jpg')}.jpg"
    upload(client, image_bytes(colour=(200, 30, 30)))
    person.refresh_from_db()
    second = f"/{person.picture}"
    assert first != second and client.get(first).status_code == 404 and client.get(second).status_code == 200

    response = client.post("/accounts/profile/picture/remove/", follow=True)
    assert "your initials show instead" in response.content.decode()
    person.refresh_from_db()
    assert person.picture == "" and client.get(second).status_code == 404


@pytest.mark.parametrize("data, name, message", [
    (b"GIF89a not really", "fake.gif", "not an image we can read"),
    (b"%PDF-1.4 a document", "doc.png", "not an image we can read"),
    (image_bytes("BMP"), "old.bmp", "Upload a JPEG, PNG, GIF or WebP image."),
    (b"\0" * (2 * 1024 * 1024 + 1), "huge.png", "at most 2 MB"),
])
def test_bad_uploads_are_refused_with_a_message(person, data, name, message):
    response = upload(signed_in(person), data, name)
    assert response.status_code == 200 and message in response.content.decode()
    person.refresh_from_db()
    assert person.picture == ""


def test_no_file_is_explained(person):
    response = signed_in(person).post("/accounts/profile/picture/", {}, follow=True)
    assert "Choose an image to upload." in response.content.decode()


def test_forms_need_the_csrf_token(person):
    client = signed_in(person, enforce_csrf_checks=True)
    assert client.post("/accounts/profile/picture/", {"picture": SimpleUploadedFile("a.png", image_bytes())}
                       ).status_code == 403
    assert client.post("/accounts/profile/picture/remove/").status_code == 403


def test_an_unknown_picture_is_404(client):
    assert client.get("/pictures/not-a-picture.jpg").status_code == 404
