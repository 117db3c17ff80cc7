#!/usr/bin/env python3
"""Writes a synthetic trace of minute-level computer use for the `simulate` benchmark.

Working days alternate bursts of input and short reading gaps (as an idle source reports them),
with coffee walks, a lunch absence behind a locked screen, occasional snoozes, `done`, `skip`,
a pause, evenings on some days, nights and weekends away, and now and then a suspend/resume.
Deterministic for a given seed, so runs compare.

Usage: generate_trace.py [--days N] [--seed S] OUTPUT
"""

import argparse
import datetime
import random


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = datetime.datetime(2026, 1, 5, tzinfo=datetime.timezone.utc)  # a Monday
    epoch = int(start.timestamp())
    lines = 0

    with open(args.output, "w") as out:
        def emit(t: int, text: str) -> None:
            nonlocal lines
            stamp = datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            out.write(f"{stamp} {text}\n")
            lines += 1

        def sit(t: int, until: int) -> int:
            """Bursts of input with reading gaps until `until`; returns the time of the last input."""
            emit(t, "active")
            while True:
                t += rng.randint(4, 20)  # typing or scrolling
                if t >= until:
                    return t
                emit(t, "idle")
                t += rng.randint(3, 40)  # reading: under idle_threshold
                if t >= until:
                    return t
                emit(t, "active")

        t = epoch
        out.write("# Synthetic year of minute-level activity (Benchmarks/generate_trace.py).\n")
        for day in range(args.days):
            midnight = epoch + day * 86400
            weekday = day % 7
            if weekday >= 5:
                if rng.random() < 0.3:  # a little weekend use
                    t = sit(midnight + 11 * 3600 + rng.randint(0, 3600), midnight + 12 * 3600)
                    emit(t, "idle")
                continue
            t = midnight + 8 * 3600 + rng.randint(0, 40 * 60)
            if rng.random() < 0.15:  # the laptop slept overnight
                emit(t, "suspend")
                t += rng.randint(60, 600)
                emit(t, "resume")
            lunch = midnight + 12 * 3600 + rng.randint(0, 30 * 60)
            evening = midnight + 17 * 3600 + rng.randint(0, 60 * 60)
            while t < evening:
                block_end = min(t + rng.randint(25, 80) * 60, evening)
                if t < lunch <= block_end:
                    block_end = lunch
                t = sit(t, block_end)
                if rng.random() < 0.2:
                    emit(t, "snooze walk")
                if rng.random() < 0.05:
                    emit(t, "done stretch")
                if rng.random() < 0.03:
                    emit(t, "skip posture")
                if rng.random() < 0.02:
                    emit(t, "pause 30m")
                if block_end == lunch:
                    emit(t, "lock")
                    t += rng.randint(30, 60) * 60
                    emit(t, "unlock")
                elif rng.random() < 0.1:
                    emit(t, "suspend")  # a meeting elsewhere
                    t += rng.randint(20, 60) * 60
                    emit(t, "resume")
                else:
                    emit(t, "idle")  # a coffee walk or a chat
                    t += rng.randint(2, 10) * 60
            emit(t, "lock")  # leaving for the day
            if rng.random() < 0.5:  # an evening session
                t = midnight + 20 * 3600 + rng.randint(0, 3600)
                emit(t, "unlock")
                t = sit(t, t + rng.randint(20, 90) * 60)
                emit(t, "idle")
        emit(epoch + args.days * 86400, "end")
    print(f"{args.output}: {lines} lines, {args.days} days")


if __name__ == "__main__":
    main()
