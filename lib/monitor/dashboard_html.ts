/**
 * The dashboard page served at `/` by `serveMonitor`: one self-contained
 * HTML document (inline CSS and script, no external assets), fed by
 * `/api/events`. The page reads the cancel token from its URL fragment
 * (`#token=...`), which never reaches the server's logs or other sites.
 */

const STYLE = `
:root { color-scheme: light dark; --bg: #fbfbfd; --fg: #1d1d22; --muted: #6b6b76;
  --line: #dedee6; --head: #f0f0f5; --accent: #3355cc; }
@media (prefers-color-scheme: dark) { :root { --bg: #16161b; --fg: #e6e6ee; --muted: #9a9aa8;
  --line: #2e2e38; --head: #1f1f27; --accent: #7f9bff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
header { display: flex; gap: 1em; align-items: baseline; padding: 10px 16px;
  border-bottom: 1px solid var(--line); background: var(--head); }
header h1 { font-size: 17px; margin: 0; }
#status { color: var(--muted); }
#status.live { color: #2a9d4b; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; padding: 16px; }
#status.ended { color: var(--fg); font-weight: 600; }
#warnings { margin: 0; padding: 0 16px; list-style: none; }
#warnings li { margin: 8px 0 0; padding: 6px 10px; border-left: 4px solid #e0a800;
  background: var(--head); font-size: 13px; }
#legend { display: flex; flex-wrap: wrap; gap: 4px 14px; color: var(--muted); font-size: 12px; margin: 6px 0 0; }
#legend .swatch { display: inline-block; width: 12px; height: 8px; border-radius: 2px; margin-right: 4px; }
#dropped { color: var(--muted); font-size: 13px; }
section { min-width: 0; overflow-x: auto; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 0 0 6px; }
table { border-collapse: collapse; width: 100%; font: 13px ui-monospace, monospace; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; max-width: 28em; }
th { color: var(--muted); font-weight: 600; }
pre { margin: 0; font: 13px ui-monospace, monospace; overflow: auto; }
.state { font-weight: 600; }
.s-pending { color: #888; } .s-running { color: #2a9d4b; } .s-waiting { color: #c08a00; }
.s-done { color: #3a6fd8; } .s-failed { color: #d33; } .s-cancelled { color: #a03ab0; }
button.cancel { font: 12px system-ui; padding: 1px 8px; cursor: pointer; max-width: 100%; }
/* Fixed columns: a long name or wait is cut with an ellipsis (its title has it
   whole) and never pushes the Cancel column out of the box or under the tree. */
#live { table-layout: fixed; }
#live .c-id { width: 3.5em; } #live .c-state { width: 6.5em; } #live .c-age { width: 5em; }
#live .c-name { width: 35%; } #live .c-cancel { width: 5.5em; }
#live td:last-child { overflow: visible; }
button.cancel:disabled { cursor: not-allowed; }
#message { color: var(--muted); min-height: 1.4em; font-size: 13px; }
.empty { color: var(--muted); font-style: italic; }
#timeline .row { display: grid; grid-template-columns: 14em 1fr 6em; gap: 8px; align-items: center;
  font: 12px ui-monospace, monospace; height: 18px; }
#timeline .label, #timeline .len { overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
#timeline .track { position: relative; height: 12px; background: var(--head); border-radius: 2px; }
#timeline .bar { position: absolute; top: 0; bottom: 0; min-width: 2px; border-radius: 2px; }
.b-pending { background: #aaa; } .b-running { background: #2a9d4b; } .b-waiting { background: #e0a800; }
.b-done { background: #3a6fd8; } .b-failed { background: #d33; } .b-cancelled { background: #a03ab0; }
#axis { display: grid; grid-template-columns: 14em 1fr 6em; gap: 8px; color: var(--muted); font-size: 12px; }
#axis .ends { display: flex; justify-content: space-between; }
/* Narrow windows: one column, and no cell wider than a third of the screen. */
@media (max-width: 900px) { main { grid-template-columns: minmax(0, 1fr); }
  th, td { max-width: 12em; padding: 3px 5px; }
  #live .c-id { width: 2.5em; } #live .c-state { width: 5.5em; } #live .c-age { width: 4em; }
  #live .c-cancel { width: 4.8em; } button.cancel { padding: 1px 4px; } }
/* Phones: the name and what it waits on share what is left equally. */
@media (max-width: 600px) { #live .c-name { width: auto; }
  #timeline .row, #axis { grid-template-columns: 9em 1fr 4.5em; } }
`;

/** How many finished tasks the dashboard keeps (what the event stream sends at most). */
export const DASHBOARD_FINISHED = 1000;

const SCRIPT = String.raw`
"use strict";
const tasks = new Map();
const rows = new Map();
const token = new URLSearchParams(location.hash.slice(1)).get("token");
let serverNow = 0, receivedAt = performance.now(), dirty = true, ended = null, warnings = [], dropped = 0;
let lostAt = null, lostCheck = () => {};
const LOST_MS = 3000;
const $ = (id) => document.getElementById(id);
const now = () => ended ? serverNow : serverNow + (performance.now() - receivedAt);
const FINAL = new Set(["done", "failed", "cancelled"]);
const isLive = (t) => !FINAL.has(t.state);
// Names past 60 characters are cut where CSS cannot do it (the tree, the timeline).
const short = (name) => name.length > 60 ? name.slice(0, 59) + "…" : name;

function duration(ms) {
  if (!(ms >= 0)) ms = 0;
  if (ms < 1000) return Math.round(ms) + "ms";
  if (ms < 10000) return (ms / 1000).toFixed(2) + "s";
  if (ms < 60000) return (ms / 1000).toFixed(1) + "s";
  const s = Math.floor(ms / 1000);
  return Math.floor(s / 60) + "m" + String(s % 60).padStart(2, "0") + "s";
}
function detail(t) {
  if (t.state === "done") return t.result === undefined ? "" : "= " + t.result;
  if (t.state === "failed" || t.state === "cancelled") return t.error || "";
  return t.waitingOn || "";
}
function receive(body, replace) {
  if (replace) tasks.clear();
  for (const t of body.tasks) tasks.set(t.id, t);
  if (body.warnings) warnings = body.warnings;
  if (typeof body.dropped === "number") dropped = body.dropped;
  serverNow = body.now; receivedAt = performance.now();
  const finished = [...tasks.values()].filter((t) => !isLive(t));
  for (let i = 0; i < finished.length - ${DASHBOARD_FINISHED}; i++) tasks.delete(finished[i].id);
  dirty = true;
}
function connect() {
  if (!token) {
    $("status").textContent = "no token: open the URL printed by corun run --monitor (it ends in #token=...)";
    return;
  }
  const events = new EventSource("api/events?token=" + encodeURIComponent(token));
  events.addEventListener("snapshot", (e) => receive(JSON.parse(e.data), true));
  events.addEventListener("update", (e) => receive(JSON.parse(e.data), false));
  events.addEventListener("end", (e) => {
    const body = JSON.parse(e.data);
    events.close();
    // Keep every task it knew, in its final state; the clock stops at the end.
    receive(body, false);
    freeze(body, body.reason + " at " + clockTime(body.endedAt));
  });
  events.onopen = () => { lostAt = null; $("status").textContent = "live"; $("status").className = "live"; };
  events.onerror = () => {
    if (ended) return;
    if (lostAt === null) lostAt = { perf: performance.now(), wall: Date.now() };
    $("status").textContent = "disconnected, retrying"; $("status").className = "";
  };
  // No end event (killed, Deno.exit()): after LOST_MS without a connection, stop
  // retrying and show the last state known, frozen at the moment it was lost.
  lostCheck = () => {
    if (ended || lostAt === null || performance.now() - lostAt.perf < LOST_MS) return;
    events.close();
    serverNow += lostAt.perf - receivedAt; receivedAt = lostAt.perf;
    freeze({ reason: "connection lost" },
      "connection lost at " + clockTime(lostAt.wall) + " (the process probably ended)");
  };
}
function clockTime(ms) { return new Date(ms).toLocaleTimeString("en-GB", { hour12: false }); }
function freeze(body, text) {
  ended = body;
  $("status").textContent = text; $("status").className = "ended";
  for (const tr of rows.values()) tr.lastChild.replaceChildren();
  render();
}
function cell(tr, i, text, cls) {
  const td = tr.children[i];
  if (td.textContent !== text) { td.textContent = text; td.title = text; }
  if (cls !== undefined && td.className !== cls) td.className = cls;
}
function renderLive(live) {
  const body = $("live-body");
  for (const [id, tr] of rows) if (!tasks.has(id) || !isLive(tasks.get(id))) { tr.remove(); rows.delete(id); }
  for (const t of live) {
    let tr = rows.get(t.id);
    if (!tr) {
      tr = document.createElement("tr");
      tr.dataset.taskId = String(t.id);
      for (let i = 0; i < 5; i++) tr.appendChild(document.createElement("td"));
      const td = document.createElement("td");
      if (ended) { td.textContent = ""; tr.appendChild(td); rows.set(t.id, tr); body.appendChild(tr); continue; }
      const button = document.createElement("button");
      button.className = "cancel"; button.textContent = "Cancel"; button.dataset.taskId = String(t.id);
      if (!token) { button.disabled = true; button.title = "open the URL with #token=... to cancel"; }
      td.appendChild(button); tr.appendChild(td);
      rows.set(t.id, tr); body.appendChild(tr);
    }
    cell(tr, 0, String(t.id)); cell(tr, 1, t.name); cell(tr, 2, t.state, "state s-" + t.state);
    cell(tr, 3, duration(now() - t.createdAt)); cell(tr, 4, detail(t));
  }
  $("live-empty").hidden = live.length !== 0;
}
function renderFinished(finished) {
  const body = $("finished-body");
  const shown = finished.slice(-100).reverse();
  body.replaceChildren(...shown.map((t) => {
    const tr = document.createElement("tr");
    tr.dataset.taskId = String(t.id);
    const texts = [String(t.id), t.name, t.state, duration(t.endedAt - t.createdAt), detail(t)];
    texts.forEach((text, i) => {
      const td = document.createElement("td");
      td.textContent = text; td.title = text;
      if (i === 2) td.className = "state s-" + t.state;
      tr.appendChild(td);
    });
    return tr;
  }));
  $("finished-empty").hidden = finished.length !== 0;
}
function renderTree(live) {
  const ids = new Set(live.map((t) => t.id));
  const kids = new Map();
  for (const t of live) {
    const p = ids.has(t.parentId) ? t.parentId : 0;
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p).push(t);
  }
  const lines = [];
  const visit = (t, prefix, branch) => {
    lines.push(prefix + branch + short(t.name) + " #" + t.id + " " + t.state + " " + duration(now() - t.createdAt) +
      (detail(t) ? " " + detail(t) : ""));
    const list = kids.get(t.id) || [];
    const next = prefix + (branch === "" ? "" : branch === "├─ " ? "│  " : "   ");
    list.forEach((k, i) => visit(k, next, i === list.length - 1 ? "└─ " : "├─ "));
  };
  for (const root of kids.get(0) || []) visit(root, "", "");
  $("tree").textContent = lines.length ? lines.join("\n") : "(no live tasks)";
}
function renderTimeline(live, finished) {
  const shown = finished.slice(-40).concat(live).sort((a, b) => a.createdAt - b.createdAt || a.id - b.id)
    .slice(-60);
  const box = $("timeline");
  if (shown.length === 0) { box.replaceChildren(); $("axis-end").textContent = ""; return; }
  const t1 = now();
  const start = Math.min(...shown.map((t) => t.createdAt));
  const span = Math.max(t1 - start, 1);
  box.replaceChildren(...shown.map((t) => {
    const row = document.createElement("div"); row.className = "row"; row.dataset.taskId = String(t.id);
    const label = document.createElement("span"); label.className = "label";
    label.textContent = short(t.name) + " #" + t.id; label.title = t.name + " #" + t.id;
    const track = document.createElement("div"); track.className = "track";
    const begin = t.startedAt === undefined ? (t.endedAt ?? t1) : t.startedAt;
    const end = t.endedAt ?? t1;
    const add = (from, to, cls) => {
      const bar = document.createElement("div"); bar.className = "bar " + cls;
      bar.style.left = ((from - start) / span * 100) + "%";
      bar.style.width = (Math.max(0, to - from) / span * 100) + "%";
      track.appendChild(bar);
    };
    if (begin > t.createdAt) add(t.createdAt, begin, "b-pending");
    if (t.startedAt !== undefined) add(begin, end, "b-" + t.state);
    const len = document.createElement("span"); len.className = "len s-" + t.state;
    len.textContent = duration(end - (t.startedAt ?? t.createdAt));
    row.append(label, track, len);
    return row;
  }));
  $("axis-end").textContent = duration(span);
}
function renderWarnings() {
  const list = $("warnings");
  const text = warnings.map((w) => w.message).join("\n");
  if (list.dataset.text === text) return;
  list.dataset.text = text;
  list.replaceChildren(...warnings.map((w) => {
    const li = document.createElement("li"); li.textContent = "⚠ " + w.message; return li;
  }));
}
function render() {
  const all = [...tasks.values()].sort((a, b) => a.id - b.id);
  const live = all.filter(isLive);
  const finished = all.filter((t) => !isLive(t)).sort((a, b) => a.endedAt - b.endedAt || a.id - b.id);
  $("counts").textContent = live.length + " live, " + finished.length + " finished";
  renderWarnings();
  $("dropped").textContent = dropped ? "(" + dropped + " older finished tasks dropped from the history)" : "";
  renderLive(live);
  if (dirty) { renderFinished(finished); dirty = false; }
  renderTree(live);
  renderTimeline(live, finished);
}
$("live-body").addEventListener("click", async (e) => {
  const button = e.target.closest("button.cancel");
  if (!button) return;
  button.disabled = true;
  const id = button.dataset.taskId;
  try {
    const res = await fetch("api/tasks/" + id + "/cancel", {
      method: "POST", headers: { authorization: "Bearer " + token } });
    const body = await res.json();
    $("message").textContent = res.ok ? "Cancelled task " + id + "." : "Task " + id + ": " + body.error;
  } catch (error) {
    $("message").textContent = "Cancel failed: " + error;
    button.disabled = false;
  }
});
connect();
const ticker = setInterval(() => { lostCheck(); render(); if (ended) clearInterval(ticker); }, 250);
render();
`;

/** The whole dashboard page. */
export const DASHBOARD_HTML: string = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>corun monitor</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>corun monitor</h1><span id="status">connecting</span><span id="counts"></span></header>
<ul id="warnings" aria-label="warnings"></ul>
<main>
<section>
<h2>Live tasks</h2>
<table id="live"><colgroup><col class="c-id"><col class="c-name"><col class="c-state"><col class="c-age">
<col class="c-wait"><col class="c-cancel"></colgroup><thead><tr><th>ID</th><th>Name</th><th>State</th><th>Age</th><th>Waiting on</th><th></th></tr></thead>
<tbody id="live-body"></tbody></table>
<p id="live-empty" class="empty">No live tasks.</p>
<p id="message" role="status"></p>
</section>
<section>
<h2>Tree</h2>
<pre id="tree"></pre>
</section>
<section class="wide">
<h2>Timeline</h2>
<div id="timeline"></div>
<div id="axis"><span></span><span class="ends"><span>0</span><span id="axis-end"></span></span><span></span></div>
<p id="legend"><span><span class="swatch b-pending"></span>pending (created, not started)</span>
<span><span class="swatch b-running"></span>running</span><span><span class="swatch b-waiting"></span>waiting</span>
<span><span class="swatch b-done"></span>done</span><span><span class="swatch b-failed"></span>failed</span>
<span><span class="swatch b-cancelled"></span>cancelled</span><span>right column: time since start</span></p>
</section>
<section class="wide">
<h2>Recently finished <span id="dropped"></span></h2>
<table id="finished"><thead><tr><th>ID</th><th>Name</th><th>State</th><th>Lifetime</th><th>Result</th></tr></thead>
<tbody id="finished-body"></tbody></table>
<p id="finished-empty" class="empty">Nothing has finished yet.</p>
</section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
