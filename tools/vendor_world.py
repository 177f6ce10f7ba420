"""Derive the world map's light country outlines from the vendored world-atlas `countries-50m.json`.

The UI draws every country on each map it opens. Natural Earth's 1:50m outlines hold about 100,000
points, and projecting them took ~0.5 s per map in Chromium on a busy laptop; simplified to ~5 km
(Douglas-Peucker, arc ends kept so neighbouring countries still share borders, as
tools/vendor_admin1.py does) they stay within a pixel or two up to zoom 5, where province outlines take over.

    .venv/bin/python tools/vendor_world.py

writes `src/sitroom/web/static/vendor/world-atlas/countries-light.json` (same ids and names).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vendor_admin1 import slim

ATLAS = Path(__file__).resolve().parent.parent / "src" / "sitroom" / "web" / "static" / "vendor" / "world-atlas"
TOLERANCE_DEG = 0.05


def main() -> int:
    topo = json.loads((ATLAS / "countries-50m.json").read_text())
    light = slim({"type": "Topology", "transform": topo.get("transform"), "arcs": topo["arcs"],
                  "objects": {"countries": topo["objects"]["countries"]}} if "transform" in topo else topo, TOLERANCE_DEG)
    light["objects"] = {"countries": light["objects"].pop("admin1")}
    out = ATLAS / "countries-light.json"
    out.write_text(json.dumps(light, separators=(",", ":")))
    points = sum(len(a) for a in light["arcs"])
    print(f"{out}: {len(light['objects']['countries']['geometries'])} countries, {points} points, {out.stat().st_size // 1000} kB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
