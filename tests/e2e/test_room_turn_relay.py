"""Two people whose browsers may only use relayed ICE candidates (`iceTransportPolicy: "relay"`, as
behind a firewall that lets nothing in) still see each other: their media goes through coturn (the
`turn` process: browsers reach it on 10.99.0.2 in the test namespace) with the credentials the join answer gave them.
With only the TCP TURN URI left, the relay runs over TCP (networks that block UDP)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before the room's scripts: every RTCPeerConnection the page makes is relay-only, and keeps
# only the TURN URIs of the wanted transport.
FORCE_RELAY = """(() => {
  const Native = window.RTCPeerConnection;
  const transport = %r;
  window.__pcs = [];
  window.__iceServers = [];
  window.RTCPeerConnection = class extends Native {
    constructor(config, ...rest) {
      const servers = ((config && config.iceServers) || []).map((server) => ({ ...server,
        urls: [].concat(server.urls).filter((url) => url.startsWith("turn:") && (transport === "tcp") === url.endsWith("transport=tcp")) }));
      super({ ...(config || {}), iceServers: servers, iceTransportPolicy: "relay" }, ...rest);
      window.__iceServers.push(servers);
      window.__pcs.push(this);
    }
  };
})();"""

SELECTED_CANDIDATES = """async () => {
  const found = [];
  for (const pc of window.__pcs) {
    if (pc.connectionState !== "connected") continue;
    const stats = await pc.getStats();
    let pair = null;
    stats.forEach((r) => { if (r.type === "transport" && r.selectedCandidatePairId) pair = stats.get(r.selectedCandidatePairId); });
    const local = pair && stats.get(pair.localCandidateId);
    const remote = pair && stats.get(pair.remoteCandidateId);
    found.push({ type: local ? local.candidateType : "none", relayProtocol: local ? local.relayProtocol || "" : "",
                 address: local ? local.address : "", remote: remote ? remote.address : "" });
  }
  return found;
}"""


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_relay_only_browsers_meet_through_turn(room_people, transport):
    host = room_people.host("Hana Host")
    guest = room_people.guest()
    for person in (host, guest):
        person.page.add_init_script(FORCE_RELAY % transport)
    meeting = room_people.meeting(host)
    host.open(meeting).join()
    guest.open(meeting).join("Gus Guest")

    guest.wait_for_video_of("Hana Host", timeout=90)
    host.wait_for_video_of("Gus Guest", timeout=90)

    for person in (host, guest):
        servers = person.page.evaluate("() => window.__iceServers")
        assert servers and all(entry and entry[0]["urls"] and ":" in entry[0]["username"] for entry in servers), servers
        selected = person.page.evaluate(SELECTED_CANDIDATES)
        assert len(selected) >= 2, selected  # the publication and at least one subscription
        for candidate in selected:
            assert candidate["type"] == "relay" and candidate["relayProtocol"] == transport, selected
            # coturn's relay address (its relay-ip in bin/dev test) towards Janus on 10.99.0.1
            assert candidate["address"] == "10.99.0.1" and candidate["remote"] == "10.99.0.1", selected
