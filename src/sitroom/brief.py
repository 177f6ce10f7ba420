"""The situation brief: a report an analyst can send as is, in Markdown or standalone HTML.

It lists events by date (place, type, actors, casualty figures with their ranges and who claims
each figure), the contradictions between sources, the state of each ceasefire with the violations
each party alleges, and the sources cited, numbered; in HTML every citation links to its entry in
the sources, and each entry to the original article (http/https links only).

Two kinds of window:

- `since` (`sitroom brief --since 24h`): by **arrival**. The brief says what changed in the record
  while those reports came in (see whats_new.py): a top line of three to five cited sentences, then
  new events, events whose figures or place changed (before -> after), new contradictions, ceasefire
  changes and grown stories. Its header names that window, and it lists exactly what falls in it.
- `days`: by **event date**, counted back from the brief's "as of" date, the newest event date in
  the selection (or `as_of` when given): a brief of an archive reads like the brief of that day.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from sitroom.export import country_name, sub_type_label, type_label
from sitroom.model import ceasefire_status
from sitroom.sources import claim_positions, safe_url
from sitroom.store.base import EventQuery, Store
from sitroom.whats_new import (
    Changes,
    RecordDelta,
    headline,
    what_changed,
)



@dataclass
class _Citations:
    """Numbers the articles cited, in order of first citation."""

    store: Store
    numbers: dict[str, int] = field(default_factory=dict)

    def cite(self, article_id: str) -> int:
        if article_id not in self.numbers:
            self.numbers[article_id] = len(self.numbers) + 1
        return self.numbers[article_id]

    def listing(self) -> list[tuple[int, str, dict | None]]:
        return [(n, aid, self.store.get_article(aid)) for aid, n in self.numbers.items()]


def _figure(fig: dict | None) -> str | None:
    """`62 (range 62–90)` for a fused figure, or None when nothing was reported."""
    if not fig or fig.get("best") is None:
        return None
    best, low, high = fig.get("best"), fig.get("low"), fig.get("high")
    if high is not None and low is not None and low != high:
        return f"{best} (reports range {low}–{high})"
    if high is None and low is not None and low != best:
        return f"{best} (at least {low})"
    return str(best)


def _claim_text(claim: dict) -> str:
    """`at least 62, per Russia's military` for one claim."""
    value = claim.get("text") or " ".join(x for x in (claim.get("qualifier"), str(claim["value"])) if x)
    if claim.get("high") is not None and not claim.get("text"):
        value = f"{claim.get('low', claim['value'])}–{claim['high']}"
    who = claim.get("attributed_to")
    return f"{value}, per {who}" if who else f"{value}, unattributed"


def _place(event: dict) -> str:
    loc = event.get("location") or {}
    if not loc:
        return "place not reported"
    parts = [loc.get("name")]
    if loc.get("admin1") and loc.get("admin1") != loc.get("name"):
        parts.append(loc["admin1"])
    if loc.get("country"):
        parts.append(country_name(loc["country"]))
    return ", ".join(p for p in parts if p)


def _actors(event: dict) -> str | None:
    by_role: dict[str, list[str]] = {}
    for actor in event.get("actors") or ():
        by_role.setdefault(actor.get("role", "actor1"), []).append(actor["name"])
    side1 = by_role.get("actor1", []) + by_role.get("assoc_actor_1", [])
    side2 = by_role.get("actor2", []) + by_role.get("assoc_actor_2", [])
    if not side1 and not side2:
        return None
    if side1 and side2:
        return f"{', '.join(side1)} against {', '.join(side2)}"
    return ", ".join(side1 or side2)


@dataclass
class _Doc:
    """A tiny document builder with one Markdown and one HTML rendering.

    Citations are written as `ref(n)` tokens inside text and become `[n]` (Markdown) or a link to
    source n (HTML) after the text is escaped; the token holds a random key, so no article text can
    forge one.
    """

    fmt: Literal["md", "html"]
    parts: list[str] = field(default_factory=list)
    key: str = field(default_factory=lambda: secrets.token_hex(6))

    def ref(self, n: int) -> str:
        return f"\u27e6{self.key}:{n}\u27e7"

    def esc(self, text: str) -> str:
        # Markdown passes raw HTML through, so article-borne angle brackets are backslash-escaped there.
        if self.fmt == "html":
            out = html.escape(text, quote=True)
        else:
            out = text.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>")
        return self._links(out)

    def _links(self, text: str) -> str:
        import re

        def one(m: re.Match) -> str:
            n = m.group(1)
            return f'<a href="#src-{n}" class="cite">[{n}]</a>' if self.fmt == "html" else f"[{n}]"

        return re.sub("\u27e6" + self.key + r":(\d+)\u27e7", one, text)

    def heading(self, level: int, text: str) -> None:
        if self.fmt == "md":
            self.parts.append(f"{'#' * level} {self.esc(text)}\n")
        else:
            self.parts.append(f"<h{level}>{self.esc(text)}</h{level}>")

    def meta(self, text: str) -> None:
        self.parts.append(f"_{self.esc(text)}_\n" if self.fmt == "md" else f'<p class="meta">{self.esc(text)}</p>')

    def para(self, text: str) -> None:
        self.parts.append(f"{self.esc(text)}\n" if self.fmt == "md" else f"<p>{self.esc(text)}</p>")

    def items(self, rows: Iterable[tuple[str, list[str]]]) -> None:
        """Bullets, each with optional sub-bullets."""
        if self.fmt == "md":
            for head, subs in rows:
                self.parts.append(f"- {self.esc(head)}")
                self.parts.extend(f"  - {self.esc(s)}" for s in subs)
            self.parts.append("")
            return
        out = ["<ul>"]
        for head, subs in rows:
            inner = "".join(f"<li>{self.esc(s)}</li>" for s in subs)
            out.append(f"<li>{self.esc(head)}" + (f"<ul>{inner}</ul>" if subs else "") + "</li>")
        out.append("</ul>")
        self.parts.append("".join(out))

    def render(self, title: str) -> str:
        if self.fmt == "md":
            return "\n".join(self.parts).rstrip() + "\n"
        return (
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_BRIEF_CSS}</style></head><body>"
            + "\n".join(self.parts)
            + "</body></html>\n"
        )


_BRIEF_CSS = (
    "body{font:14px/1.45 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;max-width:52em;margin:2em auto;"
    "color:#1b1f24;padding:0 1em}h1{font-size:1.5em;border-bottom:2px solid #1b1f24;padding-bottom:.2em}"
    "h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccd}h3{font-size:1em;margin-bottom:.2em}"
    "ul{padding-left:1.3em}li{margin:.15em 0}p.meta{color:#555}ol.sources{padding-left:0;list-style:none}"
    "a.cite{text-decoration:none;font-size:.85em}li:target{background:#fff3c4}.id{color:#777;font-size:.85em}"
)


def make_brief(
    store: Store,
    since: timedelta | None = None,
    story_id: str | None = None,
    fmt: Literal["md", "html"] = "md",
    *,
    days: timedelta | None = None,
    as_of: date | None = None,
    now: datetime | None = None,
) -> str:
    """A situation brief over the store (one story, or all).

    `since`: what changed while the reports of that window of *arrival* came in (before `now`).
    `days`: the events of that window of *event dates*, back from `as_of` or the newest event.
    Neither: every event.
    """
    if fmt not in ("md", "html"):
        raise ValueError(f"unknown brief format {fmt!r}: use 'md' or 'html'")
    story = store.get_story(story_id) if story_id else None
    cites = _Citations(store)
    doc = _Doc(fmt)
    title = f"Situation brief: {story['title']}" if story else "Situation brief"
    doc.heading(1, title)
    if since is not None:
        changes = what_changed(store, since, now=now, story_id=story_id)
        events = _changed_section(doc, cites, changes)
    else:
        events = list(store.iter_events(EventQuery(story_id=story_id)))
        dated = [e["date"] for e in events if e.get("date")]
        end = as_of or (date.fromisoformat(max(dated)) if dated else None)
        start = end - days if days is not None and end is not None else None
        if start is not None and end is not None:
            events = [e for e in events if e.get("date") and start < date.fromisoformat(e["date"]) <= end]
        window = f"events dated {start.isoformat()} to {end.isoformat()}" if start and end else "all dates"
        n_articles = len({a for e in events for a in _article_ids(e)})
        doc.meta(f"As of {end.isoformat() if end else 'undated'} · window: {window} · {len(events)} events from {n_articles} articles")
        if story and story.get("summary"):
            doc.heading(2, "Summary")
            doc.items([(item["sentence"] + " " + "".join(doc.ref(cites.cite(x["article_id"])) for x in item.get("sources") or ()), [])
                       for item in story["summary"]])
        doc.heading(2, "Events")
        if not events:
            doc.para("No events in this window.")
        by_day: dict[str | None, list[dict]] = {}
        for event in events:
            by_day.setdefault(event.get("date"), []).append(event)
        for day in sorted(by_day, key=lambda d: (d is None, d or "")):
            doc.heading(3, day or "Date not reported")
            doc.items([_event_row(doc, cites, e) for e in by_day[day]])
    _contradictions_section(doc, cites, events)
    _ceasefire_section(doc, cites, store, story, events)
    _sources_section(doc, cites)
    return doc.render(title)


def _article_ids(event: dict) -> list[str]:
    return event.get("article_ids") or [s["article_id"] for s in event.get("sources") or ()]


def _event_row(doc: _Doc, cites: _Citations, e: dict, changed: str | None = None) -> tuple[str, list[str]]:
    """One event as a bullet: kind, place, date precision; actors, figures with claimants, summary, sources."""
    head = f"{sub_type_label(e.get('sub_event_type'))} ({type_label(e.get('event_type'))}) in {_place(e)}"
    if e.get("date_precision") and e["date_precision"] != "day":
        head += f" (date known to the {e['date_precision']})"
    subs = [changed] if changed else []
    if actors := _actors(e):
        subs.append(f"Actors: {actors}")
    for label, key in (("Fatalities", "fatalities"), ("Injured", "injured")):
        figure = _figure(e.get(key))
        if figure is None:
            continue
        claims = [c for c in e.get("claims") or () if c.get("field") == key]
        claimed = "; ".join(f"{_claim_text(c)} {doc.ref(cites.cite(c['source']['article_id']))}" for c in claims)
        subs.append(f"{label}: {figure}" + (f" — {claimed}" if claimed else ""))
    if not any(x.startswith(("Fatalities", "Injured")) for x in subs):
        subs.append("Casualties: none reported")
    if e.get("summary"):
        subs.append(e["summary"])
    srcs = sorted({cites.cite(x["article_id"]) for x in e.get("sources") or ()})
    n_src = e.get("independent_sources") or len(srcs)
    subs.append(
        f"Sources: {' '.join(doc.ref(n) for n in srcs) or 'none'}"
        + (" (single source, unconfirmed)" if e.get("single_source") and n_src <= 1 else f" ({n_src} independent)")
    )
    return head, subs


def _stamp(at: str) -> str:
    """An ISO 8601 UTC time as the brief prints it: `2026-12-01 08:00 UTC`."""
    return at[:16].replace("T", " ") + " UTC"


def _moves(delta: RecordDelta) -> str | None:
    """`Changed: fatalities 12 → 15; place Aleppo → Azaz` for an updated event."""
    names = {"fatalities": "fatalities", "injured": "injured", "location": "place", "date": "date", "sub_event_type": "kind",
             "contradictions": "contradictions", "article_ids": "articles"}
    parts = []
    for name, label in names.items():
        moved = delta.moved(name)
        if moved:
            before, after = ("none" if v is None else str(v).replace("_", " ") for v in moved)
            parts.append(f"{label} {before} → {after}")
    return ("Changed: " + "; ".join(parts)) if parts else None


def _deltas_section(
    doc: _Doc, cites: _Citations, title: str, deltas: Sequence[RecordDelta], described: Sequence[RecordDelta],
    note: Callable[[RecordDelta], str | None], *, none: str, partial: str,
) -> None:
    """One section of event changes: the `described` deltas (those with a record), saying so when that is not all of them."""
    doc.heading(2, title)
    if not deltas:
        doc.para(none)
    if len(described) < len(deltas):
        doc.para(partial.format(described=len(described), total=len(deltas)))
    doc.items([_event_row(doc, cites, d.row, note(d)) for d in described])


def _changed_section(doc: _Doc, cites: _Citations, changes: Changes) -> list[dict]:
    """The arrival-window brief: header, top line, then each kind of change. Returns the events it lists."""
    listed = [d.row for d in changes.new_events + changes.changed_events if d.record]
    for d in changes.new_contradictions:
        if d.record and d.row not in listed:
            listed.append(d.row)
    n_articles = len({a for e in listed for a in _article_ids(e)})
    doc.meta(
        f"Window: reports that arrived {_stamp(changes.start)} to {_stamp(changes.end)} · {len(changes.new_events)} new events, "
        f"{len(changes.changed_events)} changed, {len(changes.new_contradictions)} new contradictions, "
        f"{len(changes.ceasefires)} ceasefire changes, from {n_articles} articles"
        + (f" · {len(changes.removed)} events merged or withdrawn" if changes.removed else "")
    )
    doc.heading(2, "Top line")
    lines = headline(changes, cites.cite)
    if lines:
        doc.items([(text + " " + "".join(doc.ref(n) for n in refs), []) for text, refs in lines])
    else:
        doc.para("Nothing changed in the record in this window.")
    new = sorted((d for d in changes.new_events if d.record), key=lambda d: (d.row.get("date") is None, d.row.get("date") or ""))
    _deltas_section(doc, cites, "New events", changes.new_events, new, lambda d: f"First reported {_stamp(d.last_at)}",
                    none="No new events in this window.",
                    partial="The {described} most recently reported of {total} new events; the counts above cover them all.")
    _deltas_section(doc, cites, "Changed events", changes.changed_events, [d for d in changes.changed_events if d.record], _moves,
                    none="No event changed its figures, place or date in this window.",
                    partial="The {described} most recently changed of {total} changed events.")
    if changes.ceasefires:
        doc.heading(2, "Ceasefire changes")
        rows: list[tuple[str, list[str]]] = []
        for d in changes.ceasefires:
            before = ceasefire_status((d.detail.get("ended") or [None])[0], (d.detail.get("in_force_from") or [None])[0])
            after = ceasefire_status(d.row.get("ended"), d.row.get("in_force_from"))
            refs = "".join(doc.ref(cites.cite(x["article_id"])) for x in (d.row.get("sources") or ())[:3])
            state = f"new, {after}" if d.is_new else (f"{before} → {after}" if before != after else f"still {after}")
            moved = d.moved("violations")
            extra = f"; alleged violations {moved[0]} → {moved[1]}" if moved and not d.is_new else ""
            rows.append((f"{d.row.get('name')}: {state}{extra} {refs}".strip(), []))
        doc.items(rows)
    if changes.stories:
        doc.heading(2, "Stories")
        rows = []
        shown = [d for d in changes.stories if d.record]
        if len(shown) < len(changes.stories):
            doc.para(f"The {len(shown)} most recently changed of {len(changes.stories)} new or grown stories.")
        for d in shown:
            moved = d.moved("article_ids")
            grew = "new story" if d.is_new else f"articles {moved[0]} → {moved[1]}" if moved else "updated"
            rows.append((f"{d.row.get('title')}: {grew}", []))
        doc.items(rows)
    return listed


def _contradictions_section(doc: _Doc, cites: _Citations, events: list[dict]) -> None:
    """Each disagreement once per distinct value: `62 (Russia's military, Syrian army) [1] vs 90 (SOHR) [2]`."""
    rows: list[tuple[str, list[str]]] = []
    for e in events:
        claims = e.get("claims") or []
        for c in e.get("contradictions") or ():
            positions = claim_positions(c, claims)
            parts = []
            for p in positions:
                refs = list(dict.fromkeys(cites.cite(claims[i]["source"]["article_id"]) for i in p["claims"]))
                who = f" ({', '.join(p['claimed_by'])})" if p["claimed_by"] else ""
                parts.append(f"{p['value']}{who}" + (" " + "".join(doc.ref(n) for n in refs) if refs else ""))
            versus = " vs ".join(parts)
            for st in c.get("statements") or ():
                versus += f"; {st.get('kind')} by {st.get('by') or 'unknown'} {doc.ref(cites.cite(st['source']['article_id']))}"
            rows.append((f"{e.get('date') or 'undated'}, {_place(e)}: {c['field']}: {versus}", []))
    doc.heading(2, "Contradictions")
    if rows:
        doc.items(rows)
    else:
        doc.para("No contradictions between sources in this window.")


def _ceasefire_section(doc: _Doc, cites: _Citations, store: Store, story: dict | None, events: list[dict]) -> None:
    ceasefires = store.list_ceasefires()
    if story:
        members = set(story.get("event_ids") or ()) | {e["id"] for e in events}
        ceasefires = [c for c in ceasefires if not c.get("event_ids") or members & set(c.get("event_ids") or ())]
    doc.heading(2, "Ceasefires")
    if not ceasefires:
        doc.para("No ceasefire on record.")
    rows = []
    for c in ceasefires:
        head = f"{c.get('name')}: {ceasefire_status(c.get('ended'), c.get('in_force_from'))}"
        subs = []
        if c.get("parties"):
            subs.append("Parties: " + ", ".join(c["parties"]))
        life = [f"announced {c['announced']}" if c.get("announced") else None,
                f"in force from {c['in_force_from']}" if c.get("in_force_from") else None,
                f"ended {c['ended']}" + (f" by {c['ended_by']}" if c.get("ended_by") else "") if c.get("ended") else None]
        if any(life):
            subs.append("Lifecycle: " + "; ".join(x for x in life if x))
        for v in sorted(c.get("violations") or (), key=lambda v: (v.get("date") or "", v.get("alleged_by") or "")):
            count = f"{v['count']} violations" if v.get("count") is not None else "violations"
            subs.append(
                f"{v.get('date') or 'undated'}: {count} by {v.get('against') or 'an unnamed party'},"
                f" alleged by {v.get('alleged_by') or 'an unnamed party'} {doc.ref(cites.cite(v['source']['article_id']))}"
            )
        rows.append((head, subs))
    if rows:
        doc.items(rows)


def _sources_section(doc: _Doc, cites: _Citations) -> None:
    """The numbered sources: outlet, title, date and (http/https only) a link to the original."""
    doc.heading(2, "Sources")
    listing = cites.listing()
    if not listing:
        doc.para("No sources cited.")
        return
    if doc.fmt == "md":
        rows: list[tuple[str, list[str]]] = []
        for n, aid, article in listing:
            bits = [f"[{n}] {aid}"]
            if article:
                bits += [x for x in (article.get("title"), article.get("source"), article.get("published"), safe_url(article.get("url"))) if x]
            rows.append((" · ".join(bits), []))
        doc.items(rows)
        return
    out = ['<ol class="sources">']
    for n, aid, article in listing:
        article = article or {}
        bits = [html.escape(x) for x in (article.get("title") or aid, article.get("source"), article.get("published")) if x]
        link = safe_url(article.get("url"))
        original = f' · <a href="{html.escape(link, quote=True)}" rel="noopener noreferrer">original</a>' if link else ""
        out.append(f'<li id="src-{n}" value="{n}">[{n}] {" · ".join(bits)} · <span class="id">{html.escape(aid)}</span>{original}</li>')
    out.append("</ol>")
    doc.parts.append("".join(out))
