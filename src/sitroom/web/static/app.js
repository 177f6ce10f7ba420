/* sitroom web UI: the router. Pages are addressed by the URL hash, so links and the back button work. */
"use strict";
(function () {
  const S = window.Sitroom;
  const P = S.pages;
  const routes = [
    [/^#?\/?(?:\?(.*))?$/, "home", (m) => P.pageHome(m[1] || "")],
    [/^#\/stories$/, "stories", () => P.pageStories()],
    [/^#\/story\/([^/?]+)$/, "stories", (m) => P.pageStory(decodeURIComponent(m[1]))],
    [/^#\/event\/([^/?]+)$/, "events", (m) => P.pageEvent(decodeURIComponent(m[1]))],
    [/^#\/events(?:\?(.*))?$/, "events", (m) => P.pageEvents(m[1] || "")],
    [/^#\/contradictions$/, "contradictions", () => P.pageContradictions()],
    [/^#\/search(?:\?(.*))?$/, "search", (m) => P.pageSearch(m[1] || "")],
    [/^#\/ceasefires$/, "ceasefires", () => P.pageCeasefires()],
    [/^#\/rejections$/, "rejections", () => P.pageRejections()],
    [/^#\/about$/, "about", () => P.pageAbout()],
    [/^#\/article\/([^/?]+)(?:\/(\d+)\/(\d+))?$/, "search", (m) => P.pageArticle(decodeURIComponent(m[1]), m[2], m[3])],
  ];
  async function route() {
    const hash = location.hash || "#/";
    for (const [re, nav, fn] of routes) {
      const m = hash.match(re);
      if (!m) continue;
      document.querySelectorAll("[data-nav]").forEach((a) => {
        a.classList.toggle("active", a.dataset.nav === nav);
        if (a.dataset.nav === nav) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
      });
      S.view.setAttribute("aria-busy", "true");
      const t0 = performance.now();
      try { await fn(m); } catch (err) { S.fail(err); }
      S.view.removeAttribute("aria-busy");
      // When the page was complete (data fetched, map drawn), for tests and bench/api_latency.py --ui.
      S.view.dataset.renderMs = (performance.now() - t0).toFixed(1);
      S.view.dataset.rendered = hash;
      return;
    }
    S.fail(new Error(`No page at ${hash}; go back to the home page.`));
  }
  window.addEventListener("hashchange", () => { route(); S.view.focus({ preventScroll: true }); });
  // The skip link moves focus to the content without touching the hash the router reads.
  document.querySelector(".skip").addEventListener("click", (ev) => {
    ev.preventDefault();
    S.view.focus();
    S.view.scrollIntoView({ block: "start" });
  });
  S.api("/api/stats").then((s) => {
    document.getElementById("stats").textContent = `${s.articles} articles · ${s.events} events · ${s.stories} stories · ${s.rejections} skipped`;
  }).catch(() => {});
  route();
})();
