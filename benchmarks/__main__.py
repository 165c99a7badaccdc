"""Run one workload (or all): `python -m benchmarks <workload|all> --scale smoke [--db sqlite|postgres]`.

Prints progress, then one final line of JSON, also written under var/bench/."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys

from .setup import OUT, SCALES, configure, rss_mb

WORKLOADS = ["audit_overhead", "lists", "lists_tasks", "bom_rollup", "bom_explode", "where_used", "allocation"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("workload", choices=[*WORKLOADS, "all"])
    parser.add_argument("--scale", choices=SCALES, default="smoke")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args(argv)
    configure(scale=args.scale, db=args.db)
    from .generate import PARTS, generate

    names = WORKLOADS if args.workload == "all" else [args.workload]
    modules = {name: importlib.import_module(f"benchmarks.workloads.{name}") for name in names}
    parts = tuple(p for p in PARTS if any(p in getattr(m, "NEEDS", PARTS) for m in modules.values()))
    print(f"generating the {args.scale} world ({', '.join(parts)}) on {args.db} …", file=sys.stderr)
    generate(args.scale, log=lambda line: print(line, file=sys.stderr), parts=parts)
    all_ok = True
    for name, module in modules.items():
        print(f"running {name} …", file=sys.stderr)
        result = module.run(scale=args.scale, log=lambda line: print(line, file=sys.stderr))
        line = {
            "workload": name,
            "scale": args.scale,
            "db": args.db,
            "cores": os.cpu_count(),
            **result,
            "rss_mb": rss_mb(),
        }
        line = {k: line[k] for k in ("workload", "scale", "db", "n", "seconds", "ratio", "rss_mb", "ok", "cores")}
        text = json.dumps(line, ensure_ascii=False)
        (OUT / f"{name}-{args.scale}-{args.db}.json").write_text(text + "\n", encoding="utf-8")
        print(text)
        all_ok &= bool(result["ok"])
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
