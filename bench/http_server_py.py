"""The Python reference's read router over one database, on a loopback port
(printed as ``port <n>`` on stdout): the reference side of ``npm run bench:http``.

    $DENDRUX_PY bench/http_server_py.py <SQLAlchemy async database URL>

Served by uvicorn (one worker, its default event loop), as the reference's
documentation deploys it; the process stops when its stdin closes.
"""

import asyncio
import socket
import sys
import threading

import uvicorn
from fastapi import FastAPI

from dendrux.http import make_read_router
from dendrux.store import RunStore


def allow() -> None:
    return None


async def main(url: str) -> None:
    store = RunStore.from_database_url(url)
    app = FastAPI()
    app.include_router(make_read_router(store=store, authorize=allow))
    # IPPROTO_TCP spelled out: asyncio sets TCP_NODELAY on accepted sockets only when the
    # listening socket says it is TCP, and without it keep-alive answers stall ~40 ms (Nagle
    # meeting delayed ACKs), which would be measured as the reference's latency.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    loop = asyncio.get_running_loop()

    def wait_for_stdin_close() -> None:
        sys.stdin.read()
        loop.call_soon_threadsafe(setattr, server, "should_exit", True)

    threading.Thread(target=wait_for_stdin_close, daemon=True).start()
    print(f"port {sock.getsockname()[1]}", flush=True)
    try:
        await server.serve(sockets=[sock])
    finally:
        await store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
