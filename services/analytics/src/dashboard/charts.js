/* global window */
// ECharts (the installed package's build, served locally as a global) for every chart of the page.
const charts = new Map();

function chart(id) {
  let c = charts.get(id);
  if (!c) {
    c = window.echarts.init(window.document.getElementById(id), null, { renderer: 'canvas' });
    charts.set(id, c);
  }
  return c;
}

export function resizeCharts() {
  for (const c of charts.values()) c.resize();
}

const hhmm = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });

export function drawThroughput(t, throughput) {
  const gates = Object.entries(throughput.byGate).sort((a, b) => b[1].reduce((s, n) => s + n, 0) - a[1].reduce((s, n) => s + n, 0));
  const top = gates.slice(0, 8);
  chart('throughput-chart').setOption(
    {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 40, right: 10, top: 30, bottom: 24 },
      xAxis: { type: 'category', data: throughput.minutes.map(hhmm) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        ...top.map(([gate, counts]) => ({ name: gate, type: 'bar', stack: 'gates', data: counts })),
        { name: t.total, type: 'line', data: throughput.total, symbol: 'none', lineStyle: { width: 2 } },
      ],
    },
    { notMerge: true },
  );
}

export function drawRejections(t, byReason) {
  const reasons = Object.keys(byReason);
  chart('rejections-chart').setOption(
    {
      animation: false,
      tooltip: {},
      grid: { left: 130, right: 30, top: 10, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: reasons.map((r) => t.reasons[r] ?? r) },
      series: [{ type: 'bar', data: reasons.map((r) => byReason[r]), itemStyle: { color: '#d23c3c' }, label: { show: true, position: 'right' } }],
    },
    { notMerge: true },
  );
}

export function drawFootfall(t, buckets, from, to) {
  const at = (b) => Date.parse(b.start);
  chart('footfall-chart').setOption(
    {
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t.entries, t.exits, t.peakLine] },
      grid: { left: 40, right: 40, top: 30, bottom: 24 },
      xAxis: { type: 'time', min: from, max: to },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        { name: t.entries, type: 'bar', barMaxWidth: 10, data: buckets.map((b) => [at(b), b.in]), itemStyle: { color: '#2e7dd2' } },
        { name: t.exits, type: 'bar', barMaxWidth: 10, data: buckets.map((b) => [at(b), b.out]), itemStyle: { color: '#9aa8bd' } },
        { name: t.peakLine, type: 'line', yAxisIndex: 1, data: buckets.map((b) => [at(b), b.peakOccupancy]), itemStyle: { color: '#e0a100' } },
      ],
    },
    { notMerge: true },
  );
}

export function drawDwell(t, dwell) {
  chart('dwell-chart').setOption(
    {
      animation: false,
      tooltip: {},
      grid: { left: 40, right: 10, top: 10, bottom: 24 },
      xAxis: { type: 'category', data: dwell.bins.map((b) => (b.toMinutes === null ? `≥${b.fromMinutes}` : `${b.fromMinutes}–${b.toMinutes}`)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', data: dwell.bins.map((b) => b.visits), itemStyle: { color: '#5b3cc4' } }],
    },
    { notMerge: true },
  );
}
