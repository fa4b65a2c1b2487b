"""CPython asyncio doing the workloads of bench/compare.ts.

Usage: python3 asyncio_workloads.py <workload>. Prints one JSON line like the
TypeScript children: {"ms", "check", "bytesPerTask"?, "endAt"}. "Yield once"
is asyncio.sleep(0), one turn of the event loop. The W4 "fast work" is a
coroutine that returns at once (Python has no microtask to await).
"""

import asyncio
import gc
import json
import os
import sys
import time

TASKS = 100_000
ITEMS = 200_000
QUEUE_SIZE = 100
JOBS = 100_000
PERMITS = 100
CALLS = 100_000
TIMEOUT_S = 1.0


def report(**measurement):
    measurement["endAt"] = time.time() * 1000
    print(json.dumps(measurement), flush=True)


def rss_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def spawn_and_gather():
    async def work(i):
        await asyncio.sleep(0)
        return i

    tasks = [asyncio.create_task(work(i)) for i in range(TASKS)]
    return sum(await asyncio.gather(*tasks))


async def queue(pairs):
    q = asyncio.Queue(QUEUE_SIZE)
    each = ITEMS // pairs

    async def producer(p):
        for i in range(each):
            await q.put(p * each + i)
        return 0

    async def consumer():
        total = 0
        for _ in range(each):
            total += await q.get()
        return total

    work = []
    for p in range(pairs):
        work.append(asyncio.create_task(producer(p)))
        work.append(asyncio.create_task(consumer()))
    return sum(await asyncio.gather(*work))


async def semaphore():
    sem = asyncio.Semaphore(PERMITS)

    async def job(i):
        async with sem:
            await asyncio.sleep(0)
            return i

    return sum(await asyncio.gather(*(asyncio.create_task(job(i)) for i in range(JOBS))))


async def fast_work(i):
    return i


async def timeouts():
    total = 0
    for i in range(CALLS):
        async with asyncio.timeout(TIMEOUT_S):
            total += await fast_work(i)
    return total


async def wait_fors():
    total = 0
    for i in range(CALLS):
        total += await asyncio.wait_for(fast_work(i), TIMEOUT_S)
    return total


async def event():
    gc.collect()
    before = rss_bytes()
    started = time.perf_counter()
    ev = asyncio.Event()

    async def waiter():
        await ev.wait()
        return 1

    tasks = [asyncio.create_task(waiter()) for _ in range(TASKS)]
    await asyncio.sleep(0)
    blocked = time.perf_counter()
    gc.collect()
    bytes_per_task = (rss_bytes() - before) / TASKS
    releasing = time.perf_counter()
    ev.set()
    done = len(await asyncio.gather(*tasks))
    ms = (blocked - started + time.perf_counter() - releasing) * 1000
    return ms, bytes_per_task, done


def timed(make):
    started = time.perf_counter()
    check = asyncio.run(make())
    report(ms=(time.perf_counter() - started) * 1000, check=check)


def main(workload):
    if workload == "W1":
        timed(spawn_and_gather)
    elif workload == "W2a":
        timed(lambda: queue(1))
    elif workload == "W2b":
        timed(lambda: queue(4))
    elif workload == "W3":
        timed(semaphore)
    elif workload == "W4":
        timed(timeouts)
    elif workload == "W4w":
        timed(wait_fors)
    elif workload == "W5":
        ms, bytes_per_task, done = asyncio.run(event())
        report(ms=ms, bytesPerTask=bytes_per_task, check=done)
    else:
        report(na="no task event hook in asyncio")


if __name__ == "__main__":
    main(sys.argv[1])
