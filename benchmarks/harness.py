"""Each figure beside its floor, timed in the same process, interleaved, the median kept.

A figure is what the project does (an import, a computation, a page); its floor is the
least any implementation must do for the same result (parse the file and insert the rows
once; read the marks once; answer `/healthz`). The ratio of the two medians is what `make
bench` judges, so a slower or busier machine moves both and the verdict stays readable.
"""

from __future__ import annotations

import gc
import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Figure:
    name: str
    project_s: float
    floor_s: float
    goal: float | None  # the ratio the project must not exceed; None: reported only
    runs: int
    notes: dict[str, Any] = field(default_factory=dict)
    # what else the figure missed besides its ratio (a statement count that changed)
    failures: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> Figure:
        """A figure as Report.as_json wrote it (another process's: run_parts)."""
        return cls(item["name"], item["project_s"], item["floor_s"], item["goal"],
                   item["runs"], item["notes"], item["failures"])

    @property
    def ratio(self) -> float:
        return self.project_s / self.floor_s if self.floor_s else float("inf")

    @property
    def met(self) -> bool:
        return (self.goal is None or self.ratio <= self.goal) and not self.failures

    def line(self) -> str:
        goal = "reported" if self.goal is None else f"goal ≤ {self.goal:g}×"
        verdict = "" if self.met else "  MISSED" + "".join(f" ({f})" for f in self.failures)
        extra = "".join(f", {k} {v}" for k, v in self.notes.items())
        return (f"{self.name}: project {_seconds(self.project_s)}, floor "
                f"{_seconds(self.floor_s)}, ratio {self.ratio:.1f}× ({goal}){extra}{verdict}")


def _seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def timed(call: Callable[[], object]) -> float:
    gc.collect()
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def compare(name: str, project: Callable[[], object], floor: Callable[[], object], *,
            goal: float | None, runs: int = 5, notes: dict[str, Any] | None = None) -> Figure:
    """Run project and floor alternately `runs` times; keep each one's median."""
    project_times, floor_times = [], []
    for _ in range(runs):
        floor_times.append(timed(floor))
        project_times.append(timed(project))
    return Figure(name, statistics.median(project_times), statistics.median(floor_times),
                  goal, runs, dict(notes or {}))


class Report:
    """Collects figures, prints each as it comes and writes them all as JSON."""

    def __init__(self, database: str, scale: float) -> None:
        self.database, self.scale = database, scale
        self.figures: list[Figure] = []
        self.started = datetime.now(UTC)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        print(figure.line(), flush=True)
        return figure

    def missed(self) -> list[Figure]:
        return [f for f in self.figures if not f.met]

    def as_json(self) -> dict[str, Any]:
        return {
            "database": self.database, "scale": self.scale,
            "started": self.started.isoformat(), "machine": platform.platform(),
            "python": platform.python_version(),
            "figures": [{**asdict(f), "ratio": round(f.ratio, 2), "met": f.met}
                        for f in self.figures],
        }

    def write(self) -> Path:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{self.started:%Y%m%dT%H%M%SZ}-{self.database}.json"
        path.write_text(json.dumps(self.as_json(), ensure_ascii=False, indent=2),
                        encoding="utf-8")
        return path
