#!/usr/bin/env python3
"""Times one command as a whole process, several runs, for bench/compare.sh.

    python3 bench/measure.py OUT ERR -- COMMAND [ARG...]

One warm-up run (not counted) decides the number of counted runs: 11 when
it took under 0.1 s, where a millisecond of noise is a large share, else 3.
Each run is started with posix_spawn and reaped with wait4, so the wall
time is the command's own (no shell or GNU time start-up inside it), and
the kernel's accounting gives its peak RSS and CPU times. Standard output
goes to OUT, standard error to ERR. Prints one line a counted run:

    WALL_US PEAK_KB USER_US SYS_US EXIT_CODE

and stops at the first run that exits non-zero (that line is printed).
"""

import os
import sys
import time


def run_once(command, out, err):
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        actions = [
            (os.POSIX_SPAWN_DUP2, stdout.fileno(), 1),
            (os.POSIX_SPAWN_DUP2, stderr.fileno(), 2),
        ]
        started = time.perf_counter_ns()
        pid = os.posix_spawnp(command[0], command, os.environ, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        ended = time.perf_counter_ns()
    code = os.waitstatus_to_exitcode(status)
    return (
        (ended - started) // 1000,
        usage.ru_maxrss,
        round(usage.ru_utime * 1e6),
        round(usage.ru_stime * 1e6),
        code,
    )


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.exit(__doc__)
    out, err, command = sys.argv[1], sys.argv[2], sys.argv[4:]
    try:
        warm = run_once(command, out, err)
    except OSError as e:
        print(f"0 0 0 0 127  # {e}")
        return
    if warm[4] != 0:
        print("%d %d %d %d %d" % warm)
        return
    runs = 11 if warm[0] < 100_000 else 3
    for _ in range(runs):
        figures = run_once(command, out, err)
        print("%d %d %d %d %d" % figures, flush=True)
        if figures[4] != 0:
            return


if __name__ == "__main__":
    main()
