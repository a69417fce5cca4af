from channels.generic.websocket import AsyncJsonWebsocketConsumer


class PingConsumer(AsyncJsonWebsocketConsumer):
    """Echoes each message back through the channel layer (a group of one).

    Used by monitoring and tests to prove WebSockets and the Redis channel layer work end to end.
    """

    async def connect(self):
        self.group = f"ping.{self.channel_name.replace('!', '_')}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        await self.channel_layer.group_send(self.group, {"type": "pong", "payload": content})

    async def pong(self, event):
        await self.send_json({"pong": event["payload"]})
