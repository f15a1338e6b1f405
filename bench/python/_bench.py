"""The child side of the benchmark protocol (see bench/lib/child.mjs).

A workload script is run as `python3 <script> <impl> <n>` and prints exactly
one JSON line on stdout.
"""

import json
import sys
import time


def run_workload(impls):
    impl = sys.argv[1] if len(sys.argv) > 1 else ""
    try:
        n = int(sys.argv[2])
    except (IndexError, ValueError):
        n = 0
    if impl not in impls or n <= 0:
        print(f"usage: python3 {sys.argv[0]} <{'|'.join(impls)}> <n>", file=sys.stderr)
        sys.exit(2)
    result = impls[impl](n)
    print(json.dumps({"impl": impl, "n": n, **result}), flush=True)


def timed(fn):
    start = time.perf_counter()
    fn()
    return {"seconds": time.perf_counter() - start}


def check(what, actual, expected):
    if actual != expected:
        raise AssertionError(f"sanity check failed: {what} = {actual}, expected {expected}")
