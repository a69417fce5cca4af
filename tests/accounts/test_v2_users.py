"""GET /v2/users and POST /v2/users (action create / custCreate / autoCreate): within the caller's
account, for account admins with the admin scopes."""

import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user):
    return make_user(email="owner@example.com")


def test_list_is_the_account_paged(api_client, owner, make_user):
    for n in range(3):
        make_user(email=f"m{n}@example.com", account=owner.account)
    make_user(email="stranger@elsewhere.org")
    client = api_client(owner, "user:read:admin")
    first = client.get("/v2/users", {"page_size": 2}).json()
    assert first["total_records"] == 4 and first["page_number"] == 1 and len(first["users"]) == 2
    second = client.get("/v2/users", {"page_size": 2, "next_page_token": first["next_page_token"]}).json()
    emails = [u["email"] for u in first["users"] + second["users"]]
    assert emails == ["owner@example.com", "m0@example.com", "m1@example.com", "m2@example.com"]
    assert second["next_page_token"] == "" and second["page_number"] == 2
    assert client.get("/v2/users", {"status": "pending"}).json()["users"] == []


def test_members_and_plain_scopes_are_refused(api_client, owner, make_user):
    member = make_user(email="member@example.com", account=owner.account)
    assert api_client(member, "user:read:admin").get("/v2/users").json()["code"] == 4711
    assert api_client(owner, "user:read").get("/v2/users").json()["code"] == 4711


def test_create_emails_a_link_to_choose_a_password(api_client, owner, django_capture_on_commit_callbacks):
    client = api_client(owner, "user:write:admin user:read:admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/v2/users", {"action": "create", "user_info": {
            "email": "New@Example.com", "type": 1, "first_name": "Nia", "last_name": "New"}}, format="json")
    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(public_id=body["id"])
    assert body == {"id": user.public_id, "email": "new@example.com", "first_name": "Nia", "last_name": "New", "type": 2}
    assert user.account == owner.account and user.role == User.Role.MEMBER and not user.has_usable_password()
    assert mail.outbox[0].to == ["new@example.com"]
    link = re.search(r"http\S+", mail.outbox[0].body).group(0)
    browser = Client()
    form = browser.get(link.split("testserver", 1)[-1].replace("http://localhost:8000", ""), follow=True)
    assert form.status_code == 200
    done = browser.post(form.redirect_chain[-1][0] if form.redirect_chain else link,
                        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")


def test_cust_create_sends_nothing_and_auto_create_takes_the_password(api_client, owner,
                                                                     django_capture_on_commit_callbacks):
    client = api_client(owner, "user:write:admin")
    with django_capture_on_commit_callbacks(execute=True):
        cust = client.post("/v2/users", {"action": "custCreate", "user_info": {"email": "api@example.com", "type": 1}},
                           format="json")
    assert cust.status_code == 201 and mail.outbox == []
    auto = client.post("/v2/users", {"action": "autoCreate", "user_info": {
        "email": "auto@example.com", "type": 2, "password": "correct-horse-battery"}}, format="json")
    assert auto.status_code == 201
    assert User.objects.get(email="auto@example.com").check_password("correct-horse-battery")
    weak = client.post("/v2/users", {"action": "autoCreate", "user_info": {
        "email": "weak@example.com", "type": 2, "password": "123"}}, format="json")
    assert weak.status_code == 400 and weak.json()["message"].startswith("user_info.password")


def test_refusals(api_client, owner, make_user):
    make_user(email="taken@elsewhere.org")
    client = api_client(owner, "user:write:admin")
    taken = client.post("/v2/users", {"action": "create", "user_info": {"email": "taken@elsewhere.org", "type": 1}},
                        format="json")
    assert taken.status_code == 409 and taken.json()["code"] == 1005
    sso = client.post("/v2/users", {"action": "ssoCreate", "user_info": {"email": "s@example.com", "type": 99}},
                      format="json")
    assert sso.status_code == 400 and sso.json()["code"] == 300
    bad = client.post("/v2/users", {"action": "create", "user_info": {"email": "not an email", "type": 1}}, format="json")
    assert bad.status_code == 400 and bad.json()["message"].startswith("user_info.email")
    member = make_user(email="member@example.com", account=owner.account)
    denied = api_client(member, "user:write:admin").post(
        "/v2/users", {"action": "create", "user_info": {"email": "x@example.com", "type": 1}}, format="json")
    assert denied.json()["code"] == 4711 and not User.objects.filter(email="x@example.com").exists()
