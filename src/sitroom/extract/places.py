"""Place phrases in sentences, resolved to Locations through the gazetteer with a fallback chain.

Reports place the fighting in villages and neighbourhoods no small gazetteer holds, but they nearly
always say where those are ("Bustan al-Qasr neighborhood of Aleppo", "Big Urem outside of Aleppo",
"in rural Idlib"). When the village itself is unknown we fall back to the parent the text names,
and the Location's precision says how coarse the answer is: a pin on Aleppo city is "city", not
"exact".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from sitroom.extract.us_places import state as _state
from sitroom.extract.us_places import us_county as _us_county
from sitroom.extract.us_places import us_state_code
from sitroom.gazetteer.folding import fold, simple
from sitroom.gazetteer.index import Gazetteer
from sitroom.model import Location

# A child must lie this close to the parent the text names, or it is a namesake elsewhere.
CHILD_MAX_KM = 60.0
# ... or this close to the middle of the district the text names ("Gargaboule (Pobe-Mengao, Soum)").
AREA_CHILD_KM = 120.0

_ARTICLE = r"(?:al|el|ez|ed|es|ad|ar|as|az|ash|an|at|ul|bin|ibn|abu|bani|beni)"
_WORD = rf"(?:{_ARTICLE}[-\s])?[A-Z][\w'’]*(?:-[\w'’]+)*"
_ARTICLE_START = re.compile(rf"^{_ARTICLE}[-\s][A-Z]")  # "al-Bukamal": a name, for all its lower-case start
NAME = rf"{_WORD}(?:\s+{_WORD}){{0,4}}"
_KINDS = (r"(?:neighbou?rhood|district|sub-?district|quarter|suburb|area|village(?:\s+tract)?|town(?:ship)?|ward|camp|city|"
          r"constituency|sub-?county|commune|municipality|locality|tehsil|upazila|front|frontline|axis|island)")
_DIRECTION = r"(?:(?:north|south)(?:east|west)?|east|west)(?:ern)?"
_ADMIN_WORDS = r"(?:province|governorate|countryside|region|oblast|state|sub-?county|county|department|division)"
_QUALIFIERS = r"(?:rural|eastern|western|northern|southern|central|east|west|north|south|besieged|rebel-held)"

_CHILD_OF = re.compile(rf"^(?P<child>.+?)\s+{_KINDS}\s+(?:of|in)\s+(?P<parent>.+)$", re.I)
_CHILD_NEAR = re.compile(
    rf"^(?P<child>.+?),?\s+(?:just\s+)?(?:outside(?:\s+of)?|near|on the outskirts of|(?:\d+\s*km\s+)?{_DIRECTION}\s+of|in)\s+(?P<parent>.+)$",
    re.I,
)
_PARENT_ONLY = re.compile(rf"^(?:near|outside(?:\s+of)?|around|in|at|the outskirts of|{_DIRECTION} of)\s+(?P<parent>.+)$", re.I)
_BRACKETED = re.compile(rf"^(?P<child>[^()]+?)(?:\s+{_KINDS})?\s*\((?P<parents>[^()]+)\)$", re.I)
_ADMIN_BEFORE = re.compile(rf"^(?:the\s+)?(?:rural|countryside of|province of|governorate of)\s+(?P<admin>.+)$", re.I)
_ADMIN_AFTER = re.compile(rf"^(?:the\s+)?(?P<admin>.+?)(?:'s|’s)?\s+{_ADMIN_WORDS}$", re.I)
_QUALIFIED = re.compile(rf"^(?:the\s+)?{_QUALIFIERS}\s+(?P<parent>.+)$", re.I)
# "Dagon Myothit (North)", "Kitui East", "Bomet Central": a compass part of a named area, not a parent abroad.
_COMPASS = r"(?:north|south|east|west|central|upper|lower)(?:[\s-]?(?:east|west))?"
_COMPASS_BRACKET = re.compile(rf"^(?P<name>[^()]+?)\s*\((?P<part>{_COMPASS})\)(?:\s+(?P<kind>{_KINDS}|{_ADMIN_WORDS}))?$", re.I)
_COMPASS_AFTER = re.compile(rf"^(?P<name>[A-Z].*?)\s+(?P<part>{_COMPASS})$", re.I)
# The same part inside a longer name: "Hlaingtharya-East Township", "Dagon Myothit (North) township".
_COMPASS_INSIDE = re.compile(rf"(?:-|\s+\(|\s+)(?:{_COMPASS})\)?(?=\s+{_KINDS}\b|\s+{_ADMIN_WORDS}\b|$)", re.I)
_PLAIN_KIND = re.compile(rf"^(?:the\s+)?(?P<name>.+?)\s+{_KINDS}$", re.I)
# "Taunggyi town", "Hpapun township", "Kossi province": the word after a name says which of its
# namesakes is meant (the town before a district of its name; the province before a hamlet).
_KIND_AFTER = re.compile(rf"^(?:the\s+)?(?P<name>.+?)\s+(?P<kind>{_KINDS}|{_ADMIN_WORDS})$", re.I)
_SETTLEMENT_WORDS = frozenset("town city village township ward neighbourhood neighborhood quarter suburb camp locality".split())
_PROVINCE_WORDS = frozenset("province governorate region oblast state".split())
# "Carlton, Georgia", "Louisville, Ky.", "Pandi, Bulacan": a town, then the province or country it is in.
_COMMA = re.compile(r"^(?P<child>[^,()]+?),\s*(?P<parent>[^,()]+)$")

# Capitalised words that start sentences or name times, not places.
NOT_PLACES = frozenset(
    "The A An This That These Those It He She They We I His Her Their Its Our "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
    "July August September October November December Mr Mrs Ms Dr President Minister Secretary "
    "Easter Christmas Ramadan Eid Passover Hanukkah Diwali Lent No".split()
)
# World regions the index has no area for: a town that bears the name ("Middle East", Maryland)
# is never what a story means by it.
REGIONS = frozenset(
    "middle east|near east|far east|horn of africa|sahel|maghreb|levant|balkans|caucasus|persian gulf|arabian peninsula|"
    "central asia|southeast asia|south east asia|south asia|east africa|west africa|north africa|southern africa|"
    "sub saharan africa|latin america|central america|caribbean|scandinavia|americas|the americas|the west|"
    "western europe|eastern europe|northern europe|southern europe|central europe|asia pacific".split("|")
)

_ROAD = re.compile(r"^(?P<axis>axis\s+)?(?P<a>[A-Z][^-]*?)-(?P<b>[A-Z][^-]*?)(?P<kind>\s+(?:road|highway|axis|route|border|corridor))?$", re.I)
# "the Kenyan capital", "Burkina Faso's capital", "the capital of Yemen", "in the capital": the country's capital city.
_CAPITAL = re.compile(r"^(?:the\s+)?(?:(?P<of>.+?)(?:'s|’s)?\s+capital(?:\s+city)?|capital(?:\s+city)?(?:\s+of\s+(?P<country>.+))?)$", re.I)

def _clean(name: str) -> str:
    name = re.sub(r"\s+", " ", name)
    # Keep a balanced "(parents)" at the end: it says where the place is.
    name = name.strip(" \t\n,.;:\"'“”") if name.count("(") == name.count(")") and name.rstrip().endswith(")") and "(" in name else name.strip(" \t\n,.;:()\"'“”")
    return re.sub(r"^the\s+", "", name, flags=re.I)


def _loc_point(loc: Location) -> tuple[float, float] | None:
    return (loc.lat, loc.lon) if loc.lat is not None and loc.lon is not None else None


def resolve_place(
    name: str,
    *,
    countries: Sequence[str] = (),
    near: tuple[float, float] | None = None,
    gazetteer: Gazetteer | None = None,
    admin1s: Sequence[tuple[str, str]] = (),
) -> Location | None:
    """Resolve a place phrase to a Location; an unknown village falls back to the parent the text names.

    A people's name resolves to its country ("Syrian" -> Syria), a US state's abbreviation to the
    state ("Ky."); `admin1s` are the (country, code) provinces the article is about.
    """
    g = gazetteer or Gazetteer.default()
    code = us_state_code(name)  # before cleaning: "Ky." loses its full stop there
    if code:
        return _state(code, g)
    return _resolve(_clean(name), tuple(countries), near, g, depth=0, admin1s=tuple(admin1s))


def _resolve(
    name: str, countries: tuple[str, ...], near: tuple[float, float] | None, g: Gazetteer, depth: int,
    admin1s: tuple[tuple[str, str], ...] = (), prefer: str | None = None,
) -> Location | None:
    if not name or depth > 3 or simple(name) in REGIONS or name in NOT_PLACES:
        return None
    code = us_state_code(name)
    if code:
        return _state(code, g)
    m = _CAPITAL.match(name)
    if m:
        # A capital named by its country, or by the article's country alone; never a town called "Capital".
        named = m["of"] or m["country"]
        iso = g.country_of(named) if named else (countries[0] if countries else None)
        if iso:
            return g.capital_place(iso)
        # "the capital city of Socotra": a province's seat the index cannot tell, so the province.
        return _resolve(_clean(named), countries, near, g, depth + 1, admin1s) if named else None
    m = _ROAD.match(name)
    if m and (m["axis"] or m["kind"]) and m["a"][:1].isupper() and m["b"][:1].isupper():
        # A road, axis or border between two places: the first of them the index knows (ACLED's convention too).
        return _resolve(m["a"], countries, near, g, depth + 1, admin1s) or _resolve(m["b"], countries, near, g, depth + 1, admin1s)
    if name.count("(") > 1:
        name = re.sub(rf"\s*\(({_COMPASS})\)", r" \1", name, count=1, flags=re.I)  # "X (North) township (Y)": one bracket
    m = _COMPASS_BRACKET.match(name)
    if m:
        # The part as one name ("North Dagon Myothit"), else the whole area it is part of.
        return _compass_part(m["name"].strip(), m["part"], countries, near, g, depth, admin1s)
    m = _BRACKETED.match(name)
    if m:
        # "Konna (Kombori, Kossi)": the most specific parent the gazetteer knows, then the child in it.
        parents = [_clean(p) for p in m["parents"].split(",") if _clean(p)]
        child = _clean(m["child"])
        return _chain(child, parents, chain_countries([child, *parents], countries, g), near, g, depth, admin1s, listed=False)
    parts = [_clean(p) for p in name.split(",")] if "(" not in name else []
    if len(parts) > 2 and all(parts):
        # "Watamu, Dabaso, Kilifi": the same chain, written with commas.
        return _chain(parts[0], parts[1:], chain_countries(parts, countries, g), near, g, depth, admin1s, listed=True)
    m = _COMMA.match(name)
    if m:
        chained = chain_countries([m["child"], m["parent"]], countries, g)
        if chained != countries:
            countries, admin1s = chained, ()
        # The text says the town is in that province or country: the province, if not the town.
        framed_child, framed_parent = _framed(_clean(m["child"]), _clean(m["parent"]), countries, near, g, depth, admin1s)
        if framed_child or framed_parent:
            return framed_child or framed_parent
    county = _us_county(name, countries, admin1s, g)
    if county is not None:
        return county
    m = _KIND_AFTER.match(name)
    if m and prefer is None and not (_CHILD_OF.match(name) or _CHILD_NEAR.match(name)) and not g.candidates(name, fuzzy=False):
        # The bare name, read as the kind of place the word says; never a look-alike of the whole phrase.
        kind_loc = _resolve(_clean(m["name"]), countries, near, g, depth + 1, admin1s, prefer=_kind_preference(m["kind"]))
        if kind_loc is not None:
            return kind_loc
    loc = g.lookup(name, countries=countries, near=near, admin1s=admin1s, prefer=prefer)
    iso = g.country_of(name)
    own_province = loc is not None and loc.precision == "admin1" and (
        (loc.country in countries and loc.country != iso) or (loc.country == iso and simple(loc.name) == simple(name)))
    if iso and not own_province:
        # "Syrians", "Russian", "Syria": the country, at its centroid (a province of the story's
        # own country that shares the name wins: "Georgia" in a story about the United States).
        return g.country_place(iso) or loc
    if loc is not None:
        return loc
    for pattern in (_CHILD_OF, _CHILD_NEAR):
        m = pattern.match(name)
        if m:
            parent = _resolve(_clean(m["parent"]), countries, near, g, depth + 1, admin1s)
            if parent is None and pattern is _CHILD_OF:
                # "Macalder town in Nyatike district", a district the index lacks: the town, read on its own.
                return _resolve(_clean(m["child"]), countries, near, g, depth + 1, admin1s)
            if parent is None:
                continue
            inside = _child(_clean(m["child"]), parent, g)
            return inside or parent
    m = _ADMIN_BEFORE.match(name) or _ADMIN_AFTER.match(name)
    if m:
        admin = _clean(m["admin"])
        loc = g.lookup(admin, countries=countries, near=near, prefer="admin1", admin1s=admin1s)
        if loc is not None:
            return loc
        return _resolve(admin, countries, near, g, depth + 1, admin1s)
    for pattern, group in ((_PARENT_ONLY, "parent"), (_QUALIFIED, "parent"), (_PLAIN_KIND, "name")):
        m = pattern.match(name)
        if m:
            return _resolve(_clean(m[group]), countries, near, g, depth + 1, admin1s)
    m = _COMPASS_AFTER.match(name)
    if m and " " in name:
        return _compass_part(m["name"], m["part"], countries, near, g, depth, admin1s)
    return None


def _parent_preference(name: str) -> str:
    """What a parent of a chain is read as: what its kind word says ("Mandalay region": the province), else an area."""
    m = _KIND_AFTER.match(name)
    return _kind_preference(m["kind"]) if m and _kind_preference(m["kind"]) != "settlement" else "area"


def _kind_preference(word: str) -> str:
    """Which feature a kind word steers the lookup to: a settlement, a province, or any district-like area."""
    word = word.lower().replace("-", "")
    if word in _SETTLEMENT_WORDS:
        return "settlement"
    return "admin1" if word in _PROVINCE_WORDS else "area"


def _compass_part(
    name: str, part: str, countries: tuple[str, ...], near: tuple[float, float] | None, g: Gazetteer, depth: int,
    admin1s: tuple[tuple[str, str], ...],
) -> Location | None:
    """A compass part of an area ("Dagon Myothit (North)", "Kitui East"): as one name if the index has it, else the area."""
    for whole in (f"{part.title()} {name}", f"{name} {part.title()}"):
        loc = g.lookup(whole, countries=countries, near=near, admin1s=admin1s)
        if loc is not None and (not countries or loc.country in countries):
            return loc
    return _resolve(name, countries, near, g, depth + 1, admin1s)


# How much a part of a chain spelt so in a country votes for it: the primary spelling most, a
# folded look-alike ("Kosi" for Kossi) least, so that look-alikes abroad do not tie the real country.
_SPELLING_WEIGHT = {3: 1.0, 2: 0.75, 1: 0.25, 0: 0.0}


def chain_countries(parts: Sequence[str], countries: tuple[str, ...], g: Gazetteer) -> tuple[str, ...]:
    """The country a chain of names lies in ("Mansila (Mansila, Yagha)" in Burkina Faso), else `countries`.

    A village, its commune and its province each have namesakes abroad; the country where most
    of them have a place of that spelling is the one the chain means, when it is clear: at least
    two of the parts, and more weight than any other country has (the article's countries win a tie).
    """
    votes: dict[str, float] = {}
    hits: Counter[str] = Counter()
    for i, part in enumerate(parts):
        part = bare_name(_clean(part))
        best: dict[str, float] = {}
        for c in g._exact(part) if part else ():  # noqa: SLF001 - the spelling tiers weigh the votes
            # A parent that is a district or a district's seat there, not a hamlet of its name, counts more.
            area = i > 0 and c.tier >= 2 and (c.kind == "admin1" or (c.feature or "").startswith(("ADM", "PPLA")))
            if c.country:
                best[c.country] = max(best.get(c.country, 0.0), _SPELLING_WEIGHT[c.tier] + (0.5 if area else 0.0))
        hits.update(best)
        for country, weight in best.items():
            votes[country] = votes.get(country, 0.0) + weight
    if not votes:
        return countries
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    top, n = ranked[0]
    if hits[top] < 2 or any(c in countries and k == n for c, k in ranked):
        return countries
    if len(ranked) > 1 and ranked[1][1] == n:
        return countries
    return (top,)


def _chain(
    child: str, parents: list[str], countries: tuple[str, ...], near: tuple[float, float] | None, g: Gazetteer,
    depth: int, admin1s: tuple[tuple[str, str], ...], *, listed: bool,
) -> Location | None:
    """A place inside its parents (outermost last): the most specific of them the gazetteer knows.

    With commas (`listed`) the names may be a list instead ("in Nairobi, Mombasa, Kisumu"): where
    the child is not inside the parents' reading, it stands on its own.
    """
    if any(c not in countries for c, _ in admin1s):
        admin1s = tuple(a for a in admin1s if a[0] in countries)
    parent, nested = None, True
    outer: list[Location] = []  # the parents read so far, outermost first
    for p in reversed(parents):
        inner = _inside_any(p, outer, g, listed) if parent else (
            g.lookup(bare_name(p), countries=countries, near=near, prefer=_parent_preference(p), admin1s=admin1s) if countries else None
        ) or _resolve(p, countries, near, g, depth + 1, admin1s)
        nested = nested and (inner is not None or parent is None)
        if inner is not None:
            parent = inner
            outer.append(inner)
    if parent is None:
        return _resolve(child, countries, near, g, depth + 1, admin1s)
    found = _inside_any(child, outer, g, listed)
    if found is None and listed and (not nested or parent.precision in ("exact", "city")):
        found = _resolve(child, countries, near, g, depth + 1, admin1s)
    return found or parent


def _inside_any(name: str, outer: list[Location], g: Gazetteer, listed: bool) -> Location | None:
    """The place inside the innermost parent; in brackets, else inside an outer one ("Mogoke town (Mogoke
    township, Pyinoolwin district, Mandalay region)": Mogoke lies in Mandalay, if not by Pyinoolwin's middle)."""
    for parent in reversed(outer[-1:] if listed else outer):
        found = _within(name, parent, g)
        if found is not None:
            return found
    return None


def _within(name: str, parent: Location, g: Gazetteer) -> Location | None:
    """`_child`, also by the bare name of a "Namtu Township" or "Kyaukme District"."""
    found = _child(name, parent, g)
    if found is None and bare_name(name) != name:
        found = _child(bare_name(name), parent, g)
    whole = _COMPASS_INSIDE.sub("", name)
    if found is None and whole != name and " " in whole.strip() or (found is None and whole != name and len(whole) >= 4):
        found = _within(whole, parent, g)  # "Hlaingtharya-East Township" is part of Hlaingtharya
    nested = _CHILD_OF.match(name)
    # "Kani town, Kani township", "Myothit town of Myothit township": the first of the names the parent holds.
    parts = [_clean(p) for p in name.split(",")] if "," in name else [_clean(nested["child"]), _clean(nested["parent"])] if nested else []
    for part in parts:
        if found is None and part and part != name:
            found = _within(part, parent, g)
    return found


def bare_name(name: str) -> str:
    """A name without its kind or admin word: "Namtu Township" -> "Namtu", "Kachin State" -> "Kachin"."""
    return _PLAIN_KIND.sub(r"\g<name>", _ADMIN_AFTER.sub(r"\g<admin>", name))


_FRAME_GAP = re.compile(r"^\s*(?:,|\(|\bin\b)\s*$")
_AFTER_COMMA = re.compile(r",\s*([A-Z][A-Za-z]*\.?(?:\s?[A-Z][a-z]*\.)?)")


def frame_after(text: str, end: int, following: Sequence[tuple[int, int, str]]) -> str | None:
    """The place a mention ending at `end` is framed in: "Carlton, Georgia", "Qaatabah (Ad Dali)", "Kafr in Idlib".

    `following` are the next mentions (start, end, text); a US state's abbreviation after a comma
    counts even when no mention covers it ("Louisville, Ky.").
    """
    if following:
        start, _, name = following[0]
        if start >= end and _FRAME_GAP.match(text[end:start]):
            return name
    m = _AFTER_COMMA.match(text, end)
    if m and us_state_code(m[1], postal=True):
        return m[1]
    return None


def resolve_framed(
    name: str,
    *,
    countries: Sequence[str] = (),
    admin1s: Sequence[tuple[str, str]] = (),
    within: str | None = None,
    placed: Sequence[Location] = (),
    gazetteer: Gazetteer | None = None,
) -> tuple[Location | None, Location | None]:
    """Resolve one mention of an article: inside the place that frames it, else in the article's context.

    Gives (the place, the reading of `within` the mention was found in: None if the frame did not
    hold). `countries` and `admin1s` are what the article is about (most named first); `within`
    the place after it in an "X, Y" frame; `placed` the article's mentions already resolved.
    Two names side by side are a frame when the second is a province or country and the first a
    town ("Pandi, Bulacan", "Carlton, Georgia"), not when both are provinces ("Texas, Queensland").
    """
    g = gazetteer or Gazetteer.default()
    countries, admin1s = tuple(countries), tuple(admin1s)
    code = us_state_code(name)
    if code:
        return _state(code, g), None
    name = _clean(name)
    own = None
    if within:
        child, parent = _framed(name, _frame_name(within), countries, None, g, 0, admin1s)
        if parent is not None and parent.precision in ("admin1", "country"):
            if child is None and parent.precision == "admin1" and parent.country == "US":
                # "Jefferson County, Ky.": the county of that state, not a namesake elsewhere.
                code = g.admin1_code(parent)
                child = _us_county(name, ("US",), (("US", code),), g) if code else None
            if child is not None:
                return child, parent
            own = _resolve(name, countries, None, g, 0, admin1s)
            if own is None or own.precision in ("exact", "city"):
                # A town the gazetteer lacks there ("Carlton, Georgia"): the province or country the
                # text puts it in. A province or country before a comma is a list, not a frame.
                return parent, parent
            return own, None
    return own or _resolve(name, countries, None, g, 0, admin1s), None


def framed(
    child: str, parent: str, *, countries: Sequence[str] = (), admin1s: Sequence[tuple[str, str]] = (),
    gazetteer: Gazetteer | None = None,
) -> tuple[Location | None, Location | None]:
    """"X, Y": X inside the reading of Y that contains it, and that reading; else (None, Y's likeliest reading)."""
    g = gazetteer or Gazetteer.default()
    return _framed(_clean(child), _frame_name(parent), tuple(countries), None, g, 0, tuple(admin1s))


def _frame_name(parent: str) -> str:
    """The frame's name as `_framed` reads it: a state's AP abbreviation keeps its full stop ("Ky.", "W.Va.")."""
    return parent.strip() if us_state_code(parent.strip()) else _clean(parent)


def _framed(
    child: str, parent: str, countries: tuple[str, ...], near: tuple[float, float] | None, g: Gazetteer, depth: int,
    admin1s: tuple[tuple[str, str], ...],
) -> tuple[Location | None, Location | None]:
    code = us_state_code(parent, postal=True)
    readings = [_state(code, g)] if code else []
    # A province (or US state) first: "Carlton, Georgia" is in the state before the country.
    readings += [g.lookup(parent, countries=countries, near=near, prefer="admin1", admin1s=admin1s),
                 _resolve(parent, countries, near, g, depth + 1, admin1s)]
    if not code:
        readings.append(g.lookup(parent, prefer="admin1"))  # a province abroad ("Queensland")
    seen, parents = set(), []
    for loc in readings:
        if loc is not None and loc.precision != "exact" and (loc.geonames_id, loc.name, loc.country) not in seen:
            seen.add((loc.geonames_id, loc.name, loc.country))
            parents.append(loc)
    if not child[:1].isupper():
        return None, parents[0] if parents else None
    for loc in parents:
        found = _child(child, loc, g)
        if found is not None:
            return found, loc
    return None, parents[0] if parents else None


def _child(name: str, parent: Location, g: Gazetteer) -> Location | None:
    """The child place if the gazetteer knows it inside or close to its parent, else None."""
    if not name or (name[:1].islower() and not _ARTICLE_START.match(name)):
        return None
    point = _loc_point(parent)
    scope = (parent.country,) if parent.country else ()
    if parent.precision in ("admin1", "country"):
        code = g.admin1_code(parent) if parent.precision == "admin1" else None
        loc = g.lookup(name, countries=scope, admin1s=((parent.country, code),) if code and parent.country else ())
        if loc is None or loc.country != parent.country or loc.precision == "country":
            return None
        if parent.precision == "admin1" and loc.admin1 != parent.admin1:
            return None  # a namesake in another province
        return loc
    if point is None:
        return None
    # A province's namesake seat stands for the province ("al-Bukamal in Deir ez-Zor"): the child
    # may lie anywhere in it. Of several places of the name, the one nearest the parent.
    code = g.admin1_code(parent) if parent.admin1 and fold(parent.admin1) == fold(parent.name) else None
    reach = AREA_CHILD_KM if (parent.feature or "").startswith("ADM") else CHILD_MAX_KM
    loc = g.nearest(name, point, countries=scope, max_km=reach, admin1=(parent.country, code) if code and parent.country else None)
    if loc is not None and (loc.name, loc.lat, loc.lon) == (parent.name, parent.lat, parent.lon):
        # The district itself ("Taunggyi town" in Taunggyi District): the town of its name, if the index has one.
        loc = g.nearest(name, point, countries=scope, max_km=reach, settlements_only=True) or loc
    if loc is None or loc.country != parent.country or loc.precision == "country":
        return None  # a namesake elsewhere in the country, not the place the text means
    return loc
