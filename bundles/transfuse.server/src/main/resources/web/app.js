// The Transfuse server page: plain DOM, no framework, no build step.
// Every string from the server goes in as text (textContent, never innerHTML).
'use strict';

const TOKEN_KEY = 'transfuse.token';
const ACTIVE = new Set(['queued', 'running']);
const MAX_STREAMS = 3; // browsers open 6 connections per host; leave room for API calls

const $ = (id) => document.getElementById(id);

let token = null;
const jobs = new Map(); // id -> job object as the API answers it
const rows = new Map(); // id -> <tr> in the jobs table
const streams = new Set(); // ids whose event stream is being read
const logs = new Map(); // id -> log lines of a streamed job (the stream replays them from the start)
let openId = null; // the job shown in the detail section
let detailUrls = []; // blob: URLs of the open detail's plots, revoked when it changes

// ---------------------------------------------------------------- DOM helpers

/** An element with properties (or attributes for names with a dash) and children (strings become text). */
function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k.includes('-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

/** A scalar as text, anything nested as compact JSON. */
function show(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'number' && !Number.isInteger(v)) return String(Number(v.toPrecision(6)));
  return String(v);
}

function when(t) {
  if (!t) return '';
  const d = new Date(typeof t === 'number' && t < 1e12 ? t * 1000 : t);
  if (Number.isNaN(d.getTime())) return String(t);
  const two = (n) => String(n).padStart(2, '0'); // local time, sortable: 2026-05-01 10:00:00
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} `
    + `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function seconds(s) {
  if (typeof s !== 'number' || !Number.isFinite(s)) return '';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** A fetch with the token; non-2xx answers become ApiError carrying the server's error line. */
async function request(method, path, body) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.ok) return r;
  let message = `${method} ${path}: HTTP ${r.status}`;
  try {
    const j = JSON.parse(await r.text());
    if (j && typeof j.error === 'string') message = j.error;
  } catch (e) { /* not JSON: keep the status line */ }
  if (r.status === 401) askForToken();
  throw new ApiError(r.status, message);
}

async function api(method, path, body) {
  const r = await request(method, path, body);
  return r.status === 204 ? null : r.json();
}

const jobPath = (id, rest = '') => `/api/jobs/${encodeURIComponent(id)}${rest}`;
const artifactPath = (id, path) => jobPath(id, '/artifacts/' + path.split('/').map(encodeURIComponent).join('/'));

// ---------------------------------------------------------------- token

/** The token arrives once as ?token=...; it then lives in this tab's sessionStorage only. */
function readToken() {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function askForToken() {
  if (!$('auth').hidden) return;
  $('auth').hidden = false;
  $('auth-token').focus();
}

$('auth-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  token = $('auth-token').value.trim();
  sessionStorage.setItem(TOKEN_KEY, token);
  $('auth-token').value = '';
  $('auth').hidden = true;
  refreshAll();
});

// ---------------------------------------------------------------- health, plugins, bundles

async function refreshHealth() {
  const p = $('health');
  try {
    const h = await (await fetch('/api/health')).json(); // health needs no token
    p.replaceChildren(
      el('span', { className: `status-${h.status}` }, h.status),
      ` · version ${show(h.version)} · up ${seconds(h.uptime_s)}`,
      h.jobs ? ` · ${show(h.jobs.running)} running, ${show(h.jobs.queued)} queued` : '',
      h.home ? ` · home ${h.home}` : '');
    const problems = Array.isArray(h.problems) ? h.problems : [];
    $('problems').replaceChildren(...problems.map((x) => el('li', {}, show(x))));
    $('problems').hidden = problems.length === 0;
  } catch (e) {
    p.replaceChildren(el('span', { className: 'error' }, `server unreachable (${e.message})`));
  }
}

let kindsShown = '';

async function refreshPlugins() {
  const { plugins } = await api('GET', '/api/plugins');
  $('plugins').tBodies[0].replaceChildren(...plugins.map((p) =>
    el('tr', { className: p.error ? 'bad' : '' },
      el('td', {}, show(p.kind)), el('td', { className: 'mono' }, show(p.name)),
      el('td', {}, show(p.error ? `${p.description || ''} ${p.error}` : p.description)),
      el('td', {}, show(p.bundle)), el('td', {}, show(p.version)))));
  // The submit form offers the job plugins; rebuilt only when they change, so a choice survives.
  const kinds = plugins.filter((p) => p.kind === 'job').sort((a, b) => a.name.localeCompare(b.name));
  const key = kinds.map((k) => k.name).join(',');
  if (key === kindsShown) return;
  kindsShown = key;
  const select = $('submit-kind');
  const chosen = select.value;
  select.replaceChildren(...kinds.map((k) => el('option', { value: k.name, title: k.description || '' }, k.name)));
  if (kinds.some((k) => k.name === chosen)) select.value = chosen;
  showKindHelp();
}

function showKindHelp() {
  const o = $('submit-kind').selectedOptions[0];
  $('submit-kind-help').textContent = o ? o.title : '';
}
$('submit-kind').addEventListener('change', showKindHelp);

async function refreshBundles() {
  const { bundles } = await api('GET', '/api/bundles');
  $('bundles').tBodies[0].replaceChildren(...bundles.map((b) =>
    el('tr', { className: b.error ? 'bad' : '' },
      el('td', {}, show(b.id)), el('td', { className: 'mono' }, show(b.symbolic_name)),
      el('td', {}, show(b.version)), el('td', {}, show(b.state)),
      el('td', { className: 'mono' }, show(b.location)), el('td', {}, show(b.error)))));
}

// ---------------------------------------------------------------- jobs list

async function refreshJobs() {
  const list = (await api('GET', '/api/jobs')).jobs;
  const seen = new Set();
  const body = $('jobs').tBodies[0];
  for (const job of list) { // newest first, as the server orders them
    seen.add(job.id);
    const known = jobs.get(job.id);
    // A stream may be ahead of the poll; keep its progress while the job runs.
    if (known && streams.has(job.id) && job.state === known.state) job.progress = known.progress;
    if (!rows.has(job.id)) renderRow(job);
    updateJob(job);
    body.append(rows.get(job.id)); // append moves an existing row into list order
    if (job.state === 'running') follow(job.id);
  }
  for (const id of [...rows.keys()]) {
    if (!seen.has(id)) {
      rows.get(id).remove();
      rows.delete(id);
      jobs.delete(id);
    }
  }
  $('jobs-empty').hidden = list.length > 0;
}

/** The bar and its text; detailed adds the job's last progress message. */
function progressCell(job, detailed = false) {
  const p = job.progress || {};
  const fraction = typeof p.fraction === 'number' ? Math.min(1, Math.max(0, p.fraction)) : null;
  const bar = el('progress', { max: 1, 'aria-label': `progress of job ${job.id}` });
  if (fraction !== null) bar.value = fraction; // no value: an indeterminate bar
  const parts = [];
  if (p.task) parts.push(p.task);
  if (detailed && p.message) parts.push(p.message);
  if (fraction !== null) parts.push(`${Math.floor(fraction * 100)} %`);
  if (job.state === 'running' && p.eta_s > 0) parts.push(`ETA ${seconds(p.eta_s)}`);
  return [bar, el('span', { className: 'progress-text' }, parts.join(' · '))];
}

function renderRow(job) {
  let tr = rows.get(job.id);
  if (!tr) {
    tr = el('tr', { 'data-job-id': job.id });
    rows.set(job.id, tr);
  }
  // Rebuilt only when something shown changed, so a focused button survives the poll.
  const sig = JSON.stringify([job.kind, job.state, job.progress, job.created, job.id === openId]);
  if (tr.dataset.sig === sig) return tr;
  tr.dataset.sig = sig;
  const open = el('button', { type: 'button', className: 'link mono', title: `show job ${job.id}` }, job.id);
  open.addEventListener('click', () => openJob(job.id));
  tr.className = job.id === openId ? 'selected' : '';
  tr.replaceChildren(
    el('td', {}, open),
    el('td', {}, show(job.kind)),
    el('td', { className: `state state-${job.state}` }, show(job.state)),
    el('td', { className: 'progress' }, ...progressCell(job)),
    el('td', {}, when(job.created)));
  return tr;
}

// ---------------------------------------------------------------- live progress

/**
 * Reads GET /api/jobs/{id}/events. EventSource cannot send the Authorization header, so this is
 * fetch and a stream reader parsing the text/event-stream frames ("event:" and "data:" lines,
 * a blank line ends one event). The server ends the stream after the terminal state.
 */
async function follow(id) {
  if (streams.has(id) || streams.size >= MAX_STREAMS) return;
  streams.add(id);
  logs.set(id, []);
  try {
    const r = await request('GET', jobPath(id, '/events'));
    const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer = (buffer + value).replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        onEvent(id, buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  } catch (e) {
    console.warn(`events of job ${id}:`, e.message);
  } finally {
    streams.delete(id);
  }
  logs.delete(id);
  // The stream ended (the job finished): fetch the final job once, with its result.
  try {
    updateJob(await api('GET', jobPath(id)));
  } catch (e) { /* forgotten meanwhile: the next poll drops the row */ }
}

function onEvent(id, frame) {
  let type = 'message';
  const data = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) continue; // a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return;
  let payload;
  try {
    payload = JSON.parse(data.join('\n'));
  } catch (e) {
    payload = { line: data.join('\n') };
  }
  const job = jobs.get(id);
  if (type === 'progress' && job) {
    updateJob({ ...job, progress: payload.progress || payload });
  } else if (type === 'state' && job) {
    updateJob({ ...job, ...(payload.job || payload) });
  } else if (type === 'log') {
    const text = typeof payload === 'string' ? payload
      : payload.line ?? payload.message ?? payload.text ?? JSON.stringify(payload);
    logs.get(id)?.push(text);
    if (id === openId) $('detail-log').append(`${text}\n`);
  }
}

/** Shows a newer copy of a job; when the open job has just finished, its whole detail again. */
function updateJob(job) {
  const before = jobs.get(job.id);
  jobs.set(job.id, job);
  if (rows.has(job.id)) renderRow(job);
  if (job.id !== openId) return;
  renderFacts(job);
  if (before && ACTIVE.has(before.state) && !ACTIVE.has(job.state)) {
    api('GET', jobPath(job.id)).then(renderDetail, (e) => { $('detail-message').textContent = e.message; });
  }
}

// ---------------------------------------------------------------- submit

/**
 * The spec as JSON (when it starts with "{") or as flat YAML: one "key: value" per line, lists
 * as "[a, b]", "#" comments, quoted strings, numbers, true/false/null. Nothing nested: the spec
 * keys are the CLI's flags, which are flat.
 */
function parseSpec(text) {
  if (text.trim().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new Error(`the spec is not valid JSON: ${e.message}`);
    }
  }
  const spec = {};
  text.split('\n').forEach((raw, i) => {
    const line = stripComment(raw).trim();
    if (line === '' || line === '---') return;
    const m = /^([A-Za-z0-9_-]+)\s*:(?:\s+(.*))?$/.exec(line);
    if (!m) throw new Error(`spec line ${i + 1}: expected "key: value", got "${line}"`);
    if (m[1] in spec) throw new Error(`spec line ${i + 1}: key "${m[1]}" given twice`);
    const value = (m[2] || '').trim();
    if (value.startsWith('[')) {
      if (!value.endsWith(']')) throw new Error(`spec line ${i + 1}: a list must end with "]"`);
      const inner = value.slice(1, -1).trim();
      spec[m[1]] = inner === '' ? [] : splitList(inner).map(scalar);
    } else {
      spec[m[1]] = scalar(value);
    }
  });
  return spec;
}

/** Drops a "#" comment that starts a line or follows a space, outside quotes. */
function stripComment(line) {
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
      return line.slice(0, i);
    }
  }
  return line;
}

function splitList(s) {
  const items = [];
  let quote = null;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === ',') {
      items.push(s.slice(start, i));
      start = i + 1;
    }
  }
  items.push(s.slice(start));
  return items;
}

function scalar(raw) {
  const s = raw.trim();
  if (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0]) return s.slice(1, -1);
  if (s === 'true' || s === 'false') return s === 'true';
  if (s === 'null' || s === '~' || s === '') return null;
  if (/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
  return s;
}

$('submit-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const message = $('submit-message');
  message.className = '';
  let spec;
  try {
    spec = parseSpec($('submit-spec').value);
  } catch (e) {
    message.className = 'error';
    message.textContent = e.message;
    return;
  }
  $('submit-button').disabled = true;
  try {
    const job = await api('POST', '/api/jobs', { kind: $('submit-kind').value, spec });
    message.textContent = `submitted job ${job.id}`;
    message.dataset.jobId = job.id;
    await refreshJobs();
    openJob(job.id);
  } catch (e) {
    message.className = 'error';
    message.textContent = e.status ? `refused (${e.status}): ${e.message}` : e.message;
  } finally {
    $('submit-button').disabled = false;
  }
});

// ---------------------------------------------------------------- job detail

async function openJob(id) {
  openId = id;
  for (const [rowId, tr] of rows) tr.className = rowId === id ? 'selected' : '';
  $('detail').hidden = false;
  $('detail-message').textContent = '';
  try {
    const job = await api('GET', jobPath(id));
    jobs.set(job.id, job);
    if (rows.has(id)) renderRow(job);
    if (job.state === 'running') follow(id);
    await renderDetail(job);
  } catch (e) {
    $('detail-message').textContent = e.message;
  }
  $('detail-title').focus();
}

function renderFacts(job) {
  $('detail-title').textContent = `Job ${job.id} (${job.kind})`;
  const facts = [['state', el('span', { className: `state-${job.state}` }, show(job.state))],
    ['progress', el('span', {}, ...progressCell(job, true))],
    ['created', when(job.created)], ['started', when(job.started)], ['finished', when(job.finished)]];
  if (job.error) facts.push(['error', el('span', { className: 'error' }, show(job.error))]);
  $('detail-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  const active = ACTIVE.has(job.state);
  $('detail-cancel').textContent = active ? 'Cancel' : 'Delete';
  $('detail-cancel').title = active ? 'cancel this job' : 'forget this job and its artifacts';
}

/** Everything about one job; artifacts, plots and log are read again each time it is shown. */
async function renderDetail(job) {
  if (job.id !== openId) return;
  renderFacts(job);
  $('detail-spec').textContent = JSON.stringify(job.spec ?? {}, null, 2);
  const result = job.result && typeof job.result === 'object' ? Object.entries(job.result) : [];
  $('detail-result').tBodies[0].replaceChildren(...(result.length === 0
    ? [el('tr', {}, el('td', { className: 'muted' }, ACTIVE.has(job.state) ? 'not yet' : 'none'))]
    : result.map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', { className: 'mono' }, show(v))))));
  await Promise.all([renderArtifacts(job), renderLog(job)]);
}

async function renderArtifacts(job) {
  for (const u of detailUrls) URL.revokeObjectURL(u);
  detailUrls = [];
  const list = $('detail-artifacts');
  const plots = $('detail-plots');
  plots.replaceChildren();
  if (ACTIVE.has(job.state)) { // no partial artifact is served while a job runs
    list.replaceChildren(el('li', { className: 'muted' }, 'when the job has finished'));
    return;
  }
  let artifacts = [];
  try {
    artifacts = (await api('GET', jobPath(job.id, '/artifacts'))).artifacts || [];
  } catch (e) {
    list.replaceChildren(el('li', { className: 'error' }, e.message));
    return;
  }
  if (job.id !== openId) return;
  list.replaceChildren(...(artifacts.length === 0 ? [el('li', { className: 'muted' }, 'none')]
    : artifacts.map((a) => {
      const link = el('a', { href: '#', className: 'mono', 'data-path': a.path }, a.path);
      link.addEventListener('click', (ev) => {
        ev.preventDefault();
        download(job.id, a.path);
      });
      return el('li', {}, link, el('span', { className: 'muted' }, ` ${bytes(a.bytes)}`));
    })));
  // SVG plots go in as <img> from a blob: an image cannot run the file's scripts.
  for (const a of artifacts.filter((x) => x.path.toLowerCase().endsWith('.svg'))) {
    try {
      const r = await request('GET', artifactPath(job.id, a.path));
      const url = URL.createObjectURL(new Blob([await r.arrayBuffer()], { type: 'image/svg+xml' }));
      detailUrls.push(url);
      if (job.id !== openId) return;
      plots.append(el('figure', {},
        el('img', { src: url, alt: `plot ${a.path} of job ${job.id}`, 'data-path': a.path }),
        el('figcaption', {}, a.path)));
    } catch (e) {
      plots.append(el('p', { className: 'error' }, `${a.path}: ${e.message}`));
    }
  }
}

function bytes(n) {
  if (typeof n !== 'number') return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A plain link cannot carry the Authorization header: fetch the file, then save it from a blob. */
async function download(id, path) {
  try {
    const blob = await (await request('GET', artifactPath(id, path))).blob();
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: path.split('/').pop() });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (e) {
    $('detail-message').textContent = `${path}: ${e.message}`;
  }
}

async function renderLog(job) {
  if (ACTIVE.has(job.state)) { // a running job's log arrives on its event stream
    $('detail-log').textContent = (logs.get(job.id) || []).map((l) => `${l}\n`).join('');
    return;
  }
  try {
    const text = await (await request('GET', jobPath(job.id, '/log'))).text();
    if (job.id === openId) $('detail-log').textContent = text || '(the job wrote no log lines)';
  } catch (e) {
    $('detail-log').textContent = e.message;
  }
}

$('detail-cancel').addEventListener('click', async () => {
  const job = jobs.get(openId);
  if (!job) return;
  const active = ACTIVE.has(job.state);
  if (!active && !confirm(`Forget job ${job.id} and delete its artifacts?`)) return;
  try {
    await api('DELETE', jobPath(job.id));
    $('detail-message').textContent = active ? `cancelling job ${job.id}` : `job ${job.id} forgotten`;
    if (!active) closeDetail();
    await refreshJobs();
  } catch (e) {
    $('detail-message').textContent = e.message;
  }
});

function closeDetail() {
  openId = null;
  $('detail').hidden = true;
  for (const tr of rows.values()) tr.className = '';
}
$('detail-close').addEventListener('click', closeDetail);

// ---------------------------------------------------------------- start

async function guarded(what, f) {
  try {
    await f();
  } catch (e) {
    if (e.status !== 401) console.warn(`${what}:`, e.message);
  }
}

function refreshAll() {
  guarded('health', refreshHealth);
  if (!token) return;
  guarded('plugins', refreshPlugins);
  guarded('bundles', refreshBundles);
  guarded('jobs', refreshJobs);
}

token = readToken();
if (!token) askForToken();
refreshAll();
// New jobs and state changes by a slow poll; running jobs' progress arrives on their streams.
setInterval(() => { if (!document.hidden && $('auth').hidden) guarded('jobs', refreshJobs); }, 2000);
setInterval(() => {
  if (document.hidden) return;
  guarded('health', refreshHealth);
  if ($('auth').hidden) {
    guarded('plugins', refreshPlugins);
    guarded('bundles', refreshBundles);
  }
}, 10000);
