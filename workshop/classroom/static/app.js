// The classroom dashboard: reads the room over server-sent events and draws it.
// Every piece of learner data goes into the page with textContent (never innerHTML),
// so a name like <img onerror=...> is shown as text. The page's CSP forbids inline
// scripts as a second line of defence.
"use strict";

const state = {
  token: "",
  learners: new Map(),   // id -> summary (see LearnerState.to_json)
  lessons: {},           // lesson -> [step ids], the served workshop's
  titles: {},            // lesson -> {step id -> title}
  lessonTitles: {},      // lesson -> its title
  quiz: {},              // lesson -> [its quiz questions' step ids]
  radar: { stuck: [], help: [], funnel: [], lesson: "", counts: {} },
  skew: 0,               // server clock - this browser's clock, in seconds
  chosenLesson: "",      // "" = follow the room
  selected: null,        // learner id shown in the learner panel
  broadcasts: new Map(),
  drawPending: false,
  source: null,
  screen: null,          // EventSource of the screen being watched
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

function post(path, body) {
  return api(path, { method: "POST", body: JSON.stringify(body || {}) });
}

function lesson() {
  return state.chosenLesson || state.radar.lesson || Object.keys(state.lessons)[0] || "";
}

function clock(t) {
  return new Date(t * 1000).toLocaleTimeString([], { hour12: false });
}

function serverNow() {
  return Date.now() / 1000 + state.skew;
}

function ago(seconds) {
  seconds = Math.max(0, Math.round(seconds));
  if (seconds < 5) return "now";
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}

function waited(seconds) {
  seconds = Math.max(0, Math.round(seconds));
  return seconds < 90 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function setRadar(radar) {
  state.radar = radar;
  if (radar.lessons) state.lessons = radar.lessons;
  if (radar.now) state.skew = radar.now - Date.now() / 1000;
  for (const l of state.learners.values()) {  // the radar's list is the freshest
    const seen = (radar.offline || {})[l.id];
    l.online = seen === undefined;
    if (seen !== undefined) l.last_seen = Math.max(l.last_seen, seen);
  }
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
  drawLearnerTools();
  const c = state.radar.counts || {};
  const offline = (c.joined || 0) - (c.online || 0);
  $("counts").textContent = `${c.online || 0} online · ${offline} offline · ${c.finished || 0} finished of ${c.joined || 0}`;
}

// What the instructor reads for a step and a lesson: "2. Push the app", "Dev/prod parity"
// (ids only where the served workshop has no title for them).
function stepLabel(les, step) {
  if (!step) return "-";
  const n = (state.lessons[les] || []).indexOf(step);
  const title = (state.titles[les] || {})[step] || step;
  return n >= 0 ? `${n + 1}. ${title}` : title;
}

function lessonLabel(les) {
  return state.lessonTitles[les] || les;
}

function drawLessons() {
  const select = $("lesson-select");
  const names = Object.keys(state.lessons);
  const current = lesson();
  $("lesson-label").textContent = current ? "Lesson: " + lessonLabel(current) : "No lesson yet";
  if (select.dataset.names === names.join("\n") && select.value === current) return;
  select.replaceChildren();
  for (const name of names) select.append(el("option", lessonLabel(name), { value: name }));
  select.value = current;
  select.dataset.names = names.join("\n");
}

function finished(l, current) {
  const cells = (l.cells || {})[current] || {};
  const steps = state.lessons[current] || [];
  return steps.length > 0 && steps.every((s) => cells[s] && (cells[s].status === "done" || cells[s].status === "skipped"));
}

function progress(l, current) {
  const cells = (l.cells || {})[current] || {};
  return Object.values(cells).filter((c) => c.status === "done" || c.status === "skipped").length;
}

function contactText(l) {
  return l.online ? "online" : "offline · " + ago(serverNow() - l.last_seen);
}

function drawRow(l, current, steps, isStuck, needsHelp) {
  const tr = el("tr", null, { "data-learner": l.id });
  if (isStuck) tr.classList.add("stuck");
  if (l.left) tr.classList.add("left");
  if (!l.online) tr.classList.add("offline");
  const name = el("td", null, { class: "name", title: l.name });
  if (needsHelp) name.append(el("span", "help", { class: "flag hand" }), " ");
  if (l.sharing === "live") name.append(el("span", "screen", { class: "flag share" }), " ");
  name.append(el("span", l.name, { class: "learner-name" }));
  name.addEventListener("click", () => selectLearner(l.id));
  tr.append(name);
  tr.append(el("td", contactText(l), { class: "contact", "data-online": l.online ? "yes" : "no" }));
  const cells = (l.cells || {})[current] || {};
  steps.forEach((step, i) => {
    const cell = cells[step];
    const status = cell ? cell.status : "todo";
    const symbol = { active: "▶", failing: "✗", done: "✓", skipped: "↷", todo: "·" }[status] || "?";
    const text = cell && cell.attempts ? `${symbol} ${cell.attempts}` : symbol;
    const what = cell ? `${cell.attempts} attempt(s), ${cell.commands} command(s)` : "not started";
    const attrs = { "data-step": step, "data-status": status, title: `${i + 1}. ${step}: ${cell && cell.quiz ? cell.quiz : what}` };
    if (cell && cell.quiz) attrs["data-quiz"] = cell.quiz;
    tr.append(el("td", text, attrs));
  });
  const questions = state.quiz[current] || [];
  if (questions.length) tr.append(quizCell(cells, questions, current));
  return tr;
}

// How a learner's quiz went in the lesson: right at first try, after tries, revealed.
function quizCell(cells, questions, les) {
  const results = questions.map((q) => (cells[q] && cells[q].quiz) || "");
  const first = results.filter((r) => r === "right at first try").length;
  const later = results.filter((r) => r.startsWith("right after")).length;
  const revealed = results.filter((r) => r === "revealed").length;
  const parts = [`${first + later}/${questions.length} right`];
  if (first) parts.push(`${first} at first try`);
  if (later) parts.push(`${later} after retries`);
  if (revealed) parts.push(`${revealed} revealed`);
  const title = questions.map((q, i) => `${stepLabel(les, q)}: ${results[i] || "not answered"}`).join("\n");
  return el("td", parts.join(" · "), { class: "quiz", title });
}

function sortKey(mode, l, current, stuck, help) {
  if (mode === "name") return [l.name.toLowerCase()];
  if (mode === "progress") return [progress(l, current), l.name.toLowerCase()];
  if (mode === "contact") return [-l.last_seen, l.name.toLowerCase()];
  // attention: hand raised, then stuck, then offline, then the rest by least progress
  return [help.has(l.id) ? 0 : stuck.has(l.id) ? 1 : !l.online ? 3 : 2, progress(l, current), l.name.toLowerCase()];
}

function compare(a, b) {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

// Rows are rebuilt only when what they show changed: a room of hundreds stays smooth.
const rowCache = new Map();  // learner id -> { key, tr }

function drawGrid() {
  const current = lesson();
  const steps = state.lessons[current] || [];
  const titles = state.titles[current] || {};
  const stuck = new Set(state.radar.stuck.map((s) => s.id));
  const help = new Set(state.radar.help.map((h) => h.id));
  const headKey = JSON.stringify([current, steps, state.quiz[current] || []]);
  const thead = $("grid").tHead;
  if (thead.dataset.key !== headKey) {
    const head = el("tr");
    head.append(el("th", "learner", { class: "name" }), el("th", "last contact", { class: "contact" }));
    steps.forEach((step, i) => {
      const title = titles[step] ? `${i + 1}. ${step}: ${titles[step]}` : `${i + 1}. ${step}`;
      head.append(el("th", String(i + 1), { "data-step": step, title }));
    });
    if ((state.quiz[current] || []).length) head.append(el("th", "quiz", { class: "quiz" }));
    thead.replaceChildren(head);
    thead.dataset.key = headKey;
  }
  const mode = $("sort").value;
  const show = $("filter").value;
  const search = $("search").value.trim().toLowerCase();
  const shown = [...state.learners.values()].filter((l) => {
    if (search && !l.name.toLowerCase().includes(search)) return false;
    if (show === "stuck") return stuck.has(l.id);
    if (show === "help") return help.has(l.id);
    if (show === "offline") return !l.online;
    if (show === "finished") return finished(l, current);
    return true;
  });
  const keyed = shown.map((l) => [sortKey(mode, l, current, stuck, help), l]);
  keyed.sort((a, b) => compare(a[0], b[0]));
  const minute = Math.floor(serverNow() / 10);  // "last contact" is redrawn every 10 s
  const rows = [];
  for (const [, l] of keyed) {
    const key = JSON.stringify([headKey, l.name, l.left, l.online, l.sharing, stuck.has(l.id),
                                help.has(l.id), minute, (l.cells || {})[current] || null]);
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
    li.append(el("strong", s.name), el("span", " on " + stepLabel(s.lesson, s.step)), el("br"),
              el("span", s.reason, { class: "reason" }));
    if (s.last_command) li.append(el("br"), el("code", "$ " + s.last_command, { class: "last-command" }));
    if (s.last_reason) li.append(el("br"), el("span", s.last_reason, { class: "last-reason" }));
    li.addEventListener("click", () => selectLearner(s.id));
    return li;
  }));
  const help = state.radar.help || [];
  $("help-count").textContent = help.length;
  $("help").replaceChildren(...help.map((h) => {
    const li = el("li", null, { "data-learner": h.id });
    li.append(el("strong", h.name), el("span", ` on ${stepLabel(h.lesson, h.step)}, waiting `),
              el("span", waited(serverNow() - h.time), { class: "waited" }));
    if (h.message) li.append(el("br"), el("span", h.message, { class: "reason" }));
    const buttons = el("div", null, { class: "buttons" });
    const learner = state.learners.get(h.id);
    if (learner && learner.sharing === "live") {
      const watch = el("button", "watch screen", { type: "button", class: "watch" });
      watch.addEventListener("click", () => { selectLearner(h.id); openScreen(h.id); });
      buttons.append(watch);
    }
    const done = el("button", "answered", { type: "button", class: "answered" });
    done.addEventListener("click", () => post(`/api/help/${encodeURIComponent(h.id)}/resolve`));
    buttons.append(done);
    li.append(buttons);
    return li;
  }));
}

function drawFunnel() {
  const funnel = state.radar.funnel || [];
  // the funnel counts the room's lesson, whichever lesson the grid shows
  $("funnel-lesson").textContent = state.radar.lesson ? `of ${lessonLabel(state.radar.lesson)}, the room's lesson` : "";
  const total = Math.max(1, state.learners.size);
  $("funnel").tBodies[0].replaceChildren(...funnel.map((f, i) => {
    const tr = el("tr", null, { "data-step": f.step });
    const bars = el("td");
    const going = el("span", null, { class: "bar" });
    going.style.width = `${(100 * (f.started - f.completed)) / total}px`;  // CSSOM: allowed by the CSP
    const done = el("span", null, { class: "bar done" });
    done.style.width = `${(100 * f.completed) / total}px`;
    bars.append(going, done);
    tr.append(el("td", stepLabel(state.radar.lesson, f.step)), el("td", `${f.completed} of ${f.started} done`), bars);
    return tr;
  }));
}

function drawLearnerTools() {
  const learner = state.selected && state.learners.get(state.selected);
  $("learner-tools").hidden = !learner;
  $("learner-hint").hidden = !!learner;
  if (!learner) return;
  $("timeline-name").textContent = "— " + learner.name + (learner.online ? "" : " (offline)");
  $("screen-open").hidden = learner.sharing !== "live";
}

function eventLine(e) {
  const li = el("li", null, { class: e.kind });
  let text = `${clock(e.received_at || e.time)}  ${stepLabel(e.lesson, e.step)}  ${e.kind}`;
  if (e.kind === "command_run") text += `: $ ${e.command}` + (e.exit_code !== undefined ? `  (exit ${e.exit_code})` : "");
  else if (e.kind === "quiz_answered") text += `: ${e.answer}  (${e.right ? "right" : "wrong"})`;
  else if (e.kind === "caught_up") text += `: ${(e.done || []).length} steps passed and ${(e.skipped || []).length} skipped before joining`;
  else if (e.reason) text += `: ${e.reason}`;
  else if (e.message) text += `: ${e.message}`;
  else if (e.hint) text += `: ${e.hint}`;
  li.append(el("span", text));
  if (e.output) li.append(el("pre", e.output));
  return li;
}

async function selectLearner(id) {
  if (state.selected !== id) closeScreen();
  state.selected = id;
  $("learner-note").textContent = "";
  drawLearnerTools();
  const response = await api(`/api/learners/${encodeURIComponent(id)}/events`);
  if (!response.ok || state.selected !== id) return;
  const data = await response.json();
  $("timeline").replaceChildren(...data.events.map(eventLine));
  $("timeline").scrollTop = $("timeline").scrollHeight;
}

function addBroadcast(b) {
  if (state.broadcasts.has(b.id) || (b.kind && b.kind !== "broadcast" && b.kind !== "message")) return;
  state.broadcasts.set(b.id, b);
  let text = `${clock(b.time)}  ${b.text}`;
  if (b.learner_id) {
    const to = state.learners.get(b.learner_id);
    text = `${clock(b.time)}  to ${to ? to.name : "one learner"}: ${b.text}`;
  }
  const li = el("li", text, { "data-broadcast": b.id });
  if (b.learner_id) li.classList.add("private");
  $("broadcasts").prepend(li);
}

// ---------------------------------------------------------------- the learner's screen

function openScreen(id) {
  closeScreen();
  const learner = state.learners.get(id);
  $("screen-panel").hidden = false;
  $("screen-name").textContent = learner ? learner.name : id;
  $("screen-state").textContent = "connecting…";
  const source = new EventSource(`/api/learners/${encodeURIComponent(id)}/screen?token=${encodeURIComponent(state.token)}`);
  state.screen = source;
  source.addEventListener("frame", (m) => {
    $("screen").textContent = JSON.parse(m.data).text;
    $("screen-state").textContent = "live";
  });
  source.addEventListener("stopped", (m) => {
    $("screen-state").textContent = "stopped: " + JSON.parse(m.data).reason;
    source.close();
  });
}

function closeScreen() {
  if (state.screen) state.screen.close();
  state.screen = null;
  $("screen-panel").hidden = true;
  $("screen").textContent = "";
}

// ---------------------------------------------------------------- live stream

function applySnapshot(data) {
  state.learners = new Map(data.learners.map((l) => [l.id, l]));
  state.lessons = data.lessons || {};
  setRadar(data.radar);
  if (data.settings) $("share-output").checked = !!data.settings.share_output;
  if (data.code) $("join-code").textContent = data.code;
  if (data.course) {
    state.titles = {};
    state.quiz = {};
    state.lessonTitles = {};
    for (const les of data.course.lessons) {
      state.lessonTitles[les.id] = les.title;
      state.titles[les.id] = Object.fromEntries(les.steps.map((s) => [s.id, s.title]));
      state.quiz[les.id] = les.steps.filter((s) => s.quiz).map((s) => s.id);
    }
  }
  scheduleDraw();
}

function applyUpdate(data) {
  for (const l of data.learners) state.learners.set(l.id, l);
  if (data.radar) setRadar(data.radar);
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
  source.addEventListener("radar", (m) => { setRadar(JSON.parse(m.data)); scheduleDraw(); });
  source.addEventListener("broadcast", (m) => addBroadcast(JSON.parse(m.data)));
  source.addEventListener("settings", (m) => { $("share-output").checked = !!JSON.parse(m.data).share_output; });
  source.addEventListener("removed", (m) => {
    const id = JSON.parse(m.data).id;
    state.learners.delete(id);
    rowCache.delete(id);
    if (state.selected === id) { state.selected = null; closeScreen(); $("timeline").replaceChildren(); }
    scheduleDraw();
  });
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
    $("room-bar").hidden = true;
    $("login-error").textContent = token ? "That token was refused." : "";
    return;
  }
  const room = await response.json();
  sessionStorage.setItem("classroom-token", token);
  $("login").hidden = true;
  $("main").hidden = false;
  $("room-bar").hidden = false;
  applySnapshot(room);
  (room.broadcasts || []).forEach(addBroadcast);
  connect();
}

async function exportCsv() {
  const response = await api("/api/export.csv?lesson=" + encodeURIComponent(lesson()));
  if (!response.ok) return;
  const url = URL.createObjectURL(await response.blob());
  const link = el("a", null, { href: url, download: `${lesson() || "classroom"}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function learnerTools() {
  const note = (text) => { $("learner-note").textContent = text; };
  const path = (what) => `/api/learners/${encodeURIComponent(state.selected)}/${what}`;
  $("message-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = $("message-text").value.trim();
    if (!text || !state.selected) return;
    const response = await post(path("message"), { text, hint: $("message-hint").checked });
    if (response.ok) {
      $("message-text").value = "";
      addBroadcast(await response.json());
      note("Sent: it shows on their screen, and stays with the step they are on.");
    } else note((await response.json()).error);
  });
  $("screen-request").addEventListener("click", async () => {
    const response = await post(path("screen/request"));
    note(response.ok ? "Asked: the screen appears here once they accept." : (await response.json()).error);
  });
  $("screen-open").addEventListener("click", () => openScreen(state.selected));
  $("screen-close").addEventListener("click", closeScreen);
  $("rename").addEventListener("click", async () => {
    const learner = state.learners.get(state.selected);
    const name = prompt("New name for " + (learner ? learner.name : "this learner"), learner ? learner.name : "");
    if (!name) return;
    const response = await post(path("rename"), { name });
    note(response.ok ? "Renamed." : (await response.json()).error);
  });
  $("remove").addEventListener("click", async () => {
    const learner = state.learners.get(state.selected);
    if (!confirm(`Remove ${learner ? learner.name : "this learner"} from the room? They cannot join again.`)) return;
    await post(path("remove"));
  });
}

function init() {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get("token");
  if (fromUrl) {  // keep the token out of the address bar and history
    params.delete("token");
    history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
  }
  $("join-url").textContent = location.origin;
  $("login").addEventListener("submit", (ev) => { ev.preventDefault(); open($("token-input").value.trim()); });
  $("lesson-select").addEventListener("change", (ev) => { state.chosenLesson = ev.target.value; scheduleDraw(); });
  for (const id of ["sort", "filter"]) $(id).addEventListener("change", scheduleDraw);
  $("search").addEventListener("input", scheduleDraw);
  $("share-output").addEventListener("change", (ev) => {
    post("/api/settings", { share_output: ev.target.checked });
  });
  $("export").addEventListener("click", exportCsv);
  $("broadcast-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const text = $("broadcast-text").value.trim();
    if (!text) return;
    const response = await post("/api/broadcast", { text });
    if (response.ok) { $("broadcast-text").value = ""; addBroadcast(await response.json()); }
  });
  learnerTools();
  setInterval(scheduleDraw, 5000);  // waiting times and last contacts move on
  open(fromUrl || sessionStorage.getItem("classroom-token") || "");
}

document.addEventListener("DOMContentLoaded", init);
