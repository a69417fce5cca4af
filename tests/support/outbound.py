"""Destinations the outbound policy (config/outbound.py) must refuse: internal addresses in every
spelling, and our own service ports. Used by the policy's tests and by every feature that sends to a
user-supplied URL (livestreams, Mind streamings)."""

INTERNAL = ["rtmp://127.0.0.1:6379/x", "rtmp://169.254.169.254/x", "rtmp://[::1]:8188/x",
            "rtmp://localhost:54329/app/key", "rtmps://10.0.0.1/live", "rtmp://0.0.0.0:8000/x",
            "rtmp://224.0.0.1/x", "rtmp://[fe80::1]/x", "rtmp://192.168.1.10/x", "rtmp://[::ffff:127.0.0.1]/x",
            "rtmp://2130706433/x"]
