// The page's entry: it finds its view in the path and shows it. Each view
// is a module with one render(main, params) function; views are whole
// pages (links load them), so a view needs no clean-up.
import {el, zone} from "./dom.js";
import {forgetKey} from "./api.js";

const routes = [
  [/^\/ui\/?$/, "now", () => import("./now.js")],
  [/^\/ui\/game\/([^/]+)$/, "game", () => import("./game.js")],
  [/^\/ui\/team\/([^/]+)$/, "team", () => import("./team.js")],
  [/^\/ui\/webhooks$/, "webhooks", () => import("./webhooks.js")],
];

async function start() {
  document.getElementById("zone").textContent = `Times are in ${zone}.`;
  document.getElementById("forget-key").addEventListener("click", () => {
    forgetKey();
    location.reload();
  });
  const main = document.getElementById("view");
  const path = location.pathname;
  for (const [re, name, load] of routes) {
    const m = path.match(re);
    if (!m) continue;
    for (const a of document.querySelectorAll("nav a[data-view]")) {
      if (a.dataset.view === name) a.setAttribute("aria-current", "page");
    }
    const params = m.slice(1).map(decodeURIComponent);
    try {
      const view = await load();
      await view.render(main, params, new URLSearchParams(location.search));
    } catch (err) {
      main.replaceChildren(el("p", {class: "error", role: "alert", text: `This view could not be shown: ${err.message}`}));
    }
    // What a person sees first is on the page: the time to it is measured.
    performance.mark("sd-content");
    return;
  }
  main.replaceChildren(el("p", {class: "error", text: "There is no such view."}));
}

// A page brought back from the browser's cache would show old scores.
addEventListener("pageshow", (e) => {
  if (e.persisted) location.reload();
});

start();
