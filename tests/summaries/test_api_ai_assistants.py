"""AI assistants over /v2: create, list, change, delete (account-owned), run over a meeting, keep answers."""

import pytest

from summaries import assistants
from summaries.models import AssistantRun
from tests.summaries.chat_server import ChatServer

pytestmark = pytest.mark.django_db

RW = "meeting_summary:read meeting_summary:write"


def create(client, name, instructions):
    response = client.post("/v2/ai_assistants", {"name": name, "instructions": instructions}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_crud_and_account_ownership(api_client, host, member, stranger):
    client = api_client(host, RW)
    risks = create(client, "Risks", "List the risks raised")
    assert risks["created_by"] == host.public_id
    assert client.post("/v2/ai_assistants", {"name": "risks", "instructions": "x"}, format="json").json()["code"] == 300
    assert client.post("/v2/ai_assistants", {"name": "", "instructions": "x"}, format="json").json()["code"] == 300
    # A member of the account sees and may use it, but not change it.
    member_client = api_client(member, RW)
    assert [a["name"] for a in member_client.get("/v2/ai_assistants").json()["assistants"]] == ["Risks"]
    assert member_client.patch(f"/v2/ai_assistants/{risks['id']}", {"name": "Mine"}, format="json").status_code == 403
    assert member_client.delete(f"/v2/ai_assistants/{risks['id']}").status_code == 403
    # Another account does not see it at all.
    assert api_client(stranger, RW).get("/v2/ai_assistants").json() == {"total_records": 0, "assistants": []}
    assert api_client(stranger, RW).get(f"/v2/ai_assistants/{risks['id']}").status_code == 404
    assert client.patch(f"/v2/ai_assistants/{risks['id']}", {"instructions": "List every risk"}, format="json").status_code == 204
    assert client.get(f"/v2/ai_assistants/{risks['id']}").json()["instructions"] == "List every risk"
    assert api_client(host, "meeting_summary:read").post("/v2/ai_assistants", {"name": "a", "instructions": "b"},
                                                          format="json").json()["code"] == 4711
    assert client.delete(f"/v2/ai_assistants/{risks['id']}").status_code == 204
    assert client.get(f"/v2/ai_assistants/{risks['id']}").status_code == 404


def run_now(client, instance, assistant):
    response = client.post(f"/v2/meetings/{instance.meeting_id}/ai_assistants/{assistant['id']}/runs", {}, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "pending"
    assert assistants.run(response.json()["id"]) == "completed"
    return client.get(f"/v2/meetings/{instance.meeting_id}/ai_assistant_runs").json()["runs"][0]


def test_embedded_runs_keep_their_answers(summarised, api_client, host):
    summary = summarised()
    client = api_client(host, RW)
    risks = run_now(client, summary.instance, create(client, "Risks", "List the risks raised"))
    assert risks["answer"].splitlines()[0] == "Risks and concerns raised:"
    assert "Gita Guest: the design team still needs two weeks for the checkout pages so march tenth is tight" in risks["answer"]
    assert risks["quotes"][0]["speaker"] == "Gita Guest" and risks["backend"] == "embedded"
    mail = run_now(client, summary.instance, create(client, "Follow-up", "Draft the follow-up e-mail"))
    assert mail["answer"].startswith("Subject: Follow-up: Website relaunch")
    assert "- Gita Guest will tell the newsletter team about the new date by friday." in mail["answer"]
    other = run_now(client, summary.instance, create(client, "Budget", "What about the ads budget?"))
    assert other["answer"].startswith("The embedded assistant cannot follow free-form instructions")
    assert any("ads budget" in q["text"] for q in other["quotes"])
    runs = client.get(f"/v2/meetings/{summary.instance.meeting_id}/ai_assistant_runs").json()["runs"]
    assert [r["assistant_name"] for r in runs] == ["Budget", "Follow-up", "Risks"]


def test_chat_model_runs(summarised, api_client, host, settings):
    summary = summarised()
    server = ChatServer([("text", "1. The checkout pages may slip.")])
    try:
        settings.SUMMARIES_BACKEND = "openai"
        settings.SUMMARIES_OPENAI_BASE_URL = server.url
        settings.SUMMARIES_OPENAI_MODEL = "m"
        client = api_client(host, RW)
        run = run_now(client, summary.instance, create(client, "Risks", "List the risks raised"))
        assert run["answer"] == "1. The checkout pages may slip." and run["backend"] == "openai"
        system = server.requests[0][2]["messages"][0]["content"]
        assert system.endswith("Instructions: List the risks raised")
    finally:
        server.close()


def test_runs_are_isolated(summarised, api_client, host, stranger):
    summary = summarised()
    theirs = create(api_client(stranger, RW), "Theirs", "List the risks raised")
    mine = create(api_client(host, RW), "Mine", "List the risks raised")
    # Someone else's assistant is unknown to me; my assistant cannot run on their meeting.
    path = f"/v2/meetings/{summary.instance.meeting_id}/ai_assistants/{theirs['id']}/runs"
    assert api_client(host, RW).post(path, {}, format="json").status_code == 404
    path = f"/v2/meetings/{summary.instance.meeting_id}/ai_assistants/{mine['id']}/runs"
    assert api_client(stranger, RW).post(path, {}, format="json").status_code == 404
    assert api_client(stranger, RW).get(f"/v2/meetings/{summary.instance.meeting_id}/ai_assistant_runs").status_code == 404
    assert not AssistantRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_it(celery_worker, summarised, api_client, host):
    from tests.conftest import wait_until

    summary = summarised()
    client = api_client(host, RW)
    assistant = create(client, "Questions", "Which questions were asked?")
    response = client.post(f"/v2/meetings/{summary.instance.meeting_id}/ai_assistants/{assistant['id']}/runs", {},
                           format="json")
    run_id = response.json()["id"]
    wait_until(lambda: AssistantRun.objects.get(pk=run_id).state == "completed", timeout=60, message="the run")
    run = client.get(f"/v2/meetings/{summary.instance.meeting_id}/ai_assistant_runs").json()["runs"][0]
    assert run["answer"] == "Questions asked:\n- Hana Host: gita can you tell the newsletter team about the new date by friday"
