/* global document, window, location, history, sessionStorage, localStorage, fetch, URLSearchParams, console */
import { applyLabels, formatNumber, LABELS } from './i18n.js';
import { openStream } from './sse.js';
import { drawDwell, drawFootfall, drawRejections, drawThroughput, resizeCharts } from './charts.js';

const $ = (id) => document.getElementById(id);
const state = {
  token: sessionStorage.getItem('expo-ops-token'),
  lang: localStorage.getItem('expo-ops-lang') ?? 'en',
  live: null,
  summary: null,
  dlq: null,
  dlqFailed: false,
  zoneId: null,
  stop: null,
};
let t = applyLabels(state.lang);

async function api(path) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${state.token}` } });
  if (response.status === 401 || response.status === 403) throw Object.assign(new Error('unauthorised'), { auth: true });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-')) node.setAttribute(k, v);
    else node[k] = v;
  }
  node.append(...children);
  return node;
}

function level(zone) {
  if (!zone.capacity) return 'ok';
  const ratio = zone.occupancy / zone.capacity;
  return ratio >= 1 ? 'full' : ratio >= 0.9 ? 'warn' : 'ok';
}

/** The zone tree in order: each zone after its parent, siblings by name. */
function treeOrder(zones) {
  const children = new Map();
  const ids = new Set(zones.map((z) => z.zoneId));
  for (const z of zones) {
    const parent = z.parentId && ids.has(z.parentId) ? z.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), z]);
  }
  const out = [];
  const walk = (parent, depth) => {
    for (const z of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))) {
      out.push({ ...z, depth });
      walk(z.zoneId, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

function renderZones() {
  const zones = treeOrder(state.live?.zones ?? []);
  $('zones').replaceChildren(
    ...zones.map((z) => {
      const pct = z.capacity ? Math.min(100, (100 * z.occupancy) / z.capacity) : 0;
      const cap = z.capacity
        ? `${formatNumber(state.lang, z.occupancy)} / ${formatNumber(state.lang, z.capacity)}`
        : `${formatNumber(state.lang, z.occupancy)} (${t.noCapacity})`;
      return el(
        'div',
        {
          class: `zone ${level(z)}${z.unknown ? ' unknown' : ''}`,
          'data-zone-id': z.zoneId,
          title: z.unknown ? t.unknownZone : z.zoneId,
          style: `padding-left:${z.depth * 14}px`,
        },
        el('span', { class: 'name' }, z.unknown ? `${z.name} (${t.unknownZone})` : z.name),
        el('div', { class: 'bar' }, el('div', { class: 'fill', style: `width:${pct}%` })),
        el('span', { class: 'count', 'data-occupancy': String(z.occupancy) }, cap),
      );
    }),
  );
  const alerts = zones.filter((z) => level(z) !== 'ok').sort((a, b) => b.occupancy / b.capacity - a.occupancy / a.capacity);
  $('alerts').replaceChildren(
    ...(alerts.length === 0
      ? [el('li', { class: 'none' }, t.noAlerts)]
      : alerts.map((z) =>
          el(
            'li',
            { class: level(z), 'data-zone-id': z.zoneId },
            `${z.name}: ${Math.round((100 * z.occupancy) / z.capacity)} % — ${level(z) === 'full' ? t.full : t.near}`,
          ),
        )),
  );
  const select = $('zone-select');
  if (select.options.length !== zones.length) {
    select.replaceChildren(...zones.map((z) => el('option', { value: z.zoneId }, z.name)));
    if (!state.zoneId && zones[0]) state.zoneId = [...zones].sort((a, b) => b.occupancy - a.occupancy)[0].zoneId;
    select.value = state.zoneId ?? '';
  }
  // The throughput chart changes by the minute: redrawing it on every update would only cost the
  // page its responsiveness at a busy gate.
  if (state.live && Date.now() - lastThroughputDraw > 2000) {
    lastThroughputDraw = Date.now();
    drawThroughput(t, state.live.throughput);
  }
}

let lastThroughputDraw = 0;
let renderPending = false;

/** Updates arrive up to every 100 ms: draw once per animation frame with the latest one. */
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  window.requestAnimationFrame(() => {
    renderPending = false;
    renderZones();
    // For monitoring and the benchmark: when an update became visible.
    window.dispatchEvent(new window.CustomEvent('dashboard:live', { detail: state.live }));
  });
}

function figure(label, value, detail = '') {
  return el(
    'div',
    { class: 'card figure' },
    el('div', { class: 'label' }, label),
    el('div', { class: 'value' }, value),
    el('div', { class: 'detail' }, detail),
  );
}

function renderSummary() {
  const s = state.summary;
  if (!s) return;
  const n = (x) => formatNumber(state.lang, x);
  const registered = Object.values(s.registrationsByCategory).reduce((a, b) => a + b, 0);
  const byCategory = Object.entries(s.registrationsByCategory)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${t.categories[k] ?? k} ${n(v)}`)
    .join(' · ');
  const peak = s.peakOccupancy.reduce((best, p) => (p.peakOccupancy > (best?.peakOccupancy ?? -1) ? p : best), null);
  const meetings = Object.values(s.meetingsByStatus).reduce((a, b) => a + b, 0);
  $('headline').replaceChildren(
    figure(t.registered, n(registered), byCategory),
    figure(t.visitors, n(s.uniqueVisitors)),
    figure(t.peak, n(peak?.peakOccupancy ?? 0), peak ? (state.live?.zones.find((z) => z.zoneId === peak.zoneId)?.name ?? peak.zoneId) : ''),
    figure(t.meetings, n(meetings), `${t.held} ${n(s.meetingsByStatus.held ?? 0)}`),
    figure(t.turnover, n(s.intendedTurnoverUsd)),
    figure(t.debuts, n(s.productDebuts)),
    figure(t.scans, `${n(s.scans.accepted)} / ${n(s.scans.rejected)}`),
  );
  $('expo-day').textContent = s.date ?? '';
  drawRejections(t, s.scans.rejectedByReason);
}

async function refreshZoneCharts() {
  if (!state.zoneId || !state.token) return;
  const to = new Date(Date.now() + 60_000);
  const from = new Date(to.getTime() - 6 * 3600_000);
  const q = new URLSearchParams({ zoneId: state.zoneId, bucket: '5m', from: from.toISOString(), to: to.toISOString() });
  const day = state.summary?.date ?? new Date().toISOString().slice(0, 10);
  const [footfall, dwell] = await Promise.all([api(`/v1/footfall?${q}`), api(`/v1/dwell?${new URLSearchParams({ zoneId: state.zoneId, date: day })}`)]);
  drawFootfall(t, footfall.buckets, from.getTime(), to.getTime());
  drawDwell(t, dwell);
  $('dwell-figures').textContent =
    `${formatNumber(state.lang, dwell.visits)} ${t.visits} · ${t.median} ${dwell.medianMinutes ?? '–'} ${t.minutes} · ${t.p90} ${dwell.p90Minutes ?? '–'} ${t.minutes}`;
}

/** Dead-letter topics with records waiting first; a hint with the operator's commands under each. */
function renderDeadLetters() {
  const report = state.dlq;
  const waiting = report?.topics.filter((d) => d.waiting > 0) ?? [];
  const checked = report
    ? ` · ${t.dlqChecked} ${new Date(report.checkedAt).toLocaleTimeString(state.lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false })}`
    : '';
  const status = $('dlq-status');
  status.className = state.dlqFailed || waiting.length > 0 ? 'error' : 'muted';
  status.textContent = `${state.dlqFailed ? t.dlqUnavailable : waiting.length > 0 ? t.dlqSome : t.dlqNone}${checked}`;
  const n = (x) => formatNumber(state.lang, x);
  const topics = [...(report?.topics ?? [])].sort((a, b) => Number(b.waiting > 0) - Number(a.waiting > 0));
  $('dlq-rows').replaceChildren(
    ...topics.flatMap((d) => {
      const row = el(
        'tr',
        { class: d.waiting > 0 ? 'waiting' : '', 'data-topic': d.topic },
        el('td', { class: 'topic', title: d.source }, d.topic),
        el('td', { class: 'num waiting-count', 'data-waiting': String(d.waiting) }, n(d.waiting)),
        el('td', { class: 'num held-count' }, n(d.records)),
      );
      if (d.waiting === 0) return [row];
      return [
        row,
        el(
          'tr',
          { class: 'hint', 'data-topic': d.topic },
          el('td', { colSpan: 3 }, `${t.dlqHint} `, el('code', {}, `pnpm dlq show ${d.topic}`), ' ', el('code', {}, `pnpm dlq replay ${d.topic}`)),
        ),
      ];
    }),
  );
}

/** Counts change rarely and come from Kafka, not the live feed: polled, cached by the service. */
async function refreshDeadLetters() {
  if (!state.token) return;
  try {
    state.dlq = await api('/v1/dlq');
    state.dlqFailed = false;
  } catch (error) {
    // The last figures stay on screen, marked as possibly old.
    state.dlqFailed = true;
    console.warn(error);
  }
  renderDeadLetters();
}

function setConnected(on) {
  const pill = $('connection');
  pill.className = `pill ${on ? 'on' : 'off'}`;
  pill.dataset.i18n = on ? 'online' : 'offline';
  pill.textContent = on ? t.online : t.offline;
}

function showBoard(signedIn) {
  $('sign-in').hidden = signedIn;
  $('board').hidden = !signedIn;
  $('sign-out').hidden = !signedIn;
}

async function start() {
  state.live = await api('/v1/live');
  showBoard(true);
  renderZones();
  state.stop = openStream('/v1/live/stream', state.token, {
    onOpen: () => setConnected(true),
    onClose: () => setConnected(false),
    onEvent: (event, data) => {
      if (event === 'live') {
        state.live = data;
        scheduleRender();
      } else if (event === 'summary') {
        state.summary = data;
        renderSummary();
      }
    },
  });
  void refreshZoneCharts().catch(console.warn);
  void refreshDeadLetters();
}

async function signIn(token) {
  state.token = token;
  try {
    await start();
    sessionStorage.setItem('expo-ops-token', token);
    $('sign-in-error').textContent = '';
  } catch (error) {
    state.token = null;
    showBoard(false);
    $('sign-in-error').textContent = error.auth ? t.badToken : String(error.message);
  }
}

$('sign-in-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void signIn($('token').value.trim());
});
$('sign-out').addEventListener('click', () => {
  state.stop?.();
  sessionStorage.removeItem('expo-ops-token');
  state.token = null;
  showBoard(false);
  setConnected(false);
});
$('lang').addEventListener('click', () => {
  state.lang = state.lang === 'en' ? 'zh' : 'en';
  localStorage.setItem('expo-ops-lang', state.lang);
  t = applyLabels(state.lang);
  $('lang').textContent = LABELS[state.lang].lang;
  lastThroughputDraw = 0;
  renderZones();
  renderSummary();
  renderDeadLetters();
  void refreshZoneCharts().catch(console.warn);
});
$('zone-select').addEventListener('change', (e) => {
  state.zoneId = e.target.value;
  void refreshZoneCharts().catch(console.warn);
});
window.addEventListener('resize', resizeCharts);
window.setInterval(() => void refreshZoneCharts().catch(console.warn), 30_000);
window.setInterval(() => void refreshDeadLetters(), 10_000);
$('lang').textContent = LABELS[state.lang].lang;
// A link carrying `#token=…` (what `pnpm dev` prints) signs in once; the fragment never reaches the
// server and is dropped from the address bar at once.
const linked = new URLSearchParams(location.hash.slice(1)).get('token');
if (linked) {
  history.replaceState(null, '', location.pathname + location.search);
  void signIn(linked);
} else if (state.token) void signIn(state.token);
