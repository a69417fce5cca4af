"""The Mind engine's WebSockets: participant sessions, the application socket, and the channel-layer
groups that carry notifications to them."""
