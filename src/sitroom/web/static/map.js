/* sitroom maps: Leaflet with no tile server, country outlines from the vendored world atlas (fetched
   once per visit), province outlines per country from zoom 5, and markers that give context:
   - one marker per place, sized by the killed, coloured by whether sources agree (legend on the map);
   - events placed only at country level drawn as the country (outlined) with a "country-level" mark,
     never as a dot on the capital;
   - markers that would overlap at this zoom merged into a numbered cluster (click: zoom to it);
   - labels for the busiest places; every marker a keyboard button with an accessible name;
   - the view fitted to the data and kept on the world; redrawn when the source panel opens or closes. */
"use strict";
(function () {
  const S = window.Sitroom;
  const { h, enc } = S;
  const ADMIN1_MIN_ZOOM = 5;  // below this, provinces are clutter at the scale of a region
  const CLUSTER_PX = 26;
  const LABELS = 10;
  const COLORS = { agreed: "#2f6fab", contested: "#a4431d", none: "#8a96a3" };
  let outlines = null;  // a promise: the world atlas is fetched and converted once per visit
  let admin1Index = null;
  const admin1Cache = new Map();
  const live = new Set();

  async function json(path) {
    const res = await fetch(path);
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return res.json();
  }
  function worldOutlines() {
    // Natural Earth 1:50m simplified to ~5 km (tools/vendor_world.py): a quarter of the points to project on each map.
    if (!outlines) outlines = json("/static/vendor/world-atlas/countries-light.json").then((topo) => topojson.feature(topo, topo.objects.countries));
    return outlines;
  }
  async function admin1Outlines(country) {
    if (!admin1Index) admin1Index = json("/static/vendor/admin1/index.json").then((codes) => new Set(codes));
    if (!(await admin1Index).has(country)) return null;
    if (!admin1Cache.has(country)) {
      admin1Cache.set(country, json(`/static/vendor/admin1/${enc(country)}.json`).then((topo) => topojson.feature(topo, topo.objects.admin1)));
    }
    return admin1Cache.get(country);
  }
  // The source panel takes or gives back width: every live map recomputes its size.
  window.addEventListener("sitroom:layout", () => {
    for (const m of [...live]) {
      if (!document.body.contains(m.getContainer())) { live.delete(m); continue; }
      m.invalidateSize({ pan: false });
      m.getContainer().dataset.width = m.getSize().x;  // what Leaflet now draws for: the container's width
    }
  });

  const radius = (killed) => 5 + Math.min(14, Math.sqrt(killed || 0) * 1.5);
  const colorOf = (p) => (p.contested ? COLORS.contested : p.killed == null ? COLORS.none : COLORS.agreed);
  function describe(p) {
    const where = [p.place, p.admin1 && p.admin1 !== p.place ? p.admin1 : null, p.country].filter(Boolean).join(", ");
    return `${where || "unknown place"}${p.precision === "country" ? " (country level)" : ""}: ${p.n} event${p.n === 1 ? "" : "s"}` +
      (p.killed != null ? `, ${p.killed} killed` : ", no death toll reported") + (p.contested ? `, ${p.contested} contested` : "") +
      (p.latest ? `, latest ${p.latest}` : "");
  }
  function popup(p) {
    const d = 0.05;
    const bbox = [p.lon - d, p.lat - d, p.lon + d, p.lat + d].map((x) => x.toFixed(3)).join(",");
    const list = p.precision === "country" ? `#/events?country=${enc(p.country || "")}` : `#/events?bbox=${bbox}`;
    return h("div", { class: "map-popup" },
      h("strong", {}, p.place || "unknown place"), p.precision === "country" ? [" ", h("span", { class: "tag" }, "country-level")] : "", h("br"),
      describe(p), h("br"),
      p.event_ids.slice(0, 5).map((id, i) => [h("a", { href: `#/event/${enc(id)}` }, p.n === 1 ? "event details" : `event ${i + 1}`), " "]),
      p.n > 1 ? h("a", { href: list }, `all ${p.n} here →`) : "");
  }
  /* A Leaflet layer's element made a keyboard button with a name (screen readers, Tab, Enter). */
  function accessible(layer, label, onEnter) {
    const el = layer.getElement ? layer.getElement() : layer._path;
    if (!el) return;
    el.setAttribute("role", "button");
    el.setAttribute("tabindex", "0");
    el.setAttribute("aria-label", label);
    el.classList.add("map-marker");
    el.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); onEnter(); } });
  }
  /* The legend folds (a <details>, closed) on a screen under 560 px, so that it does not cover a phone's map. */
  function legend() {
    const ctl = L.control({ position: "bottomleft" });
    ctl.onAdd = () => {
      const sizes = [1, 10, 100].map((k) => h("span", { class: "lg-size" },
        h("span", { class: "lg-dot", style: null, "data-r": radius(k) }), `${k}`));
      const narrow = window.matchMedia("(max-width: 559px)").matches;
      const box = h("details", { class: "map-legend", "aria-label": "Map legend", open: !narrow },
        h("summary", {}, "Legend"),
        h("div", {}, h("strong", {}, "Size: killed"), " ", sizes),
        h("div", {}, h("span", { class: "lg-swatch agreed" }), "sources agree ", h("span", { class: "lg-swatch contested" }), "contested ",
          h("span", { class: "lg-swatch none" }), "no toll"),
        h("div", {}, h("span", { class: "lg-cluster" }, "3"), " nearby places ", h("span", { class: "lg-country" }), " country-level (the country outlined)"));
      // Sizes are drawn as SVG circles: no inline style attribute (the CSP forbids them).
      box.querySelectorAll(".lg-dot").forEach((dot) => {
        const r = Number(dot.dataset.r);
        const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
        svg.setAttribute("width", String(2 * r + 2)); svg.setAttribute("height", String(2 * r + 2));
        const c = document.createElementNS("http://www.w3.org/2000/svg", "circle");
        c.setAttribute("cx", String(r + 1)); c.setAttribute("cy", String(r + 1)); c.setAttribute("r", String(r));
        c.setAttribute("class", "lg-circle");
        svg.appendChild(c); dot.replaceWith(svg);
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    return ctl;
  }
  /* Province outlines of the countries on the map, fetched (in parallel) the first time the map is zoomed in far enough. */
  function drawAdmin1(map, countries) {
    const layer = L.layerGroup();
    let loading = null;
    const load = () => loading || (loading = Promise.all(countries.map(async (country) => {
      try {
        const features = await admin1Outlines(country);
        if (!features) return null;
        L.geoJSON(features, { pane: "admin1", className: "admin1", interactive: false,
          style: { color: "#7d8a99", weight: 0.7, dashArray: "3 3", fill: false } }).addTo(layer);
        return country;
      } catch (err) { console.warn(`admin-1 outlines of ${country} not drawn`, err); return null; }
    })).then((drawn) => { map.getContainer().dataset.admin1 = drawn.filter(Boolean).join(" "); }));
    const toggle = () => {
      if (map.getZoom() >= ADMIN1_MIN_ZOOM) { load().then(() => { if (map.getZoom() >= ADMIN1_MIN_ZOOM) layer.addTo(map); }); } else layer.remove();
    };
    map.on("zoomend", toggle);
    toggle();
  }

  /* data: the /api/events/map answer ({points, total, shown, without_coordinates}). Returns a note for under the map. */
  async function drawMap(node, data) {
    if (!window.L) { node.replaceChildren(h("p", { class: "muted" }, "Map library not loaded.")); return ""; }
    const map = L.map(node, {
      attributionControl: false, zoomSnap: 0.25, minZoom: 1.5, maxZoom: 12, worldCopyJump: false,
      maxBounds: [[-85, -190], [85, 190]], maxBoundsViscosity: 1.0,
    });
    live.add(map);
    map.createPane("countries").style.zIndex = 350;
    map.createPane("admin1").style.zIndex = 360;
    map.createPane("countrylevel").style.zIndex = 370;
    const points = data.points || [];
    const pts = points.map((p) => [p.lat, p.lon]);
    // The legend sits in the bottom-left corner: the view is fitted to the rest of the map, so that no marker
    // starts hidden under it (when it is folded, on a phone, it is one line).
    const key = legend().addTo(map).getContainer();
    const keyW = key.offsetWidth + 10, keyH = key.offsetHeight + 10;
    const size = map.getSize();
    const fits = size.x - keyW > 160 && size.y - keyH > 120;  // else the corner is left to the user (fold the legend)
    // Clear of the corner either above the legend or to its right, whichever costs the smaller share of the map
    // (a folded legend, one line: above it); 60 px on the right for the labels, which point right.
    const above = keyH / size.y <= keyW / size.x;
    const fit = !fits ? { padding: [40, 40] } : above ? { paddingTopLeft: [40, 30], paddingBottomRight: [60, keyH + 20] }
      : { paddingTopLeft: [keyW + 20, 30], paddingBottomRight: [60, 40] };
    if (pts.length > 1) map.fitBounds(pts, Object.assign({ maxZoom: 6 }, fit));
    else if (pts.length === 1) map.setView(pts[0], points[0].precision === "country" ? 4 : 6);  // the centre: clear of the legend
    else map.setView([25, 20], 2);
    node.dataset.zoom = map.getZoom();
    node.dataset.width = map.getSize().x;
    map.on("zoomend", () => { node.dataset.zoom = map.getZoom(); });
    let world = null;
    try {
      world = await worldOutlines();
      // On a canvas: a few hundred polygons as one bitmap cost less than as SVG elements.
      L.geoJSON(world, { pane: "countries", renderer: L.canvas({ pane: "countries" }), interactive: false,
        style: { color: "#9aa6b2", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 } }).addTo(map);
    } catch (err) { console.warn("country outlines not drawn", err); }

    // Country-level events: the country itself, outlined and lightly tinted, with a small dashed square at its
    // centre (not a circle: it is no place, and it stays smaller than the place markers whatever its toll).
    const countryLevel = points.filter((p) => p.precision === "country");
    for (const p of countryLevel) {
      const shape = world && world.features.find((f) => f.id === p.country_numeric);
      if (shape) {
        L.geoJSON(shape, { pane: "countrylevel", className: "country-level-shape", interactive: false,
          style: { color: colorOf(p), weight: 1.2, dashArray: "5 4", fillColor: colorOf(p), fillOpacity: 0.05 } }).addTo(map);
      }
      const mark = L.marker([p.lat, p.lon], {
        icon: L.divIcon({ className: "country-mark" + (p.contested ? " contested" : ""), iconSize: [10, 10],
          html: h("span", { class: "country-mark-box", "data-n": p.n }) }),
        keyboard: false, title: describe(p),
      }).addTo(map);
      mark.bindPopup(() => popup(p));
      accessible(mark, describe(p), () => mark.openPopup());
    }

    // Place points, merged into clusters where they would overlap at the current zoom.
    const places = points.filter((p) => p.precision !== "country");
    const layer = L.layerGroup().addTo(map);
    function redraw() {
      layer.clearLayers();
      const zoom = map.getZoom();
      // Greedy, busiest place first: a point joins the first cluster whose centre is within CLUSTER_PX.
      const clusters = [];
      for (const p of places.slice().sort((a, b) => b.n - a.n || (b.killed || 0) - (a.killed || 0))) {
        const xy = map.project([p.lat, p.lon], zoom);
        const near = clusters.find((c) => Math.hypot(c.x - xy.x, c.y - xy.y) < CLUSTER_PX);
        if (near) near.members.push(p); else clusters.push({ x: xy.x, y: xy.y, members: [p] });
      }
      const groups = clusters.map((c) => c.members);
      const ranked = groups.slice().sort((a, b) => sum(b, "n") - sum(a, "n") || (sum(b, "killed") - sum(a, "killed")));
      const labelled = new Set(ranked.slice(0, LABELS));
      // Permanent labels are bound after every marker is on the map: Leaflet measures each label as it opens it
      // (offsetWidth), which forces a layout; interleaved with adding markers, that was one full layout per label.
      const labels = [];
      for (const group of groups) {
        if (group.length === 1) {
          const p = group[0];
          const m = L.circleMarker([p.lat, p.lon], { radius: radius(p.killed), color: "#fff", weight: 1.5, fillColor: colorOf(p), fillOpacity: 0.85 }).addTo(layer);
          m.bindPopup(() => popup(p));
          if (labelled.has(group)) labels.push([m, p.place || "", radius(p.killed)]);
          else m.bindTooltip(() => h("span", {}, describe(p)));
          accessible(m, describe(p), () => m.openPopup());
          continue;
        }
        const lat = group.reduce((s, p) => s + p.lat, 0) / group.length, lon = group.reduce((s, p) => s + p.lon, 0) / group.length;
        const n = sum(group, "n"), killed = group.some((p) => p.killed != null) ? sum(group, "killed") : null;
        const contested = sum(group, "contested");
        const names = group.map((p) => p.place).filter(Boolean);
        const label = `${group.length} places (${names.slice(0, 4).join(", ")}${names.length > 4 ? ", …" : ""}): ${n} events` +
          (killed != null ? `, ${killed} killed` : "") + (contested ? `, ${contested} contested` : "") + ". Zoom in to see them.";
        const size = 22 + Math.min(16, Math.round(Math.sqrt(n) * 3));
        const icon = L.divIcon({ className: "cluster" + (contested ? " contested" : ""), iconSize: [size, size],
          html: h("span", { class: "cluster-count" }, String(n)) });
        const m = L.marker([lat, lon], { icon, keyboard: false, title: label }).addTo(layer);
        // Zoom in until the members stand apart (their spread doubles with each zoom level).
        const spread = Math.max(1, ...group.map((p) => map.project([p.lat, p.lon], zoom).distanceTo(map.project([lat, lon], zoom)) * 2));
        const zoomIn = () => map.setView([lat, lon], Math.min(map.getMaxZoom(), zoom + Math.max(1, Math.ceil(Math.log2((CLUSTER_PX * 1.5) / spread)))));
        m.on("click", zoomIn);
        if (labelled.has(group)) labels.push([m, names[0] + (names.length > 1 ? ` +${names.length - 1}` : ""), size / 2]);
        accessible(m, label, zoomIn);
      }
      for (const [m, text, dx] of labels) m.bindTooltip(text, { permanent: true, direction: "right", offset: [dx, 0], className: "place-label" });
      node.dataset.markers = String(groups.length);
      node.dataset.clusters = String(groups.filter((g) => g.length > 1).length);
    }
    map.on("zoomend", redraw);
    redraw();
    drawAdmin1(map, [...new Set(points.map((p) => p.country).filter(Boolean))]);
    const notes = [];
    if (data.without_coordinates) notes.push(`${data.without_coordinates} event(s) without coordinates are not on the map.`);
    if (data.total > data.shown) notes.push(`The map shows the newest ${data.shown} of ${data.total} matching events.`);
    return notes.join(" ");
  }
  function sum(group, key) { return group.reduce((s, p) => s + (p[key] || 0), 0); }

  S.drawMap = drawMap;
})();
