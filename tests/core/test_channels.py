import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from channels_redis.core import RedisChannelLayer

from config.asgi import application


def test_channel_layer_is_redis():
    assert isinstance(get_channel_layer(), RedisChannelLayer)


@pytest.mark.asyncio
async def test_websocket_round_trips_through_redis_layer():
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")])
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"hello": "world"})
    assert await communicator.receive_json_from(timeout=5) == {"pong": {"hello": "world"}}
    await communicator.disconnect()
