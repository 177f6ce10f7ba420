"""Fusion profiles stored with their reports: computed once when a report is indexed, read back per update.

Linking a report compares its `fusion.evidence.Profile` with those of every stored report in its
blocking window; computing one costs about 16 ms (gazetteer lookups of its place phrases), reading
one back about 0.2 ms. A profile is stored as a pickle of the frozen dataclass (its `profile`
field is a plain tuple of model objects and frozensets that JSON cannot give back equal), read
through an unpickler that builds only sitroom's model and fusion classes, dates and builtin
containers, so a store's contents cannot run code. `VERSION` digests the code that computes a
profile: a profile stored by other code is computed afresh.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import io
import pickle
from pathlib import Path

from sitroom.fusion.evidence import Profile
from sitroom.model import Report
from sitroom.store.base import Store

__all__ = ["VERSION", "dump", "fill", "load", "profile_of"]

# The modules whose code decides a profile's contents.
_SOURCES = ("fusion/evidence.py", "fusion/dates.py", "extract/targets.py", "extract/geo.py", "gazetteer/folding.py", "model.py", "tolls.py")
_BUILTINS = frozenset({"frozenset", "set", "tuple", "list", "dict", "getattr"})


@functools.cache
def version() -> str:
    """A digest of the code that computes profiles (16 hex digits)."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha1()
    for name in _SOURCES:
        h.update(name.encode())
        h.update((root / name).read_bytes())
    return h.hexdigest()[:16]


VERSION = version()


def profile_of(report: Report) -> Profile:
    """The report's profile without duplicate keys (those change as the store grows; fusion adds them)."""
    return Profile.of(report)


def fill(store: Store, batch: int = 2000) -> int:
    """Compute and store the profile of every report stored without one (or by other code); returns how many.

    Updates do this for the reports they read; a store made before profiles were stored can be
    filled at once instead, so that no later update pays for it.
    """
    with store.corpus_session() as session:
        ids = session.reports_without_profile(VERSION)
    for lo in range(0, len(ids), batch):
        with store.corpus_session() as session:
            rows = session.reports(ids[lo : lo + batch])
            session.save_profiles({r.report.id: dump(profile_of(r.report)) for r in rows}, VERSION)
    return len(ids)


def dump(profile: Profile) -> bytes:
    """A profile as stored."""
    return pickle.dumps(profile, protocol=pickle.HIGHEST_PROTOCOL)


def load(blob: bytes) -> Profile:
    """A stored profile back (only sitroom's model classes, dates and builtin containers are built)."""
    out = _Unpickler(io.BytesIO(blob)).load()
    if not isinstance(out, Profile):
        raise pickle.UnpicklingError(f"a stored profile holds a {type(out).__name__}")
    return out


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):  # noqa: ANN201 - pickle's signature
        if module == "builtins" and name in _BUILTINS:
            return super().find_class(module, name)
        if module == "datetime" and name in ("date", "datetime"):
            return super().find_class(module, name)
        if module == "copyreg" and name == "_reconstructor":
            return super().find_class(module, name)
        if module.startswith("sitroom."):
            cls = super().find_class(module, name)
            if isinstance(cls, type) and (dataclasses.is_dataclass(cls) or issubclass(cls, enum.Enum)):
                return cls
        raise pickle.UnpicklingError(f"a stored profile may not build {module}.{name}")
