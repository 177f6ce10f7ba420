/* Small SVG charts for sitroom: an event timeline with casualty whiskers and a per-party series.
   Built with DOM calls only: labels come from data, so nothing is ever parsed as markup. */
"use strict";
(function () {
  const NS = "http://www.w3.org/2000/svg";
  const DAY = 86400000;

  function svg(tag, attrs, parent) {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, value, attrs) {
    const t = svg("text", Object.assign({ x, y }, attrs || {}), parent);
    t.textContent = value;
    return t;
  }
  /* The top of a y axis of four steps, each a round whole number (1, 2, 2.5 or 5 times a power of ten, at least 1):
     32 -> 40 (0, 10, 20, 30, 40), never 50 in quarters labelled 13 and 38. */
  function niceMax(v) {
    for (let p = 1; ; p *= 10) {
      for (const m of [1, 2, 2.5, 5]) {
        const step = m * p;
        if (step % 1 === 0 && 4 * step >= v) return 4 * step;
      }
    }
  }
  function dayOf(iso) { return Date.parse(iso + "T00:00:00Z"); }
  function fmt(ms) { return new Date(ms).toISOString().slice(0, 10); }

  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  /* Ticks for a time axis: days for a few weeks, months for a few years, else years; a label carries
     its year wherever the year changes (and on the first tick), so a span across years reads as one. */
  function ticks(t0, t1, width) {
    const days = Math.max(1, (t1 - t0) / DAY);
    const room = Math.max(3, Math.floor(width / 70));  // about 70 px per label
    let out = [];
    const d0 = new Date(t0);
    const daily = () => {
      const step = Math.max(1, Math.ceil(days / room));
      const list = [];
      for (let ms = t0; ms <= t1; ms += step * DAY) list.push(ms);
      return list;
    };
    let mode = days <= room * 7 ? "day" : days <= 366 * 4 ? "month" : "year";
    if (mode === "day") {
      out = daily();
    } else if (mode === "month") {
      const step = Math.max(1, Math.ceil(days / 30.4 / room));
      let y = d0.getUTCFullYear(), m = d0.getUTCMonth() + 1;
      for (;; m += step) {
        const ms = Date.UTC(y + Math.floor((m) / 12), m % 12, 1);
        if (ms > t1) break;
        if (ms >= t0) out.push(ms);
      }
    } else {
      const step = Math.max(1, Math.ceil(days / 365.25 / room));
      for (let y = d0.getUTCFullYear() + 1; Date.UTC(y, 0, 1) <= t1; y += step) out.push(Date.UTC(y, 0, 1));
    }
    if (out.length < 2) { mode = "day"; out = daily(); }  // a short span across a month's start: days, not one lone month
    let lastYear = null;
    return out.map((ms, i) => {
      const d = new Date(ms), year = d.getUTCFullYear();
      const showYear = i === 0 || year !== lastYear;
      lastYear = year;
      let label;
      if (mode === "day") label = (showYear ? `${year}-` : "") + fmt(ms).slice(5);
      else if (mode === "month") label = MONTHS[d.getUTCMonth()] + (showYear ? ` ${year}` : "");
      else label = String(year);
      return { ms, label, year: showYear };
    });
  }

  /* Axes shared by both charts; returns the x and y scales. */
  function frame(root, W, H, M, t0, t1, yMax, yLabel) {
    const x = (ms) => M.l + ((ms - t0) / Math.max(t1 - t0, DAY)) * (W - M.l - M.r);
    const y = (v) => H - M.b - (v / yMax) * (H - M.t - M.b);
    const ax = svg("g", { class: "axis" }, root);
    for (let i = 0; i <= 4; i++) {
      const v = (yMax / 4) * i;
      svg("line", { class: "gridline", x1: M.l, x2: W - M.r, y1: y(v), y2: y(v) }, ax);
      text(ax, M.l - 6, y(v) + 4, String(Math.round(v)), { "text-anchor": "end" });
    }
    for (const t of ticks(t0, t1, W - M.l - M.r)) {
      svg("line", { x1: x(t.ms), x2: x(t.ms), y1: H - M.b, y2: H - M.b + 4 }, ax);
      text(ax, x(t.ms), H - M.b + 17, t.label, { "text-anchor": "middle", class: t.year ? "tick year" : "tick" });
    }
    // Each new year is a line across the plot, labelled: a span across years is visibly so.
    const y0 = new Date(t0).getUTCFullYear(), y1 = new Date(t1).getUTCFullYear();
    for (let year = y0 + 1; year <= y1; year++) {
      const ms = Date.UTC(year, 0, 1);
      svg("line", { class: "year-line", x1: x(ms), x2: x(ms), y1: M.t, y2: H - M.b }, ax);
      text(ax, x(ms) + 4, M.t + 11, String(year), { class: "year-label" });
    }
    svg("line", { x1: M.l, x2: W - M.r, y1: H - M.b, y2: H - M.b }, ax);
    text(ax, 12, M.t + (H - M.t - M.b) / 2, yLabel, { transform: `rotate(-90 12 ${M.t + (H - M.t - M.b) / 2})`, "text-anchor": "middle" });
    return { x, y };
  }

  /* Events by date; dot = best fatality figure, whisker = low–high of all claims.
     onPick(event) runs on click or Enter. Returns {node, undated}. */
  function timeline(events, onPick, width) {
    const dated = events.filter((e) => e.date);
    // Drawn at the width it is shown at, so its text stays at its CSS size on a phone.
    const W = Math.max(300, Math.round(width || 720)), H = W < 500 ? 220 : 260, M = { l: 46, r: 16, t: 16, b: 32 };
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "group", "aria-label": "Timeline of events and fatality figures" });
    if (!dated.length) {
      text(root, W / 2, H / 2, "No dated events", { "text-anchor": "middle", class: "muted" });
      return { node: root, undated: events.length };
    }
    const times = dated.map((e) => dayOf(e.date));
    const pad = Math.max(DAY, (Math.max(...times) - Math.min(...times)) * 0.03);
    const t0 = Math.min(...times) - pad, t1 = Math.max(...times) + pad;
    const highs = dated.map((e) => Math.max(e.fatalities.high || 0, e.fatalities.best || 0));
    const yMax = niceMax(Math.max(1, ...highs));
    const { x, y } = frame(root, W, H, M, t0, t1, yMax, "fatalities");
    // Events on the same day are fanned out sideways so none hides another.
    const perDay = {};
    for (const e of dated) {
      const k = e.date; const n = (perDay[k] = (perDay[k] || 0) + 1) - 1;
      const cx = x(dayOf(e.date)) + (n % 2 ? 1 : -1) * Math.ceil(n / 2) * 9;
      const f = e.fatalities || {};
      const g = svg("g", {}, root);
      if (f.low != null && f.high != null && f.high !== f.low) {
        svg("line", { class: "whisker", x1: cx, x2: cx, y1: y(f.low), y2: y(f.high) }, g);
        for (const v of [f.low, f.high]) svg("line", { class: "whisker", x1: cx - 4, x2: cx + 4, y1: y(v), y2: y(v) }, g);
      }
      const contested = (e.contradictions || []).length > 0;
      const dot = svg("circle", {
        class: "dot" + (f.best == null ? " none" : contested ? " contested" : ""),
        cx, cy: y(f.best || 0), r: f.best == null ? 4 : 5.5, tabindex: 0, role: "button",
        "data-event": e.id,
      }, g);
      const label = `${e.date} ${window.Sitroom.subLabel(e.sub_event_type)} in ${(e.location || {}).name || "unknown place"}: ` +
        (f.best == null ? "no casualty figure" : `${f.best} killed` + (f.high != null && f.high !== f.low ? ` (reports ${f.low}–${f.high})` : ""));
      dot.setAttribute("aria-label", label);
      svg("title", {}, dot).textContent = label;
      const pick = () => onPick && onPick(e);
      dot.addEventListener("click", pick);
      dot.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(); } });
    }
    return { node: root, undated: events.length - dated.length };
  }

  const PALETTE = ["#2f6fab", "#a4431d", "#3c8d5a", "#7b4fa0", "#b08a1e", "#4a5a6a"];

  /* Lines of counts over time, one per series: [{name, points:[{date, count}]}]. */
  function series(groups, yLabel, width) {
    const W = Math.max(300, Math.round(width || 720)), H = 200, M = { l: 46, r: 16, t: 16, b: 32 };
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", "aria-label": yLabel + " over time by party" });
    const pts = groups.flatMap((g) => g.points).filter((p) => p.date);
    if (!pts.length) { text(root, W / 2, H / 2, "No dated counts", { "text-anchor": "middle" }); return root; }
    const times = pts.map((p) => dayOf(p.date));
    const t0 = Math.min(...times) - DAY, t1 = Math.max(...times) + DAY;
    const yMax = niceMax(Math.max(1, ...pts.map((p) => p.count || 0)));
    const { x, y } = frame(root, W, H, M, t0, t1, yMax, yLabel);
    groups.forEach((g, i) => {
      const color = PALETTE[(g.index ?? i) % PALETTE.length];  // g.index: the party's colour, the same on every chart
      const ps = g.points.filter((p) => p.date && p.count != null).sort((a, b) => a.date.localeCompare(b.date));
      if (ps.length > 1) svg("polyline", { class: "series", stroke: color, points: ps.map((p) => `${x(dayOf(p.date))},${y(p.count)}`).join(" ") }, root);
      for (const p of ps) {
        const c = svg("circle", { cx: x(dayOf(p.date)), cy: y(p.count), r: 4, fill: color }, root);
        svg("title", {}, c).textContent = `${p.date}: ${p.count} alleged by ${g.name}`;
      }
    });
    return root;
  }

  window.SitroomChart = { timeline, series, ticks, PALETTE };
})();
