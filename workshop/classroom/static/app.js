// The classroom dashboard: reads the room over server-sent events and draws it.
// Every piece of learner data goes into the page with textContent (never innerHTML),
// so a name like <img onerror=...> is shown as text. The page's CSP forbids inline
// scripts as a second line of defence.
"use strict";

const state = {
  token: "",
  learners: new Map(),   // id -> summary (see Room.to_json)
  lessons: {},           // lesson -> [step ids]
  radar: { stuck: [], help: [], funnel: [], lesson: "" },
  chosenLesson: "",      // "" = follow the room
  selected: null,        // learner id shown in the timeline
  broadcasts: new Map(),
  drawPending: false,
  source: null,
};

const $ = (id) => document.getElementById(id);

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  return node;
}

function api(path, options) {
  const opts = Object.assign({ headers: {} }, options || {});
  opts.headers.Authorization = "Bearer " + state.token;
  if (opts.body !== undefined) opts.headers["Content-Type"] = "application/json";
  return fetch(path, opts);
}

function lesson() {
  return state.chosenLesson || state.radar.lesson || Object.keys(state.lessons)[0] || "";
}

function clock(t) {
  return new Date(t * 1000).toLocaleTimeString([], { hour12: false });
}

// ---------------------------------------------------------------- drawing

function scheduleDraw() {
  if (state.drawPending) return;
  state.drawPending = true;
  requestAnimationFrame(() => { state.drawPending = false; draw(); });
}

function draw() {
  drawLessons();
  drawGrid();
  drawRadar();
  drawFunnel();
  const active = [...state.learners.values()].filter((l) => !l.left).length;
  $("counts").textContent = `${active} learner(s) connected, ${state.learners.size} joined`;
}

function drawLessons() {
  const select = $("lesson-select");
  const names = Object.keys(state.lessons);
  const current = lesson();
  $("lesson-label").textContent = current ? "Lesson: " + current : "No lesson yet";
  if (select.dataset.names === names.join("\n") && select.value === current) return;
  select.replaceChildren();
  for (const name of names) select.append(el("option", name, { value: name }));
  select.value = current;
  select.dataset.names = names.join("\n");
}

function drawRow(l, current, steps, isStuck, needsHelp) {
  const tr = el("tr", null, { "data-learner": l.id });
  if (isStuck) tr.classList.add("stuck");
  if (l.left) tr.classList.add("left");
  const name = el("td", null, { class: "name", title: l.name });
  if (needsHelp) name.append(el("span", "help", { class: "flag" }), " ");
  name.append(el("span", l.name, { class: "learner-name" }));
  name.addEventListener("click", () => selectLearner(l.id));
  tr.append(name);
  const cells = (l.cells || {})[current] || {};
  for (const step of steps) {
    const cell = cells[step];
    const status = cell ? cell.status : "todo";
    const symbol = { active: "▶", failing: "✗", done: "✓", skipped: "↷", todo: "·" }[status] || "?";
    const text = cell && cell.attempts ? `${symbol} ${cell.attempts}` : symbol;
    tr.append(el("td", text, { "data-step": step, "data-status": status,
                               title: cell ? `${cell.attempts} attempt(s), ${cell.commands} command(s)` : "not started" }));
  }
  return tr;
}

// Rows are rebuilt only when what they show changed: a room of hundreds stays smooth.
const rowCache = new Map();  // learner id -> { key, tr }

function drawGrid() {
  const current = lesson();
  const steps = state.lessons[current] || [];
  const stuck = new Set(state.radar.stuck.map((s) => s.id));
  const help = new Set(state.radar.help.map((h) => h.id));
  const headKey = JSON.stringify([current, steps]);
  const thead = $("grid").tHead;
  if (thead.dataset.key !== headKey) {
    const head = el("tr");
    head.append(el("th", "learner", { class: "name" }));
    for (const step of steps) head.append(el("th", step, { "data-step": step }));
    thead.replaceChildren(head);
    thead.dataset.key = headKey;
  }
  const rows = [];
  for (const l of state.learners.values()) {
    const key = JSON.stringify([headKey, l.name, l.left, stuck.has(l.id), help.has(l.id),
                                (l.cells || {})[current] || null]);
    let cached = rowCache.get(l.id);
    if (!cached || cached.key !== key) {
      cached = { key, tr: drawRow(l, current, steps, stuck.has(l.id), help.has(l.id)) };
      rowCache.set(l.id, cached);
    }
    rows.push(cached.tr);
  }
  const body = $("grid").tBodies[0];
  if (rows.length !== body.rows.length || rows.some((tr, i) => body.rows[i] !== tr)) {
    body.replaceChildren(...rows);
  }
}

function drawRadar() {
  const stuck = state.radar.stuck || [];
  $("stuck-count").textContent = stuck.length;
  $("stuck").replaceChildren(...stuck.map((s) => {
    const li = el("li", null, { "data-learner": s.id });
    li.append(el("strong", s.name), el("span", " on " + s.step), el("br"),
              el("span", s.reason, { class: "reason" }));
    li.addEventListener("click", () => selectLearner(s.id));
    return li;
  }));
  const help = state.radar.help || [];
  $("help-count").textContent = help.length;
  $("help").replaceChildren(...help.map((h) => {
    const li = el("li", null, { "data-learner": h.id });
    li.append(el("strong", h.name), el("span", ` on ${h.step} since ${clock(h.time)}`));
    if (h.message) li.append(el("br"), el("span", h.message, { class: "reason" }));
    const done = el("button", "answered", { type: "button" });
    done.addEventListener("click", () => api(`/api/help/${encodeURIComponent(h.id)}/resolve`, { method: "POST" }));
    li.append(el("br"), done);
    return li;
  }));
}

function drawFunnel() {
  const funnel = state.radar.funnel || [];
  const total = Math.max(1, state.learners.size);
  $("funnel").tBodies[0].replaceChildren(...funnel.map((f) => {
    const tr = el("tr", null, { "data-step": f.step });
    const bars = el("td");
    const going = el("span", null, { class: "bar" });
    going.style.width = `${(100 * (f.started - f.completed)) / total}px`;  // CSSOM: allowed by the CSP
    const done = el("span", null, { class: "bar done" });
    done.style.width = `${(100 * f.completed) / total}px`;
    bars.append(going, done);
    tr.append(el("td", f.step), el("td", `${f.completed}/${f.started}`), bars);
    return tr;
  }));
}

function eventLine(e) {
  const li = el("li", null, { class: e.kind });
  let text = `${clock(e.time)}  ${e.step || "-"}  ${e.kind}`;
  if (e.kind === "command_run") text += `: $ ${e.command}` + (e.exit_code !== undefined ? `  (exit ${e.exit_code})` : "");
  else if (e.reason) text += `: ${e.reason}`;
  else if (e.message) text += `: ${e.message}`;
  else if (e.hint) text += `: ${e.hint}`;
  li.append(el("span", text));
  if (e.output) li.append(el("pre", e.output));
  return li;
}

async function selectLearner(id) {
  state.selected = id;
  const learner = state.learners.get(id);
  $("timeline-name").textContent = learner ? "— " + learner.name : "";
  const response = await api(`/api/learners/${encodeURIComponent(id)}/events`);
  if (!response.ok || state.selected !== id) return;
  const data = await response.json();
  $("timeline").replaceChildren(...data.events.map(eventLine));
  $("timeline").scrollTop = $("timeline").scrollHeight;
}

function addBroadcast(b) {
  if (state.broadcasts.has(b.id) || (b.kind && b.kind !== "broadcast")) return;
  state.broadcasts.set(b.id, b);
  const li = el("li", `${clock(b.time)}  ${b.text}`, { "data-broadcast": b.id });
  $("broadcasts").prepend(li);
}

// ---------------------------------------------------------------- live stream

function applySnapshot(data) {
  state.learners = new Map(data.learners.map((l) => [l.id, l]));
  state.lessons = data.lessons || {};
  state.radar = data.radar;
  if (data.settings) $("share-output").checked = !!data.settings.share_output;
  scheduleDraw();
}

function applyUpdate(data) {
  for (const l of data.learners) state.learners.set(l.id, l);
  if (data.radar) { state.radar = data.radar; if (data.radar.lessons) state.lessons = data.radar.lessons; }
  if (state.selected) {
    const list = $("timeline");
    for (const e of data.events) if (e.learner === state.selected) list.append(eventLine(e));
  }
  scheduleDraw();
}

function connect() {
  if (state.source) state.source.close();
  const source = new EventSource("/api/stream?token=" + encodeURIComponent(state.token));
  state.source = source;
  const conn = $("conn");
  source.onopen = () => { conn.dataset.state = "live"; conn.textContent = "live"; };
  source.onerror = () => { conn.dataset.state = "offline"; conn.textContent = "reconnecting…"; };
  source.addEventListener("snapshot", (m) => applySnapshot(JSON.parse(m.data)));
  source.addEventListener("update", (m) => applyUpdate(JSON.parse(m.data)));
  source.addEventListener("radar", (m) => {
    const radar = JSON.parse(m.data);
    state.radar = radar;
    if (radar.lessons) state.lessons = radar.lessons;
    scheduleDraw();
  });
  source.addEventListener("broadcast", (m) => addBroadcast(JSON.parse(m.data)));
  source.addEventListener("settings", (m) => { $("share-output").checked = !!JSON.parse(m.data).share_output; });
}

// ---------------------------------------------------------------- start

async function open(token) {
  state.token = token;
  let response;
  try {
    response = await api("/api/room");
  } catch (err) {
    $("login").hidden = false;
    $("login-error").textContent = "Cannot reach the classroom server; is it running?";
    return;
  }
  if (response.status === 401) {
    sessionStorage.removeItem("classroom-token");
    $("login").hidden = false;
    $("main").hidden = true;
    $("login-error").textContent = token ? "That token was refused." : "";
    return;
  }
  const room = await response.json();
  sessionStorage.setItem("classroom-token", token);
  $("login").hidden = true;
  $("main").hidden = false;
  (room.broadcasts || []).forEach(addBroadcast);
  applySnapshot(room);
  connect();
}

function init() {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get("token");
  if (fromUrl) {  // keep the token out of the address bar and history
    params.delete("token");
    history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
  }
  $("login").addEventListener("submit", (ev) => { ev.preventDefault(); open($("token-input").value.trim()); });
  $("lesson-select").addEventListener("change", (ev) => { state.chosenLesson = ev.target.value; scheduleDraw(); });
  $("share-output").addEventListener("change", (ev) => {
    api("/api/settings", { method: "POST", body: JSON.stringify({ share_output: ev.target.checked }) });
  });
  $("broadcast-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = $("broadcast-text").value.trim();
    if (!text) return;
    const response = await api("/api/broadcast", { method: "POST", body: JSON.stringify({ text }) });
    if (response.ok) { $("broadcast-text").value = ""; addBroadcast(await response.json()); }
  });
  open(fromUrl || sessionStorage.getItem("classroom-token") || "");
}

document.addEventListener("DOMContentLoaded", init);
