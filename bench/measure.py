#!/usr/bin/env python3
"""Runs one command and prints its wall time in seconds, its peak resident memory in KiB
and the CPU time (user and system) it took in seconds (`wall rss cpu`), for bench/run.sh.
Linux counts into a child's peak the memory it had before exec, a copy of this
interpreter: a peak near the interpreter's own (about 14 MiB) means at most that. The
command's output goes to /dev/null (or to the file `--out FILE` names); a non-zero exit
other than the ones allowed (`--ok 0,1`) is an error."""

import os
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
    child = subprocess.Popen(args, stdout=sink, stderr=subprocess.DEVNULL)
    # The command's own usage (wait4), not RUSAGE_CHILDREN: the interpreter may have run
    # children of its own at start-up, which would set a floor under every reading.
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    code = child.returncode = os.waitstatus_to_exitcode(status)
    if code not in ok:
        print(f"error: {' '.join(args[:3])}… exited {code}", file=sys.stderr)
        sys.exit(1)
    print(f"{wall:.4f} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime:.4f}")

if __name__ == "__main__":
    main()
