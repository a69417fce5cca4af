"""Blocking Django database work from the engine's asyncio code."""

import asyncio
from concurrent.futures import Executor


async def in_thread(fn, *args, executor: Executor | None = None):
    """Runs `fn(*args)` off the event loop, then closes that thread's database connections (threads
    of the default executor live on, and an idle connection would outlast the test database)."""
    from django.db import connections

    def run():
        try:
            return fn(*args)
        finally:
            connections.close_all()

    return await asyncio.get_running_loop().run_in_executor(executor, run)
