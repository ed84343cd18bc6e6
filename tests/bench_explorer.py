"""Benchmark: how long a toggle of the live triangle explorer takes (``make bench-explorer``).

Not a test: it prints the median and the worst of the callback's own time
(CPU time of this process, so that other work on the machine does not count)
and wall time, over toggles of every side. The widget builds each preset's
eight diagrams ahead (``TriangleExplorer.prewarm``), so a toggle only swaps
one in; a median well under 100 ms keeps the live explorer responsive.
"""
from __future__ import annotations

import statistics
import time

from alliances import data
from alliances.widgets.triangles import TriangleExplorer


def main(rounds: int = 30) -> None:
    explorer = TriangleExplorer(data.load_actor_names())
    cpu, wall = [], []
    for i in range(rounds):
        side = ("ab", "ac", "bc")[i % 3]
        new = "amity" if explorer.sides[side] == "enmity" else "enmity"
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        explorer.set_side(side, new)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    print(f"toggle callback over {rounds} toggles: median {statistics.median(cpu) * 1000:.1f} ms CPU, "
          f"{statistics.median(wall) * 1000:.1f} ms wall; worst {max(wall) * 1000:.1f} ms wall")


if __name__ == "__main__":
    main()
