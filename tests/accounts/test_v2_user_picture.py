"""POST /v2/users/{userId}/picture (multipart `pic_file`) and DELETE: Zoom's profile picture calls;
`GET /v2/users/{userId}` then has `pic_url`, which serves the re-made 256 px JPEG. Bad files get
Zoom's 400 with code 120; another user's picture needs the admin scope; unknown users 404."""

from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.accounts.pictures import image_bytes, opened

pytestmark = pytest.mark.django_db
RW = "user:read user:write"


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post_picture(client, user_id, data, name="pic.png"):
    return client.post(f"/v2/users/{user_id}/picture", {"pic_file": SimpleUploadedFile(name, data)},
                       format="multipart")


def test_upload_then_pic_url_then_delete(api_client, make_user):
    user = make_user()
    client = api_client(user, RW)
    assert "pic_url" not in client.get("/v2/users/me").json()

    assert post_picture(client, "me", image_bytes("PNG", size=(300, 900))).status_code == 201
    pic_url = client.get(f"/v2/users/{user.public_id}").json()["pic_url"]
    served = Client().get(urlparse(pic_url).path)
    assert served.status_code == 200
    assert opened(b"".join(served.streaming_content)).size == (256, 256)

    assert client.delete("/v2/users/me/picture").status_code == 204
    assert "pic_url" not in client.get("/v2/users/me").json()
    assert Client().get(urlparse(pic_url).path).status_code == 404


@pytest.mark.parametrize("data, name", [(b"not an image", "x.png"), (image_bytes("BMP"), "x.bmp"),
                                        (b"\0" * (2 * 1024 * 1024 + 1), "big.jpg")])
def test_bad_files_are_refused_with_code_120(api_client, make_user, data, name):
    response = post_picture(api_client(make_user(), RW), "me", data, name)
    assert response.status_code == 400 and response.json()["code"] == 120


def test_a_missing_file_is_refused(api_client, make_user):
    response = api_client(make_user(), RW).post("/v2/users/me/picture", {}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == 120


def test_scopes_and_other_users(api_client, make_user):
    user = make_user()
    colleague = make_user(account=user.account)
    stranger = make_user()
    assert post_picture(api_client(user, "user:read"), "me", image_bytes()).status_code in (400, 401, 403)
    assert post_picture(api_client(user, RW), colleague.public_id, image_bytes()).status_code in (400, 403)
    response = post_picture(api_client(user, RW), stranger.public_id, image_bytes())
    assert response.status_code == 404 and response.json()["code"] == 1001
    colleague.refresh_from_db()
    assert colleague.picture == ""
    admin = make_user(account=user.account, role="admin")
    assert post_picture(api_client(admin, "user:read user:write:admin"), colleague.public_id,
                        image_bytes()).status_code == 201
