#!/usr/bin/python3
# udp_delay_proxy.py: a UDP proxy on 127.0.0.1 that adds a fixed latency
#
# Copyright 2026 The Mail Doctor authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: udp_delay_proxy.py LISTEN_PORT TARGET_PORT DELAY_MS [--host 127.0.0.1]
#
# Put in front of a DNS server: every datagram is delivered DELAY_MS after it
# arrived, in each direction, so a query costs 2 * DELAY_MS more, as a
# resolver far away would. The kernel here has no netem, hence this proxy
# (tests/peers/delay_proxy.py is its TCP sibling). Delays do not add up: each
# datagram waits from its own arrival, so many queries at once are delayed
# once, not one after the other.
#
# Each client address gets an upstream socket of its own, so replies find
# their way back without reading the DNS message; one left idle for
# IDLE_S is closed (glibc opens a socket per lookup). UDP only: the answers
# it is used for are small, so nothing falls back to TCP.
#
# Runs until SIGTERM or SIGINT. Python stdlib only.

import argparse
import asyncio
import signal

IDLE_S = 10.0


class Upstream(asyncio.DatagramProtocol):
    """The proxy's socket towards the server for one client."""

    def __init__(self, proxy, client):
        self.proxy = proxy
        self.client = client
        self.transport = None
        self.backlog = []      # what came before the socket was ready
        self.idle = None

    def connection_made(self, transport):
        self.transport = transport
        for data in self.backlog:
            transport.sendto(data)
        self.backlog = []

    def datagram_received(self, data, addr):
        self.proxy.later(self.proxy.reply, data, self.client)

    def send(self, data):
        if self.transport is None:
            self.backlog.append(data)
        elif not self.transport.is_closing():
            self.transport.sendto(data)

    def touch(self, loop, on_idle):
        if self.idle is not None:
            self.idle.cancel()
        self.idle = loop.call_later(IDLE_S, on_idle, self.client)


class Proxy(asyncio.DatagramProtocol):
    def __init__(self, host, target_port, delay):
        self.host = host
        self.target_port = target_port
        self.delay = delay
        self.loop = asyncio.get_running_loop()
        self.transport = None
        self.upstreams = {}    # client address -> Upstream
        self.pending = set()   # tasks opening an upstream

    def connection_made(self, transport):
        self.transport = transport

    def later(self, func, *args):
        self.loop.call_later(self.delay, func, *args)

    def datagram_received(self, data, addr):
        self.later(self.forward, data, addr)

    def forward(self, data, client):
        upstream = self.upstreams.get(client) or self.open_upstream(client)
        upstream.touch(self.loop, self.close_upstream)
        upstream.send(data)

    def open_upstream(self, client):
        """Registered at once, so that the next datagram from the same client
        waits in its backlog rather than opening a second socket."""
        upstream = Upstream(self, client)
        self.upstreams[client] = upstream
        task = self.loop.create_task(self.loop.create_datagram_endpoint(
            lambda: upstream, remote_addr=(self.host, self.target_port)))
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)
        return upstream

    def reply(self, data, client):
        self.transport.sendto(data, client)

    def close_upstream(self, client):
        upstream = self.upstreams.pop(client, None)
        if upstream is not None and upstream.transport is not None:
            upstream.transport.close()

    def close(self):
        for client in list(self.upstreams):
            self.close_upstream(client)
        self.transport.close()


async def serve(args):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set_result, None)
    transport, proxy = await loop.create_datagram_endpoint(
        lambda: Proxy(args.host, args.target_port, args.delay_ms / 1000.0),
        local_addr=(args.host, args.listen_port))
    print(f"udp_delay_proxy: {args.host}:{args.listen_port} -> "
          f"{args.host}:{args.target_port}, {args.delay_ms} ms each way", flush=True)
    try:
        await stop
    finally:
        proxy.close()


def main():
    parser = argparse.ArgumentParser(description="UDP proxy adding a fixed delay")
    parser.add_argument("listen_port", type=int)
    parser.add_argument("target_port", type=int)
    parser.add_argument("delay_ms", type=int)
    parser.add_argument("--host", default="127.0.0.1")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
