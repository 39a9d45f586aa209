#!/usr/bin/env python3
"""Runs one command and prints its wall time in seconds and its peak resident memory in
KiB (`wall rss`), for bench/run.sh. The command's output goes to /dev/null (or to the
file `--out FILE` names); a non-zero exit other than the ones allowed (`--ok 0,1`) is an
error."""

import resource
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    ok = {0}
    out = None
    while args[:1] in (["--ok"], ["--out"]):
        if args[0] == "--ok":
            ok = {int(x) for x in args[1].split(",")}
        else:
            out = args[1]
        args = args[2:]
    sink = open(out, "w") if out else subprocess.DEVNULL
    start = time.perf_counter()
    code = subprocess.call(args, stdout=sink, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    if code not in ok:
        print(f"error: {' '.join(args[:3])}… exited {code}", file=sys.stderr)
        sys.exit(1)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"{wall:.4f} {rss}")


if __name__ == "__main__":
    main()
