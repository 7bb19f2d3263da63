#!/usr/bin/env python3
"""Process measurement for Kukai's benchmark scripts (stdlib only, Linux /proc).

  measure.py run   [--samples F] [--interval S] [--timeout S] [--stdout F] [--stderr F] -- CMD...
      Runs CMD, samples it every S seconds, waits for it with wait4 and prints one JSON line:
      {"exit", "wall_s", "user_s", "sys_s", "cpu_s", "maxrss_kb", "timed_out", "start_epoch", "end_epoch"}.
      cpu_s is exact (rusage of CMD and the children it reaped). CMD is ended (TERM, then KILL) after --timeout.
  measure.py watch --pid P [--samples F] [--interval S] [--duration S]
      Samples an existing process until it exits or --duration passes; prints the same JSON (no rusage fields).
  measure.py window SAMPLES FROM_EPOCH TO_EPOCH
      CPU seconds per second of the sampled process between two instants (nearest samples inside the window):
      prints "cpu_rate seconds_covered".

Samples are tab-separated: epoch_s, elapsed_s, cpu_s (utime+stime), rss_kb (VmRSS), hwm_kb (VmHWM), threads, fds.
"""
import json
import os
import signal
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def read_sample(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        rest = stat[stat.rfind(")") + 2:].split()
        cpu = (int(rest[11]) + int(rest[12])) / TICKS
        threads = int(rest[17])
        rss = hwm = 0
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        return cpu, rss, hwm, threads, fds
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError, PermissionError):
        return None


def parse(argv):
    opts = {"samples": None, "interval": 1.0, "timeout": None, "stdout": None, "stderr": None, "pid": None, "duration": None}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            return opts, argv[i + 1:]
        key = a[2:]
        if key not in opts:
            sys.exit(f"measure.py: unknown option {a}")
        opts[key] = argv[i + 1]
        i += 2
    return opts, []


def sampler(pid, opts, start_mono, out, alive):
    """Samples until alive() is false; returns the deadline check result."""
    interval = float(opts["interval"])
    next_at = start_mono
    while alive():
        now = time.monotonic()
        if now >= next_at:
            s = read_sample(pid)
            if s is not None and out is not None:
                out.write(f"{time.time():.3f}\t{now - start_mono:.3f}\t{s[0]:.2f}\t{s[1]}\t{s[2]}\t{s[3]}\t{s[4]}\n")
                out.flush()
            next_at += interval
        time.sleep(max(0.0, min(0.05, next_at - time.monotonic())))


def cmd_run(argv):
    opts, cmd = parse(argv)
    if not cmd:
        sys.exit("measure.py run: no command")
    out = open(opts["samples"], "w") if opts["samples"] else None
    stdout = open(opts["stdout"], "w") if opts["stdout"] else subprocess.DEVNULL
    stderr = open(opts["stderr"], "w") if opts["stderr"] else subprocess.DEVNULL
    timeout = float(opts["timeout"]) if opts["timeout"] else None
    start_epoch = time.time()
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
    result = {}
    timed_out = False

    def alive():
        nonlocal timed_out
        if result:
            return False
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            result.update(status=status, usage=usage)
            return False
        if timeout is not None and time.monotonic() - start > timeout and not timed_out:
            timed_out = True
            proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid == proc.pid:
                    result.update(status=status, usage=usage)
                    return False
                time.sleep(0.1)
            proc.kill()
        return True

    sampler(proc.pid, opts, start, out, alive)
    if not result:
        _, status, usage = os.wait4(proc.pid, 0)
        result.update(status=status, usage=usage)
    proc.returncode = os.waitstatus_to_exitcode(result["status"])
    usage = result["usage"]
    print(json.dumps({
        "exit": proc.returncode,
        "wall_s": round(time.monotonic() - start, 3),
        "user_s": round(usage.ru_utime, 3),
        "sys_s": round(usage.ru_stime, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "maxrss_kb": usage.ru_maxrss,
        "timed_out": timed_out,
        "start_epoch": round(start_epoch, 3),
        "end_epoch": round(time.time(), 3),
    }))


def cmd_watch(argv):
    opts, _ = parse(argv)
    pid = int(opts["pid"])
    out = open(opts["samples"], "w") if opts["samples"] else None
    duration = float(opts["duration"]) if opts["duration"] else None
    start_epoch = time.time()
    start = time.monotonic()
    first = read_sample(pid)

    def alive():
        return os.path.exists(f"/proc/{pid}") and (duration is None or time.monotonic() - start <= duration)

    sampler(pid, opts, start, out, alive)
    last = read_sample(pid)
    print(json.dumps({
        "wall_s": round(time.monotonic() - start, 3),
        "cpu_s": round(last[0] - first[0], 3) if first and last else None,
        "start_epoch": round(start_epoch, 3),
        "end_epoch": round(time.time(), 3),
    }))


def cmd_window(argv):
    path, lo, hi = argv[0], float(argv[1]), float(argv[2])
    rows = []
    with open(path) as f:
        for line in f:
            p = line.split("\t")
            t = float(p[0])
            if lo <= t <= hi:
                rows.append((t, float(p[2])))
    if len(rows) < 2:
        print("nan 0")
        return
    span = rows[-1][0] - rows[0][0]
    print(f"{(rows[-1][1] - rows[0][1]) / span:.4f} {span:.2f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    {"run": cmd_run, "watch": cmd_watch, "window": cmd_window}[sys.argv[1]](sys.argv[2:])
