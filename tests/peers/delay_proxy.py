#!/usr/bin/python3
# delay_proxy.py: a TCP proxy on 127.0.0.1 that adds a fixed latency
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: delay_proxy.py LISTEN_PORT TARGET_PORT DELAY_MS [--stall-after N]
#
# Every byte is delivered DELAY_MS after it arrived, in each direction, so a
# command/reply round trip costs 2 * DELAY_MS, as on a slow link. The kernel
# here has no netem, hence this proxy. Delays do not add up: a chunk waits
# DELAY_MS from its own arrival, not from the previous chunk's delivery.
#
# --stall-after N forwards the first N bytes from the server, then nothing more
# (the connection stays open): a server that hangs in the middle of a reply.
#
# Runs until SIGTERM or SIGINT. Python stdlib only.

import argparse
import asyncio
import signal
import sys

HOST = "127.0.0.1"
CHUNK = 65536


class Budget:
    """How many more bytes may go from the server to the client."""

    def __init__(self, limit):
        self.left = limit

    def take(self, data):
        if self.left is None:
            return data
        allowed = data[:self.left]
        self.left -= len(allowed)
        return allowed


async def read_side(reader, queue, delay):
    loop = asyncio.get_running_loop()
    try:
        while True:
            data = await reader.read(CHUNK)
            await queue.put((loop.time() + delay, data))
            if not data:
                return
    except ConnectionError:
        await queue.put((loop.time() + delay, b""))


async def write_side(queue, writer, budget):
    loop = asyncio.get_running_loop()
    while True:
        due, data = await queue.get()
        await asyncio.sleep(max(0.0, due - loop.time()))
        if not data:
            break
        data = budget.take(data)
        if data:
            writer.write(data)
            await writer.drain()
    if budget.left is None or budget.left > 0:
        # Pass the half-close on; a stalled server never closes, by design.
        if writer.can_write_eof():
            writer.write_eof()


async def pump(reader, writer, delay, budget):
    queue = asyncio.Queue()
    try:
        await asyncio.gather(read_side(reader, queue, delay),
                             write_side(queue, writer, budget))
    except ConnectionError:
        pass


async def handle(client_reader, client_writer, args):
    try:
        server_reader, server_writer = await asyncio.open_connection(HOST, args.target_port)
    except OSError:
        client_writer.close()
        return
    delay = args.delay_ms / 1000.0
    try:
        await asyncio.gather(
            pump(client_reader, server_writer, delay, Budget(None)),
            pump(server_reader, client_writer, delay, Budget(args.stall_after)))
    finally:
        server_writer.close()
        client_writer.close()


async def serve(args):
    server = await asyncio.start_server(lambda r, w: handle(r, w, args),
                                        HOST, args.listen_port)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    server.close()


def main(argv):
    parser = argparse.ArgumentParser(description="TCP proxy adding latency")
    parser.add_argument("listen_port", type=int)
    parser.add_argument("target_port", type=int)
    parser.add_argument("delay_ms", type=int)
    parser.add_argument("--stall-after", type=int, default=None, metavar="N",
                        help="forward only the first N bytes from the server")
    args = parser.parse_args(argv)
    if args.delay_ms < 0:
        parser.error("DELAY_MS must not be negative")
    asyncio.run(serve(args))


if __name__ == "__main__":
    main(sys.argv[1:])
