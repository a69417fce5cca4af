"""SIP dial-in front end: a phone's retransmitted INVITE, for a call already handed to Janus, gets
503 Service Unavailable once Janus is gone (the master handle unregistered or the session was lost),
rather than failing in the datagram handler and leaving the phone to retry unanswered."""

import asyncio
import socket

from mind.engine import sip_message
from mind.engine.sip_dial_in import IncomingCall
from mind.engine.sip_ingress import SipIngress, _ServerTransaction

INVITE = (
    "INVITE sip:123@confer.test SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bK-retransmitted;rport\r\n"
    "From: <sip:phone@127.0.0.1>;tag=phone-tag\r\n"
    "To: <sip:123@confer.test>\r\n"
    "Call-ID: call-after-janus-left\r\n"
    "CSeq: 1 INVITE\r\n"
    "Contact: <sip:phone@127.0.0.1:{port}>\r\n"
    "Max-Forwards: 70\r\n"
    "Content-Length: 0\r\n\r\n"
)


def test_retransmitted_invite_gets_503_when_janus_is_gone():
    async def scenario():
        phone = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        phone.bind(("127.0.0.1", 0))
        phone.setblocking(False)
        port = phone.getsockname()[1]
        ingress = SipIngress(None, bind="127.0.0.1", port=0, calls=1, handler="unused")
        ingress.transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(
            asyncio.DatagramProtocol, local_addr=("127.0.0.1", 0))
        try:
            raw = INVITE.format(port=port).encode()
            first = sip_message.parse(raw)
            incoming = IncomingCall(request_uri=first.uri, to_uri="sip:123@confer.test", caller_uri="sip:phone@127.0.0.1",
                                    caller_name="", call_id=first.call_id, source="127.0.0.1")
            ingress._transactions[(first.call_id, "z9hG4bK-retransmitted")] = _ServerTransaction(
                request=first, tag="ours", incoming=incoming, forwarded=True)
            assert ingress.janus_contact is None  # Janus unregistered after the call was handed over

            ingress.datagram(raw, ("127.0.0.1", port))  # the phone's retransmission

            reply = await asyncio.wait_for(asyncio.get_running_loop().sock_recv(phone, 65536), 5)
            assert reply.startswith(b"SIP/2.0 503 Service Unavailable\r\n"), reply
            assert b"Call-ID: call-after-janus-left" in reply
        finally:
            ingress.transport.close()
            ingress._decisions.shutdown(wait=False)
            phone.close()

    asyncio.run(scenario())
