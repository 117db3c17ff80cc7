"""What the benchmarks read of a process in /proc: its memory and its context switches."""
import os


def memory(pid):
    """RSS and PSS in MiB (/proc/PID/smaps_rollup)."""
    rss = pss = 0
    for line in open(f"/proc/{pid}/smaps_rollup"):
        if line.startswith("Rss:"):
            rss = int(line.split()[1])
        elif line.startswith("Pss:"):
            pss = int(line.split()[1])
    return rss / 1024, pss / 1024


def context_switches(pid):
    """Voluntary and involuntary context switches of all the process's threads: its wakeups."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        for line in open(f"/proc/{pid}/task/{tid}/status"):
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                total += int(line.split()[1])
    return total
