"""What a report's incident hit: target words (a convoy, a hospital, a market) and their classes.

Two reports that name targets of different classes are different incidents; fusion compares the classes
of events' reports the same way.
"""

from __future__ import annotations

import re


# Nouns that identify *what* was hit; two reports that name different targets are different incidents.
_TARGETS = re.compile(
    r"\b(convoy|trucks?|warehouse|hospital|clinic|school|market|mosque|church|bakery|camp|checkpoint|"
    r"neighbou?rhoods?|district|village|base|airport|positions?|supply routes?|bridge|power station|"
    r"wedding|funeral|bus|vehicle|car|house|home|residential|Red Crescent|aid)\b"
    # "Hospital officials said", "school staff": who speaks is no target; "car bomb": the weapon, not what it hit.
    r"(?!\s+(?:officials?|director|staff|sources?|spokes(?:man|woman|person)|workers|doctors|authorities|administrators?|chiefs?|heads?)\b)"
    r"(?<!\bcar)(?<!\btruck)(?<!\bvehicle)(?!\s*(?:-\s*)?(?:bombs?|bombers?|bombings?|borne))",
    re.I,
)

# Target words in classes: an aid convoy, its trucks and the Red Crescent staff are one target.
TARGET_CLASSES: dict[str, str] = {
    "convoy": "humanitarian", "truck": "humanitarian", "aid": "humanitarian", "red crescent": "humanitarian",
    "warehouse": "humanitarian", "hospital": "medical", "clinic": "medical", "school": "school",
    "market": "market", "bakery": "market", "mosque": "religious", "church": "religious",
    "neighbourhood": "residential", "neighborhood": "residential", "district": "residential",
    "village": "residential", "house": "residential", "home": "residential", "residential": "residential",
    "base": "military", "checkpoint": "military", "position": "military", "supply route": "military",
    "airport": "military", "bridge": "infrastructure", "power station": "infrastructure",
    "wedding": "gathering", "funeral": "gathering", "bus": "vehicle", "vehicle": "vehicle", "car": "vehicle",
    "camp": "camp",
}


def target_classes(keywords) -> set[str]:
    """The classes of target a report's keywords name."""
    return {TARGET_CLASSES.get(k, k) for k in keywords}


def target_keywords(text: str) -> set[str]:
    """The target words a sentence names, lower-case and singular ("trucks" -> "truck")."""
    return {k.lower().rstrip("s") for k in _TARGETS.findall(text)}
