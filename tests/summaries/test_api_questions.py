"""POST /v2/meetings/{meetingId}/meeting_summary/questions: answers quote the transcript lines they rest on."""

import pytest

pytestmark = pytest.mark.django_db

READ = "meeting_summary:read"


def test_answer_quotes_the_lines(summarised, api_client, host):
    summary = summarised()
    path = f"/v2/meetings/{summary.instance.meeting_id}/meeting_summary/questions"
    response = api_client(host, READ).post(path, {"question": "What was agreed about the launch date?"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["answer"] == "Hana Host said: \u201cwe agreed to move the launch date to march twenty fourth\u201d"
    texts = [q["text"] for q in body["quotes"]]
    assert "we agreed to move the launch date to march twenty fourth" in texts
    assert all(q["speaker"] in ("Hana Host", "Gita Guest") for q in body["quotes"])
    assert [q["timestamp"] for q in body["quotes"]] == sorted(q["timestamp"] for q in body["quotes"])


def test_nothing_matches(summarised, api_client, host):
    summary = summarised()
    body = api_client(host, READ).post(f"/v2/meetings/{summary.instance.meeting_id}/meeting_summary/questions",
                                       {"question": "Who won the football?"}, format="json").json()
    assert body == {"question": "Who won the football?", "answer": "The transcript does not say.", "quotes": []}


def test_bad_question_scope_and_isolation(summarised, api_client, host, stranger):
    summary = summarised()
    path = f"/v2/meetings/{summary.instance.meeting_id}/meeting_summary/questions"
    assert api_client(host, READ).post(path, {"question": ""}, format="json").json()["code"] == 300
    assert api_client(host, READ).post(path, ["x"], format="json").json()["code"] == 300
    assert api_client(host, "meeting:read").post(path, {"question": "launch?"}, format="json").json()["code"] == 4711
    assert api_client(stranger, f"{READ} {READ}:admin").post(path, {"question": "launch?"}, format="json").status_code == 404
