/* sitroom web UI: vanilla JS over the JSON API, routed by the URL hash.
   ALL article text and every record field is untrusted: it reaches the page only through
   textContent / text nodes (see h()), never innerHTML. */
"use strict";
(function () {
  const view = document.getElementById("view");
  const panel = document.getElementById("source");
  const panelTitle = document.getElementById("source-title");
  const panelBody = document.getElementById("source-body");
  const TYPE_LABELS = {
    battles: "Battles", explosions_remote_violence: "Explosions/Remote violence",
    violence_against_civilians: "Violence against civilians", protests: "Protests", riots: "Riots",
    strategic_developments: "Strategic developments",
  };

  /* Element builder: strings and numbers become text nodes; attributes are set, never parsed. */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c == null || c === false) continue;
      node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  const enc = encodeURIComponent;
  const subLabel = (s) => (s || "").replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
  const typeLabel = (t) => TYPE_LABELS[t] || subLabel(t);
  const placeOf = (e) => (e.location && e.location.name) || "—";

  async function api(path) {
    const res = await fetch(path, { headers: { Accept: "application/json" } });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error((body && body.error && body.error.message) || `HTTP ${res.status}`);
    return body;
  }
  function show(...nodes) { view.replaceChildren(...nodes); }
  function fail(err) { console.warn(err && err.stack); show(h("p", { class: "error", role: "alert" }, String(err.message || err))); }

  /* ---- source panel: the article text with the claim's [start, end) span marked ---- */
  const articleCache = new Map();
  async function article(id) {
    if (!articleCache.has(id)) articleCache.set(id, api(`/api/articles/${enc(id)}`));
    return articleCache.get(id);
  }
  /* items: [{label, source:{article_id,start,end,sentence}}]; shows items[pick]. */
  async function openSource(items, heading, pick) {
    pick = pick || 0;
    panel.hidden = false;
    panelTitle.textContent = heading || "Source";
    const list = items.length > 1
      ? h("ul", { class: "claims-list" }, items.map((it, i) => h("li", {},
          h("button", { type: "button", class: "linkish" + (i === pick ? " current" : ""), onclick: () => openSource(items, heading, i) }, it.label))))
      : null;
    const it = items[pick];
    panelBody.replaceChildren(list || "", h("p", { class: "muted" }, "Loading source…"));
    try {
      const a = await article(it.source.article_id);
      const text = a.text || "";
      const s = Math.max(0, Math.min(it.source.start, text.length)), e = Math.max(s, Math.min(it.source.end, text.length));
      const mark = h("mark", { "data-start": s, "data-end": e }, text.slice(s, e));
      panelBody.replaceChildren(
        list || "",
        h("p", { class: "meta" }, it.label),
        h("p", {}, h("strong", {}, a.title || a.id)),
        h("p", { class: "meta" }, [a.source, a.published, a.id].filter(Boolean).join(" · "),
          a.url ? [" · ", h("a", { href: a.url, rel: "noopener noreferrer", target: "_blank" }, "original")] : ""),
        h("div", { class: "article-text", id: "article-text" }, text.slice(0, s), mark, text.slice(e)),
      );
      mark.scrollIntoView({ block: "center" });
    } catch (err) {
      panelBody.replaceChildren(list || "", h("p", { class: "error" }, String(err.message)));
    }
  }
  document.getElementById("source-close").addEventListener("click", () => { panel.hidden = true; });
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") panel.hidden = true; });

  function claimLabel(c) {
    const v = c.text || [c.qualifier, c.high != null ? `${c.low}–${c.high}` : c.value].filter(Boolean).join(" ");
    return `${c.field}: ${v} — ${c.attributed_to || "unattributed"}`;
  }
  /* A fused figure (best, low–high) as a button that opens the claims behind it. */
  function figure(event, field) {
    const f = event[field] || {};
    if (f.best == null) return h("span", { class: "muted", title: "no figure reported" }, "—");
    const claims = (event.claims || []).filter((c) => c.field === field);
    const range = f.low != null && f.high != null && f.high !== f.low ? h("span", { class: "range" }, ` (${f.low}–${f.high})`)
      : f.high == null && f.low != null && claims.length ? h("span", { class: "range" }, " (open-ended)") : "";
    if (!claims.length) return h("span", {}, String(f.best), range);
    const items = claims.map((c) => ({ label: claimLabel(c), source: c.source }));
    return h("span", {}, h("button", {
      type: "button", class: "fig", "data-field": field, "data-event": event.id,
      "aria-label": `${field} ${f.best}: show the source sentence`,
      onclick: () => openSource(items, `${subLabel(field)} · ${placeOf(event)} ${event.date || ""}`),
    }, String(f.best)), range);
  }
  function actorsOf(e, role) { return (e.actors || []).filter((a) => a.role === role).map((a) => a.name).join(", "); }

  function eventsTable(events) {
    return h("table", {},
      h("thead", {}, h("tr", {}, ["Date", "Type", "Place", "Actor 1", "Actor 2", "Killed", "Injured", "Sources"].map((t, i) =>
        h("th", { class: i >= 5 ? "num" : null, scope: "col" }, t)))),
      h("tbody", {}, events.map((e) => h("tr", { "data-event": e.id },
        h("td", {}, h("a", { href: `#/event/${enc(e.id)}` }, e.date || "undated")),
        h("td", {}, subLabel(e.sub_event_type), h("br"), h("span", { class: "muted" }, typeLabel(e.event_type))),
        h("td", {}, placeOf(e), e.location && e.location.country ? h("span", { class: "muted" }, ` ${e.location.country}`) : ""),
        h("td", {}, actorsOf(e, "actor1")),
        h("td", {}, actorsOf(e, "actor2")),
        h("td", { class: "num" }, figure(e, "fatalities"), (e.contradictions || []).length ? [" ", h("span", { class: "tag warn", title: "sources disagree" }, "contested")] : ""),
        h("td", { class: "num" }, figure(e, "injured")),
        h("td", { class: "num" }, String((e.article_ids || []).length), e.single_source ? [" ", h("span", { class: "tag", title: "one independent source" }, "single")] : ""),
      ))));
  }

  function contradictionItem(c) {
    const details = c.claim_details || [];
    const parts = details.length ? details.map((cl) => h("span", {},
      h("button", { type: "button", class: "fig", onclick: () => openSource([{ label: claimLabel(cl), source: cl.source }], `Contradiction · ${c.place || ""}`) }, String(cl.value)),
      ` (${cl.attributed_to || "unattributed"})`)) : (c.values || []).map((v) => h("span", {}, String(v)));
    const joined = [];
    parts.forEach((p, i) => { if (i) joined.push(h("span", { class: "vs" }, "vs")); joined.push(p); });
    return h("li", {},
      h("span", { class: "tag warn" }, c.field), " ", ...joined,
      h("div", { class: "meta" }, h("a", { href: `#/event/${enc(c.event_id)}` }, `${c.date || "undated"} · ${subLabel(c.sub_event_type)} · ${c.place || "unknown place"}`)));
  }

  /* ---- map: country outlines from the vendored world atlas, admin-1 outlines per country, no tile server ---- */
  const ADMIN1_MIN_ZOOM = 5;  // below this, provinces are clutter at the scale of a region
  let outlines = null;
  let admin1Index = null;  // ISO alpha-2 codes that have an admin-1 file
  const admin1Cache = new Map();
  async function json(path) {
    const res = await fetch(path);
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return res.json();
  }
  /* Admin-1 outlines of one country (GeoJSON), fetched once, only for countries with events on the map. */
  async function admin1Outlines(country) {
    if (!admin1Index) admin1Index = new Set(await json("/static/vendor/admin1/index.json"));
    if (!admin1Index.has(country)) return null;
    if (!admin1Cache.has(country)) {
      admin1Cache.set(country, json(`/static/vendor/admin1/${enc(country)}.json`)
        .then((topo) => topojson.feature(topo, topo.objects.admin1)));
    }
    return admin1Cache.get(country);
  }
  async function drawAdmin1(map, countries) {
    const layer = L.layerGroup();
    const drawn = [];
    for (const country of countries) {
      try {
        const features = await admin1Outlines(country);
        if (!features) continue;
        L.geoJSON(features, { pane: "admin1", className: "admin1", interactive: false,
          style: { color: "#7d8a99", weight: 0.7, dashArray: "3 3", fill: false } }).addTo(layer);
        drawn.push(country);
      } catch (err) { console.warn(`admin-1 outlines of ${country} not drawn`, err); }
    }
    map.getContainer().dataset.admin1 = drawn.join(" ");  // which countries have province outlines
    const toggle = () => {
      map.getContainer().dataset.zoom = map.getZoom();
      if (map.getZoom() >= ADMIN1_MIN_ZOOM) layer.addTo(map); else layer.remove();
    };
    map.on("zoomend", toggle);
    toggle();
  }
  async function drawMap(node, events) {
    if (!window.L) { node.replaceChildren(h("p", { class: "muted" }, "Map library not loaded.")); return; }
    const map = L.map(node, { attributionControl: false, zoomSnap: 0.25, worldCopyJump: true });
    // Panes keep the stacking fixed whatever loads first: countries, then provinces, then markers.
    map.createPane("countries").style.zIndex = 350;
    map.createPane("admin1").style.zIndex = 360;
    const located = events.filter((e) => e.location && e.location.lat != null && e.location.lon != null);
    const pts = located.map((e) => [e.location.lat, e.location.lon]);
    // Leaflet needs a view before vector layers are added.
    if (pts.length > 1) map.fitBounds(pts, { padding: [40, 40], maxZoom: 6 });
    else if (pts.length === 1) map.setView(pts[0], 6);
    else map.setView([30, 20], 2);
    try {
      if (!outlines) {
        const topo = await json("/static/vendor/world-atlas/countries-50m.json");
        outlines = topojson.feature(topo, topo.objects.countries);
      }
      L.geoJSON(outlines, { pane: "countries", style: { color: "#9aa6b2", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 }, interactive: false }).addTo(map);
    } catch (err) { console.warn("country outlines not drawn", err); /* the events still plot */ }
    const countries = [...new Set(located.map((e) => e.location.country).filter(Boolean))];
    const admin1Drawn = drawAdmin1(map, countries);
    for (const e of located) {
      const loc = e.location;
      const best = (e.fatalities || {}).best;
      const contested = (e.contradictions || []).length > 0;
      const m = L.circleMarker([loc.lat, loc.lon], {
        radius: 5 + Math.min(14, Math.sqrt(best || 0) * 1.5), color: "#fff", weight: 1.5,
        fillColor: contested ? "#a4431d" : best == null ? "#8a96a3" : "#2f6fab", fillOpacity: 0.85,
      }).addTo(map);
      // Popup content is a DOM node: Leaflet would parse a string as HTML.
      m.bindPopup(() => h("div", {},
        h("strong", {}, `${e.date || "undated"} · ${subLabel(e.sub_event_type)}`), h("br"),
        `${loc.name}${loc.admin1 && loc.admin1 !== loc.name ? ", " + loc.admin1 : ""}`, h("br"),
        "Killed: ", figure(e, "fatalities"), h("br"),
        h("a", { href: `#/event/${enc(e.id)}` }, "event details")));
      m.bindTooltip(() => h("span", {}, `${placeOf(e)} · ${e.date || "undated"}`));
    }
    await admin1Drawn;
    return events.length - pts.length;
  }

  /* ---- pages ---- */
  async function pageStories() {
    const data = await api("/api/stories?limit=200&view=summary");
    const rows = data.items.map((s) => h("tr", {},
      h("td", {}, h("a", { href: `#/story/${enc(s.id)}`, class: "story-link" }, s.title)),
      h("td", { class: "num" }, String(s.n_events)),
      h("td", { class: "num" }, String(s.n_articles)),
      h("td", { class: "num" }, s.fatalities_best_total == null ? "—" : String(s.fatalities_best_total)),
      h("td", { class: "num" }, s.n_contradictions ? h("span", { class: "tag warn" }, String(s.n_contradictions)) : "0"),
      h("td", {}, s.first_date ? `${s.first_date} → ${s.last_date}` : "undated")));
    show(
      h("h1", {}, "Stories"),
      h("p", { class: "meta" }, `${data.total} stories, most recently active first. Killed = sum of each event's conservative best figure.`),
      data.items.length ? h("table", {}, h("thead", {}, h("tr", {}, ["Story", "Events", "Articles", "Killed", "Contradictions", "Dates"].map((t, i) =>
        h("th", { scope: "col", class: i && i < 5 ? "num" : null }, t)))), h("tbody", {}, rows))
        : h("p", { class: "muted" }, "No stories yet: ingest articles with `sitroom ingest` or POST /api/ingest."));
  }

  async function pageStory(id) {
    const s = await api(`/api/stories/${enc(id)}`);
    const contra = await api(`/api/contradictions?story=${enc(id)}&limit=1000`);
    const events = s.events || [];
    const summary = h("ol", { class: "summary" }, (s.summary || []).map((item) => h("li", {}, item.sentence,
      (item.sources || []).map((src, i) => h("button", {
        type: "button", class: "cite", "aria-label": `source ${i + 1} of this sentence`,
        onclick: () => openSource(item.sources.map((x, j) => ({ label: `Source ${j + 1}: ${x.article_id}`, source: x })), "Summary source", i),
      }, `[${i + 1}]`)))));
    const chart = window.SitroomChart.timeline(events, (e) => {
      const claims = (e.claims || []).filter((c) => c.field === "fatalities");
      if (claims.length) openSource(claims.map((c) => ({ label: claimLabel(c), source: c.source })), `Fatalities · ${placeOf(e)} ${e.date || ""}`);
      else location.hash = `#/event/${enc(e.id)}`;
    });
    const mapNode = h("div", { class: "map", id: "map", role: "region", "aria-label": "Map of events" });
    const mapNote = h("p", { class: "meta" });
    show(
      h("h1", {}, s.title),
      h("p", { class: "meta" }, `${s.n_events} events · ${s.n_articles} articles · ${s.first_date ? s.first_date + " → " + s.last_date : "undated"} · `,
        h("a", { href: `/api/brief?story=${enc(s.id)}&format=html` }, "situation brief"), " · ",
        h("a", { href: `/api/export/events?format=csv&story=${enc(s.id)}` }, "CSV"), " · ",
        h("a", { href: `/api/export/events?format=geojson&story=${enc(s.id)}` }, "GeoJSON")),
      h("section", { class: "panel", "aria-labelledby": "h-summary" }, h("h2", { id: "h-summary" }, "Summary"),
        summary.childNodes.length ? summary : h("p", { class: "muted" }, "No summary.")),
      h("div", { class: "grid" },
        h("section", { class: "panel chart", "aria-labelledby": "h-timeline" }, h("h2", { id: "h-timeline" }, "Timeline · fatalities (best, with low–high of all reports)"), chart.node,
          h("div", { class: "legend" }, h("span", {}, h("span", { class: "swatch", style: null, "data-c": "a" }), "agreed"),
            h("span", {}, h("span", { class: "swatch warn-swatch" }), "contested"),
            chart.undated ? h("span", {}, `${chart.undated} undated event(s) not drawn`) : "")),
        h("section", { class: "panel", "aria-labelledby": "h-map" }, h("h2", { id: "h-map" }, "Map"), mapNode, mapNote)),
      h("section", { class: "panel", "aria-labelledby": "h-contra" }, h("h2", { id: "h-contra" }, `Contradictions (${contra.total})`),
        contra.items.length ? h("ul", { class: "contra" }, contra.items.map(contradictionItem)) : h("p", { class: "muted" }, "Sources agree on every figure.")),
      h("section", { "aria-labelledby": "h-events" }, h("h2", { id: "h-events" }, "Events"), eventsTable(events)),
    );
    const missing = await drawMap(mapNode, events);
    if (missing) mapNote.textContent = `${missing} event(s) without coordinates are not on the map.`;
  }

  async function pageEvent(id) {
    const e = await api(`/api/events/${enc(id)}`);
    const loc = e.location || {};
    const facts = h("dl", { class: "facts" },
      h("dt", {}, "Type"), h("dd", {}, `${typeLabel(e.event_type)} › ${subLabel(e.sub_event_type)}`),
      h("dt", {}, "Date"), h("dd", {}, e.date ? `${e.date} (${e.date_precision})` : "not reported"),
      h("dt", {}, "Place"), h("dd", {}, loc.name ? [loc.name, loc.admin1, loc.country].filter(Boolean).join(", ") + ` · ${loc.precision}` + (loc.lat != null ? ` · ${loc.lat}, ${loc.lon}` : " · no coordinates") : "not reported"),
      h("dt", {}, "Actors"), h("dd", {}, (e.actors || []).map((a) => `${a.name} (${a.role.replace(/_/g, " ")}${a.mentions && a.mentions.length ? "; as " + a.mentions.join(", ") : ""})`).join(" · ") || "—"),
      h("dt", {}, "Killed"), h("dd", {}, figure(e, "fatalities")),
      h("dt", {}, "Injured"), h("dd", {}, figure(e, "injured")),
      h("dt", {}, "Story"), h("dd", {}, e.story_id ? h("a", { href: `#/story/${enc(e.story_id)}` }, e.story_id) : "—"),
      h("dt", {}, "Sources"), h("dd", {}, `${(e.article_ids || []).length} articles, ${e.independent_sources} independent`));
    const claims = (e.claims || []).map((c, i) => h("tr", {},
      h("td", { class: "num" }, String(i)), h("td", {}, c.field),
      h("td", { class: "num" }, h("button", { type: "button", class: "fig", onclick: () => openSource([{ label: claimLabel(c), source: c.source }], `Claim ${i}`) },
        c.high != null ? `${c.low}–${c.high}` : String(c.value))),
      h("td", {}, c.qualifier || ""), h("td", {}, c.attributed_to || h("span", { class: "muted" }, "unattributed")),
      h("td", {}, h("a", { href: `#/article/${enc(c.source.article_id)}/${c.source.start}/${c.source.end}` }, c.source.article_id)),
      h("td", { class: "snippet" }, c.source.sentence)));
    show(
      h("h1", {}, `${subLabel(e.sub_event_type)} · ${placeOf(e)} · ${e.date || "undated"}`),
      e.summary ? h("p", {}, e.summary) : "",
      h("section", { class: "panel" }, facts),
      h("h2", {}, `Claims (${claims.length})`),
      claims.length ? h("table", {}, h("thead", {}, h("tr", {}, ["#", "Field", "Value", "Qualifier", "Claimed by", "Article", "Sentence"].map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, claims))
        : h("p", { class: "muted" }, "No casualty figures reported."),
      h("h2", {}, "Contradictions"),
      (e.contradictions || []).length ? h("ul", { class: "contra" }, e.contradictions.map((c, n) => contradictionItem(Object.assign({ event_id: e.id, date: e.date, place: loc.name, sub_event_type: e.sub_event_type }, c,
        { claim_details: (c.claims || []).map((i) => e.claims[i]).filter(Boolean) })))) : h("p", { class: "muted" }, "None."),
      h("h2", {}, "Sources"),
      h("ul", {}, (e.sources || []).map((src) => h("li", {}, h("button", { type: "button", class: "linkish", onclick: () => openSource([{ label: src.article_id, source: src }], "Event source") }, src.article_id), " — ", src.sentence))));
  }

  async function pageEvents(params) {
    const q = new URLSearchParams(params);
    const limit = 100, offset = Number(q.get("offset") || 0);
    q.set("limit", limit);
    const data = await api(`/api/events?${q}`);
    const field = (name, label, attrs) => h("label", {}, label, h("input", Object.assign({ name, value: q.get(name) || "" }, attrs || {})));
    const types = h("select", { name: "type" }, h("option", { value: "" }, "any"), Object.entries(TYPE_LABELS).map(([k, v]) => h("option", { value: k, selected: q.get("type") === k }, v)));
    const form = h("form", { class: "filters", role: "search" },
      field("since", "Since", { type: "date" }), field("until", "Until", { type: "date" }),
      h("label", {}, "Type", types), field("place", "Place"), field("country", "Country", { size: 3 }), field("actor", "Actor"),
      h("button", { class: "primary", type: "submit" }, "Filter"));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const p = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) p.set(k, v);
      location.hash = `#/events?${p}`;
    });
    const pager = h("div", { class: "pager" },
      offset > 0 ? h("a", { href: `#/events?${new URLSearchParams(Object.assign(Object.fromEntries(q), { offset: Math.max(0, offset - limit) }))}` }, "← previous") : "",
      h("span", { class: "muted" }, `${data.total ? offset + 1 : 0}–${offset + data.items.length} of ${data.total}`),
      offset + limit < data.total ? h("a", { href: `#/events?${new URLSearchParams(Object.assign(Object.fromEntries(q), { offset: offset + limit }))}` }, "next →") : "");
    show(h("h1", {}, "Events"), form, eventsTable(data.items), pager);
  }

  async function pageContradictions() {
    const data = await api("/api/contradictions?limit=1000");
    show(h("h1", {}, "Contradictions"), h("p", { class: "meta" }, `${data.total} disagreements between sources, kept as data.`),
      data.items.length ? h("ul", { class: "contra panel" }, data.items.map(contradictionItem)) : h("p", { class: "muted" }, "None."));
  }

  async function pageSearch(params) {
    const q = new URLSearchParams(params).get("q") || "";
    const input = h("input", { name: "q", type: "search", value: q, size: 40, "aria-label": "Search words", autofocus: true });
    const form = h("form", { class: "filters", role: "search" }, input, h("button", { class: "primary", type: "submit" }, "Search"));
    form.addEventListener("submit", (ev) => { ev.preventDefault(); location.hash = `#/search?q=${enc(input.value)}`; });
    const results = h("div", {});
    show(h("h1", {}, "Search"), form, results);
    if (!q) return;
    const data = await api(`/api/search?q=${enc(q)}&limit=50`);
    results.replaceChildren(data.items.length ? h("table", {}, h("tbody", {}, data.items.map((hit) => {
      const href = hit.kind === "article" ? `#/article/${enc(hit.id)}` : hit.kind === "story" ? `#/story/${enc(hit.id)}` : `#/event/${enc(hit.id)}`;
      // The snippet marks matches with [ ]: render those as <mark> from text pieces.
      const snip = h("span", { class: "snippet" });
      (hit.snippet || "").split(/(\[[^\]]*\])/).forEach((part) => snip.appendChild(/^\[.*\]$/.test(part) ? h("mark", {}, part.slice(1, -1)) : document.createTextNode(part)));
      return h("tr", {}, h("td", {}, h("span", { class: "tag" }, hit.kind)), h("td", {}, h("a", { href }, hit.title || hit.id), h("br"), snip));
    }))) : h("p", { class: "muted" }, "No matches."));
  }

  async function pageArticle(id, start, end) {
    const a = await article(id);
    const text = a.text || "";
    const nodes = [];
    if (start != null && end != null) {
      const s = Math.max(0, Math.min(+start, text.length)), e = Math.max(s, Math.min(+end, text.length));
      nodes.push(text.slice(0, s), h("mark", {}, text.slice(s, e)), text.slice(e));
    } else nodes.push(text);
    const events = await api(`/api/events?article=${enc(id)}&limit=1000`);
    show(h("h1", {}, a.title || a.id),
      h("p", { class: "meta" }, [a.source, a.published, a.id, a.origin].filter(Boolean).join(" · ")),
      h("div", { class: "grid" }, h("section", { class: "panel article-text" }, nodes),
        h("section", {}, h("h2", {}, `Events reported here (${events.total})`), eventsTable(events.items))));
    const m = view.querySelector("mark"); if (m) m.scrollIntoView({ block: "center" });
  }

  async function pageCeasefires() {
    const data = await api("/api/ceasefires");
    const cards = data.items.map((c) => {
      const byParty = new Map();
      for (const v of c.violations || []) {
        const k = v.alleged_by || "unattributed";
        if (!byParty.has(k)) byParty.set(k, []);
        byParty.get(k).push(v);
      }
      const groups = [...byParty.entries()].map(([name, vs]) => ({ name, points: vs.map((v) => ({ date: v.date, count: v.count })) }));
      const legend = h("div", { class: "legend" }, groups.map((g, i) => h("span", {}, h("span", { class: `swatch s${i % 6}` }), `alleged by ${g.name}`)));
      const rows = (c.violations || []).slice().sort((a, b) => (a.date || "").localeCompare(b.date || "")).map((v) => h("tr", {},
        h("td", {}, v.date || "undated"), h("td", {}, v.alleged_by || "—"), h("td", {}, v.against || "—"),
        h("td", { class: "num" }, v.count == null ? "—" : h("button", { type: "button", class: "fig", onclick: () => openSource([{ label: `${v.alleged_by}: ${v.count} violations by ${v.against}`, source: v.source }], c.name) }, String(v.count))),
        h("td", { class: "snippet" }, v.source.sentence)));
      return h("section", { class: "panel" },
        h("h2", {}, c.name), h("p", {}, h("span", { class: c.status === "collapsed" ? "tag warn" : "tag" }, c.status), " ",
          [c.parties && c.parties.length ? `Parties: ${c.parties.join(", ")}` : null, c.announced ? `announced ${c.announced}` : null,
           c.in_force_from ? `in force ${c.in_force_from}` : null, c.ended ? `ended ${c.ended}${c.ended_by ? " by " + c.ended_by : ""}` : null].filter(Boolean).join(" · ")),
        h("div", { class: "chart" }, window.SitroomChart.series(groups, "violations alleged")), legend,
        rows.length ? h("table", {}, h("thead", {}, h("tr", {}, ["Date", "Alleged by", "Against", "Count", "Source sentence"].map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, rows))
          : h("p", { class: "muted" }, "No violations alleged."));
    });
    show(h("h1", {}, "Ceasefires"), ...(cards.length ? cards : [h("p", { class: "muted" }, "No ceasefire on record.")]));
  }

  async function pageRejections() {
    const data = await api("/api/rejections?limit=200");
    show(h("h1", {}, "Skipped inputs"), h("p", { class: "meta" }, `${data.total} inputs were skipped; each with the reason and what to do.`),
      h("table", {}, h("thead", {}, h("tr", {}, ["When", "Input", "Reason", "Detail"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, data.items.map((r) => h("tr", {}, h("td", {}, r.at), h("td", {}, r.origin), h("td", {}, r.reason), h("td", {}, r.detail || ""))))));
  }

  /* ---- router ---- */
  const routes = [
    [/^#?\/?$/, "stories", () => pageStories()],
    [/^#\/story\/([^/?]+)$/, "stories", (m) => pageStory(decodeURIComponent(m[1]))],
    [/^#\/event\/([^/?]+)$/, "events", (m) => pageEvent(decodeURIComponent(m[1]))],
    [/^#\/events(?:\?(.*))?$/, "events", (m) => pageEvents(m[1] || "")],
    [/^#\/contradictions$/, "contradictions", () => pageContradictions()],
    [/^#\/search(?:\?(.*))?$/, "search", (m) => pageSearch(m[1] || "")],
    [/^#\/ceasefires$/, "ceasefires", () => pageCeasefires()],
    [/^#\/rejections$/, "rejections", () => pageRejections()],
    [/^#\/article\/([^/?]+)(?:\/(\d+)\/(\d+))?$/, "search", (m) => pageArticle(decodeURIComponent(m[1]), m[2], m[3])],
  ];
  async function route() {
    const hash = location.hash || "#/";
    for (const [re, nav, fn] of routes) {
      const m = hash.match(re);
      if (!m) continue;
      document.querySelectorAll("[data-nav]").forEach((a) => a.classList.toggle("active", a.dataset.nav === nav));
      view.setAttribute("aria-busy", "true");
      try { await fn(m); } catch (err) { fail(err); }
      view.removeAttribute("aria-busy");
      return;
    }
    fail(new Error(`No page at ${hash}; go back to the story list.`));
  }
  window.addEventListener("hashchange", () => { route(); view.focus({ preventScroll: true }); });
  api("/api/stats").then((s) => {
    document.getElementById("stats").textContent = `${s.articles} articles · ${s.events} events · ${s.stories} stories · ${s.rejections} skipped`;
  }).catch(() => {});
  route();
})();
