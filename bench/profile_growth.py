"""Which functions grow faster than the data: ``python -m bench.profile_growth SMALL.pstats LARGE.pstats``.

Reads two cProfile stats files of the same build at two sizes (``bench.split --cprofile``),
and prints the functions with the most own time (``tottime``) and the most time under them
(``cumtime``) in the large build, each with its growth from the small one; ``--data``
is the ratio of the data sizes (pages), so that a function growing faster than the data
is flagged with ``!``.
"""

from __future__ import annotations

import argparse
import pstats
from pathlib import Path

Key = tuple[str, int, str]


def load(path: Path) -> dict[Key, tuple[int, float, float]]:
    """(file, line, function) -> (calls, tottime, cumtime), with short file names."""
    stats = pstats.Stats(str(path))
    table: dict[Key, tuple[int, float, float]] = {}
    for (filename, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        key = (short(filename), line, name)
        previous = table.get(key, (0, 0.0, 0.0))
        table[key] = (previous[0] + calls, previous[1] + tottime, previous[2] + cumtime)
    return table


def short(filename: str) -> str:
    for marker in ("site-packages/", "plugins/", "lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Compare two cProfile runs of one build at two sizes.")
    parser.add_argument("small", type=Path)
    parser.add_argument("large", type=Path)
    parser.add_argument("--data", type=float, required=True, help="large data / small data (pages)")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    small, large = load(args.small), load(args.large)
    total_small = sum(entry[1] for entry in small.values())
    total_large = sum(entry[1] for entry in large.values())
    print(
        f"profiled total: {total_small:.1f} s -> {total_large:.1f} s ({total_large / total_small:.2f}x; data {args.data:.2f}x)"
    )
    for column, title in ((1, "own time (tottime)"), (2, "time under it (cumtime)")):
        print(f"\n== top {args.top} by {title} in the large build; growth; ! = faster than the data ==")
        print(f"{'large s':>8} {'share':>6} {'small s':>8} {'growth':>7} {'calls':>9}  function")
        for key, entry in sorted(large.items(), key=lambda item: -item[1][column])[: args.top]:
            before = small.get(key, (0, 0.0, 0.0))
            growth = entry[column] / before[column] if before[column] else float("inf")
            flag = "!" if growth > args.data * 1.15 else " "
            print(
                f"{entry[column]:>8.2f} {100 * entry[column] / total_large:>5.1f}% {before[column]:>8.2f} "
                f"{growth:>6.2f}{flag} {entry[0]:>9}  {key[2]} ({key[0]}:{key[1]})"
            )


if __name__ == "__main__":
    main()
