"""The application WebSocket: /mind/<applicationId>/<conferenceId> (application token only).

It carries one `{type, location, resource}` notification per change in the conference that the
application did not make itself. One socket per conference: a new one closes the older with 4001.
When the conference ends (deleted or expired) the socket closes with 4000. A bad token or an
unknown conference is refused at the handshake (HTTP 403, all a WebSocket refusal can say).
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from mind import services
from mind.api.auth import authenticate, bearer_token
from mind.realtime import close_codes, notifications
from mind.services import MindApiError


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


@database_sync_to_async
def _check_application(application_id, conference_id, raw_token) -> None:
    actor = authenticate(application_id, raw_token)
    if not actor.is_application:
        raise MindApiError(403, "Only the application may open this socket.")
    services.get_conference(actor, conference_id)


class ApplicationSocket(AsyncJsonWebsocketConsumer):
    async def connect(self):
        kwargs = self.scope["url_route"]["kwargs"]
        self.conference_id = kwargs["conference_id"]
        token = bearer_token(_header(self.scope, b"authorization"), self.scope.get("query_string", b""))
        try:
            await _check_application(kwargs["application_id"], self.conference_id, token)
        except MindApiError:
            await self.close()
            return
        self.group = notifications.application_group(self.conference_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        # Tell any older socket of this conference to go away (it ignores its own message).
        await self.channel_layer.group_send(
            self.group, {"type": "mind.app_socket.replace", "channel": self.channel_name}
        )

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        pass  # the application talks to the REST API; this socket only listens

    async def mind_notification(self, event):
        await self.send_json(event["notification"])

    async def mind_session_end(self, event):
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.close(code=event.get("code", close_codes.CONFERENCE_ENDED))

    async def mind_app_socket_replace(self, event):
        if event["channel"] != self.channel_name:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await self.close(code=close_codes.APPLICATION_SOCKET_REPLACED)
