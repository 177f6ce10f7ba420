/* sitroom web UI, shared pieces: element builder, API calls, the source panel, figures, tables.
   ALL article text and every record field is untrusted: it reaches the page only through
   textContent / text nodes (see h()), never innerHTML. Links to the outside are made only
   from http(s) URLs (safeUrl); anything else is shown as text. */
"use strict";
(function () {
  const S = (window.Sitroom = window.Sitroom || {});
  const view = document.getElementById("view");
  const panel = document.getElementById("source");
  const panelTitle = document.getElementById("source-title");
  const panelBody = document.getElementById("source-body");
  // ACLED's labels, from taxonomy.js (a copy of sitroom/taxonomy.py, checked equal by a test).
  const TAXONOMY = window.SitroomTaxonomy;
  const TYPE_LABELS = TAXONOMY.types;
  const SUB_TYPES = Object.fromEntries(Object.entries(TAXONOMY.sub_types).map(([t, subs]) => [t, Object.keys(subs)]));
  const SUB_LABELS = Object.assign({}, ...Object.values(TAXONOMY.sub_types));
  const SOURCE_CLASSES = { party: "party to the conflict", government: "government", monitor: "monitor / UN / NGO", media: "media", other: "other" };
  const CORROBORATION = { single: "single source", several: "several sources", contested: "contested" };

  /* Element builder: strings and numbers become text nodes; attributes are set, never parsed. */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c == null || c === false) continue;
      node.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  const enc = encodeURIComponent;
  /* "Air/drone strike" for air_drone_strike: ACLED's label, or the code made readable when it is not one. */
  const plainLabel = (s) => (s || "").replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
  const subLabel = (s) => SUB_LABELS[s] || plainLabel(s);
  const typeLabel = (t) => TYPE_LABELS[t] || plainLabel(t);
  const placeOf = (e) => (e.location && e.location.name) || "—";

  /* An http(s) URL as a string, or null: a javascript:, data: or file: URL is never made a link. */
  function safeUrl(url) {
    if (!url || typeof url !== "string") return null;
    try {
      const u = new URL(url);
      return (u.protocol === "http:" || u.protocol === "https:") && u.host ? u.href : null;
    } catch (err) { return null; }
  }

  async function api(path) {
    const res = await fetch(path, { headers: { Accept: "application/json" } });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error((body && body.error && body.error.message) || `HTTP ${res.status}`);
    return body;
  }
  function show(...nodes) { view.replaceChildren(...nodes.flat(Infinity).filter((n) => n != null && n !== false)); }
  function fail(err) { console.warn(err && err.stack); show(h("p", { class: "error", role: "alert" }, String(err.message || err))); }
  /* Tables scroll inside their own box on a narrow screen; the page never scrolls sideways. */
  const wrap = (table) => h("div", { class: "table-wrap" }, table);

  /* ---- article metadata: outlet, title, date, link, fetched in batches and kept for the session ---- */
  const metaCache = new Map();
  async function articleMeta(ids) {
    const wanted = [...new Set(ids)].filter((i) => !metaCache.has(i));
    for (let i = 0; i < wanted.length; i += 200) {
      const chunk = wanted.slice(i, i + 200);
      const body = await api(`/api/articles?ids=${chunk.map(enc).join(",")}`);
      for (const a of body.items) metaCache.set(a.id, a);
      for (const id of chunk) if (!metaCache.has(id)) metaCache.set(id, { id });
    }
    return new Map(ids.map((i) => [i, metaCache.get(i) || { id: i }]));
  }
  function remember(metas) { for (const a of metas || []) metaCache.set(a.id, a); }
  /* "Reuters · US, Russia say …" for an article already seen, else its id. */
  function metaLabel(id) {
    const a = metaCache.get(id);
    return a && (a.source || a.title) ? [a.source, a.title].filter(Boolean).join(" · ") : id;
  }
  /* "Reuters · US, Russia say … · 2016-10-01 · original ↗" for one article. */
  function sourceLine(a, opts) {
    a = a || {};
    const link = safeUrl(a.link || a.url);
    const parts = [h("span", { class: "outlet" }, a.source || "unknown outlet")];
    if (a.title) parts.push(" · ", opts && opts.noArticleLink ? h("span", {}, a.title) : h("a", { href: `#/article/${enc(a.id)}` }, a.title));
    else parts.push(" · ", h("a", { href: `#/article/${enc(a.id)}` }, a.id));
    if (a.published) parts.push(" · ", h("span", { class: "muted" }, a.published));
    if (link) parts.push(" · ", h("a", { href: link, rel: "noopener noreferrer", target: "_blank", class: "original" }, "original ↗"));
    else if (a.url) parts.push(" · ", h("span", { class: "muted", title: "not an http(s) link" }, a.url));
    return h("span", { class: "source-line", "data-article": a.id }, parts);
  }

  /* ---- source panel: the article text with the claim's [start, end) span marked ---- */
  const articleCache = new Map();
  async function article(id) {
    if (!articleCache.has(id)) articleCache.set(id, api(`/api/articles/${enc(id)}`));
    return articleCache.get(id);
  }
  function layoutChanged() { window.dispatchEvent(new Event("sitroom:layout")); }
  let opener = null;
  /* items: [{label, source:{article_id,start,end,sentence}}]; shows items[pick]. */
  async function openSource(items, heading, pick) {
    pick = pick || 0;
    if (panel.hidden) { opener = document.activeElement; panel.hidden = false; document.body.classList.add("panel-open"); layoutChanged(); }
    panelTitle.textContent = heading || "Source";
    const list = items.length > 1
      ? h("ul", { class: "claims-list" }, items.map((it, i) => h("li", {},
          h("button", { type: "button", class: "linkish" + (i === pick ? " current" : ""), onclick: () => openSource(items, heading, i) }, it.label))))
      : null;
    const it = items[pick];
    panelBody.replaceChildren(list || "", h("p", { class: "muted" }, "Loading source…"));
    try {
      const a = await article(it.source.article_id);
      remember([a]);
      const text = a.text || "";
      const s = Math.max(0, Math.min(it.source.start, text.length)), e = Math.max(s, Math.min(it.source.end, text.length));
      const mark = h("mark", { "data-start": s, "data-end": e }, text.slice(s, e));
      panelBody.replaceChildren(
        list || "",
        h("p", { class: "meta" }, it.label),
        h("p", {}, h("strong", {}, a.title || a.id)),
        h("p", { class: "meta" }, sourceLine(a, { noArticleLink: true })),
        h("div", { class: "article-text", id: "article-text" }, text.slice(0, s), mark, text.slice(e)),
      );
      mark.scrollIntoView({ block: "center" });
    } catch (err) {
      panelBody.replaceChildren(list || "", h("p", { class: "error" }, String(err.message)));
    }
  }
  function closeSource() {
    if (panel.hidden) return;
    panel.hidden = true;
    document.body.classList.remove("panel-open");
    layoutChanged();
    if (opener && document.body.contains(opener)) opener.focus({ preventScroll: true });
  }
  document.getElementById("source-close").addEventListener("click", closeSource);
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape") closeSource(); });

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
      onclick: () => openSource(items, `${plainLabel(field)} · ${placeOf(event)} ${event.date || ""}`),
    }, String(f.best)), range);
  }
  function actorsOf(e, role) { return (e.actors || []).filter((a) => a.role === role).map((a) => a.name).join(", "); }
  function corroborationTag(e) {
    const c = e.corroboration || ((e.contradictions || []).length ? "contested" : (e.independent_sources || 1) >= 2 ? "several" : "single");
    const n = e.independent_sources || (e.article_ids || []).length;
    return h("span", { class: "tag corr-" + c, title: `${n} independent source${n === 1 ? "" : "s"}`, "data-corroboration": c }, CORROBORATION[c]);
  }

  /* Events as a table; columns sort the rows shown (Date sorts through `onSortDate` when given: the whole set). */
  function eventsTable(events, opts) {
    opts = opts || {};
    const cols = [
      { key: "date", label: "Date", val: (e) => e.date || "" },
      { key: "type", label: "Type", val: (e) => e.sub_event_type || "" },
      { key: "place", label: "Place", val: (e) => placeOf(e) },
      { key: "actor1", label: "Actor 1", val: (e) => actorsOf(e, "actor1") },
      { key: "actor2", label: "Actor 2", val: (e) => actorsOf(e, "actor2") },
      { key: "killed", label: "Killed", num: true, val: (e) => (e.fatalities || {}).best ?? -1 },
      { key: "injured", label: "Injured", num: true, val: (e) => (e.injured || {}).best ?? -1 },
      { key: "sources", label: "Sources", num: true, val: (e) => e.independent_sources || (e.article_ids || []).length },
    ];
    const tbody = h("tbody", {});
    const state = { key: opts.sortKey || null, dir: opts.sortDir || 1 };
    const rowOf = (e) => h("tr", { "data-event": e.id },
      h("td", { class: "date" }, h("a", { href: `#/event/${enc(e.id)}` }, e.date || "undated")),
      h("td", {}, subLabel(e.sub_event_type), h("br"), h("span", { class: "muted" }, typeLabel(e.event_type))),
      h("td", {}, placeOf(e), e.location && e.location.country ? h("span", { class: "muted" }, ` ${e.location.country}`) : "",
        e.location && e.location.precision === "country" ? [" ", h("span", { class: "tag", title: "placed at country level" }, "country-level")] : ""),
      h("td", {}, actorsOf(e, "actor1")),
      h("td", {}, actorsOf(e, "actor2")),
      h("td", { class: "num" }, figure(e, "fatalities")),
      h("td", { class: "num" }, figure(e, "injured")),
      h("td", { class: "num" }, String(e.independent_sources || (e.article_ids || []).length), " ", corroborationTag(e)));
    const headers = cols.map((c) => {
      const th = h("th", { scope: "col", class: c.num ? "num" : null, "aria-sort": state.key === c.key ? (state.dir > 0 ? "ascending" : "descending") : null });
      const btn = h("button", { type: "button", class: "sort", "data-sort": c.key }, c.label);
      btn.addEventListener("click", () => {
        const dir = state.key === c.key ? -state.dir : (c.num ? -1 : 1);
        if (c.key === "date" && opts.onSortDate) { opts.onSortDate(dir); return; }
        state.key = c.key; state.dir = dir;
        headers.forEach((x) => x.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        render();
      });
      th.appendChild(btn);
      return th;
    });
    function render() {
      const col = cols.find((c) => c.key === state.key);
      const rows = col && !(col.key === "date" && opts.onSortDate)
        ? events.slice().sort((a, b) => { const x = col.val(a), y = col.val(b); return (x < y ? -1 : x > y ? 1 : 0) * state.dir; })
        : events;
      tbody.replaceChildren(...rows.map(rowOf));
    }
    render();
    return wrap(h("table", { class: "events" }, h("thead", {}, h("tr", {}, headers)), tbody));
  }

  /* "62 (Russia's military, Syrian army) vs 90 (SOHR)": each distinct value once, with who claims it. */
  function contradictionItem(c) {
    const details = new Map((c.claim_details || []).map((d) => [d.index, d]));
    const positions = c.positions && c.positions.length ? c.positions
      : [...new Set(c.values || [])].map((v) => ({ value: v, claimed_by: [], claims: [] }));
    const parts = positions.map((p) => {
      const claims = p.claims.map((i) => details.get(i)).filter(Boolean);
      const value = claims.length
        ? h("button", { type: "button", class: "fig", onclick: () => openSource(claims.map((cl) => ({ label: claimLabel(cl), source: cl.source })), `Contradiction · ${c.place || ""}`) }, String(p.value))
        : h("strong", {}, String(p.value));
      return h("span", { class: "position" }, value, p.claimed_by.length ? ` (${p.claimed_by.join(", ")})` : "");
    });
    const joined = [];
    parts.forEach((p, i) => { if (i) joined.push(h("span", { class: "vs" }, "vs")); joined.push(p); });
    return h("li", {},
      h("span", { class: "tag warn" }, c.field), " ", ...joined,
      h("div", { class: "meta" }, h("a", { href: `#/event/${enc(c.event_id)}` }, `${c.date || "undated"} · ${subLabel(c.sub_event_type)} · ${c.place || "unknown place"}`)));
  }

  /* An event's contradictions as contradictionItem takes them: the API gives each its positions (sources.claim_positions). */
  function contradictionsOf(e) {
    const claims = e.claims || [];
    return (e.contradictions || []).map((c) => Object.assign({ event_id: e.id, date: e.date, place: (e.location || {}).name, sub_event_type: e.sub_event_type }, c,
      { claim_details: (c.claims || []).map((i) => Object.assign({ index: i }, claims[i])).filter((x) => x.source) }));
  }

  Object.assign(S, {
    h, enc, api, show, fail, wrap, view, subLabel, typeLabel, plainLabel, placeOf, safeUrl, TYPE_LABELS, SUB_TYPES, SOURCE_CLASSES, CORROBORATION,
    articleMeta, remember, metaLabel, sourceLine, article, openSource, closeSource, claimLabel, figure, actorsOf, corroborationTag,
    eventsTable, contradictionItem, contradictionsOf,
  });
})();
