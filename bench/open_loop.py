"""Latency at a fixed arrival rate, open loop: requests are sent on a schedule (`rate` a second)
whether or not earlier ones have been answered, and each latency is counted from the moment its
request was due, so a server that stalls is charged for the requests queued behind the stall
(wrk, a closed loop, would simply send fewer). Debian has no wrk2 or vegeta; this is asyncio and
plain HTTP/1.1 keep-alive on loopback.

    .venv/bin/python bench/open_loop.py URL --rate 1000 --duration 10
"""

import argparse
import asyncio
import statistics
import time
from urllib.parse import urlsplit


async def _one(reader, writer, request):
    writer.write(request)
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("closed by the server (keep-alive timeout)")
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return int(status_line.split()[1])


async def run(url, rate, duration, max_connections=256):
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    request = f"GET {path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode()
    idle, opened = [], 0
    latencies, errors = [], 0
    start = time.perf_counter() + 0.1
    total = int(rate * duration)

    async def send(due):
        nonlocal opened, errors
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        if idle:
            connection = idle.pop()
        elif opened < max_connections:
            opened += 1
            connection = await asyncio.open_connection(parts.hostname, parts.port)
        else:  # every connection busy: wait for one, the wait counted in the latency
            while not idle:
                await asyncio.sleep(0.0005)
            connection = idle.pop()
        for attempt in (1, 2):  # a kept-alive connection the server has closed meanwhile: once more, on a new one
            try:
                status = await _one(*connection, request)
                if status != 200:
                    errors += 1
                idle.append(connection)
                break
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                connection[1].close()
                if attempt == 2:
                    errors += 1
                    opened -= 1
                    break
                connection = await asyncio.open_connection(parts.hostname, parts.port)
        latencies.append(time.perf_counter() - due)

    await asyncio.gather(*(send(start + n / rate) for n in range(total)))
    latencies.sort()

    def quantile(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return {
        "rate": rate,
        "sent": total,
        "errors": errors,
        "p50_ms": quantile(0.50),
        "p99_ms": quantile(0.99),
        "p999_ms": quantile(0.999),
        "max_ms": latencies[-1] * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000,
        "connections": opened,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--duration", type=float, default=10)
    args = parser.parse_args()
    print(asyncio.run(run(args.url, args.rate, args.duration)))


if __name__ == "__main__":
    main()
