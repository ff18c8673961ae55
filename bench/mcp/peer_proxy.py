"""The peer gateway for the MCP benchmark: FastMCP (PyPI `fastmcp`) proxying one upstream MCP server over
Streamable HTTP. The proxy keeps one connected client to the upstream (no new upstream session per call),
so it is measured at its fastest: it authenticates nobody and decides nothing.

Usage: python peer_proxy.py UPSTREAM_URL PORT
"""

import asyncio
import sys

from fastmcp import Client
from fastmcp.server import create_proxy


async def main(upstream: str, port: int) -> None:
    async with Client(upstream) as client:
        proxy = create_proxy(client, name="fastmcp-peer")
        await proxy.run_async(transport="http", host="127.0.0.1", port=port, show_banner=False, log_level="WARNING")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
