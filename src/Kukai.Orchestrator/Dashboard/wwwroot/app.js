// Kukai dashboard: vanilla JS over the orchestrator's API (SPEC §5). Everything is served by the orchestrator itself
// (no network at run time); uPlot is the global from /assets/uPlot.iife.min.js.
//
// Data flow: one EventSource on /api/events gives, every second, the drivers, the current (or last) test with its
// stats, the per-second series across drivers and, while a test runs, the per-driver rows. Everything else is a
// fetch on demand: starting and stopping tests, the history, a finished test's series and a selected test's stats.
'use strict';

(() => {
  const TOKEN_KEY = 'kukai.token';
  const TERMINAL = new Set(['completed', 'failed', 'stopped']);
  const FILES = ['summary.json', 'timeseries.csv', 'requests.arrow', 'report.html', 'latency.hgrm', 'histograms.json'];
  const LATENCY_STATS = ['min', 'mean', 'stddev', 'median', 'mode', 'p90', 'p95', 'p99', 'p999', 'max'];
  const PALETTE = ['#8250df', '#bf3989', '#1a7f37', '#bc4c00', '#0550ae', '#6e7781', '#953800', '#116329'];

  // Numbers are shown with en-US grouping; latencies and rates with exactly 3 decimals, as the API rounds them.
  const intFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const dec3Format = new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const dec1Format = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const fmtInt = (v) => (typeof v === 'number' && Number.isFinite(v) ? intFormat.format(v) : '–');
  const fmt3 = (v) => (typeof v === 'number' && Number.isFinite(v) ? dec3Format.format(v) : '–');
  const fmt1 = (v) => (typeof v === 'number' && Number.isFinite(v) ? dec1Format.format(v) : '–');
  // A latency of a scope that completed no request is unknown, not 0 ms.
  const fmtLatency = (stats, key) => (stats && stats.count > 0 && stats.latencyMs ? fmt3(stats.latencyMs[key]) : '–');

  const $ = (id) => document.getElementById(id);

  /** Creates an element: h('td', { class: 'num', dataset: { stat: 'p99' } }, 'text', child). */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children) {
      if (c === undefined || c === null || c === false) continue;
      el.append(c instanceof Node ? c : String(c));
    }
    return el;
  }

  const state = {
    token: sessionStorage.getItem(TOKEN_KEY),
    drivers: [],
    liveTest: null,
    liveSeries: null, // { id, rows, seconds } fetched once a test has ended
    lastRows: null, // { id, rows }: the per-driver rows last streamed
    selectedId: null, // a test picked in the history; null follows the live test
    selectedTest: null,
    historyMark: '',
    events: null,
    reconnectTimer: 0,
  };

  // ---- API access and the token prompt ----

  let tokenPrompt = null;

  /** Resolves once the user has entered a token (one dialog for every caller waiting on it). */
  function askForToken(refused) {
    if (tokenPrompt) return tokenPrompt;
    const dialog = $('token-dialog');
    const input = $('token-input');
    $('token-message').textContent = refused
      ? 'The token was refused. Enter the token this orchestrator was started with.'
      : 'This orchestrator requires a token (--token / KUKAI_TOKEN).';
    dialog.dataset.refused = refused ? 'true' : 'false';
    input.value = '';
    tokenPrompt = new Promise((resolve) => {
      const form = $('token-form');
      const onSubmit = (e) => {
        e.preventDefault();
        const value = input.value.trim();
        if (!value) {
          input.focus();
          return;
        }
        form.removeEventListener('submit', onSubmit);
        state.token = value;
        sessionStorage.setItem(TOKEN_KEY, value);
        dialog.close();
        tokenPrompt = null;
        resolve();
      };
      form.addEventListener('submit', onSubmit);
    });
    dialog.showModal();
    input.focus();
    return tokenPrompt;
  }

  /** fetch() with the token; a 401 prompts for it (again, if it was refused) and retries. */
  async function api(path, init = {}) {
    for (;;) {
      const used = state.token;
      const headers = new Headers(init.headers || {});
      if (used) headers.set('Authorization', `Bearer ${used}`);
      const res = await fetch(path, { ...init, headers });
      if (res.status !== 401) return res;
      if (state.token !== used) continue; // the token changed while this request was out
      await askForToken(Boolean(used));
    }
  }

  async function readProblem(res) {
    try {
      return await res.json();
    } catch {
      return { title: `HTTP ${res.status}` };
    }
  }

  /** Runs a fetch-based task without awaiting it: a failed request shows as offline until the next update. */
  function background(task) {
    task.catch(() => setLive('offline', 'Offline: retrying'));
  }

  // ---- live updates ----

  async function connectEvents() {
    clearTimeout(state.reconnectTimer);
    setLive('connecting', 'Connecting…');
    try {
      // A probe first: an EventSource cannot show a 401, a fetch can (and then prompts for the token).
      const health = await api('/api/health');
      if (health.ok) {
        const body = await health.json();
        $('version').textContent = body.version ? (/^\d/.test(body.version) ? `v${body.version}` : body.version) : '';
        $('version').title = $('version').textContent;
      }
    } catch {
      scheduleReconnect();
      return;
    }

    const url = state.token ? `/api/events?access_token=${encodeURIComponent(state.token)}` : '/api/events';
    const es = new EventSource(url);
    state.events = es;
    es.addEventListener('update', (e) => {
      setLive('live', 'Live');
      onUpdate(JSON.parse(e.data));
    });
    es.addEventListener('error', () => {
      if (es.readyState === EventSource.CLOSED) {
        state.events = null;
        scheduleReconnect();
      } else {
        setLive('connecting', 'Reconnecting…');
      }
    });
  }

  function scheduleReconnect() {
    setLive('offline', 'Offline: retrying');
    state.reconnectTimer = setTimeout(connectEvents, 2000);
  }

  function setLive(kind, text) {
    const pill = $('live-status');
    pill.dataset.state = kind;
    pill.textContent = text;
  }

  function onUpdate(u) {
    state.drivers = u.drivers || [];
    renderHeader(u);
    renderDrivers(state.drivers);

    const test = u.test || null;
    const previous = state.liveTest;
    state.liveTest = test;
    if (test && TERMINAL.has(test.state) && (!state.liveSeries || state.liveSeries.id !== test.id)) {
      background(loadFinalSeries(test.id));
    }

    // The series to plot: the stream's while the test runs; once it ended, the whole series fetched once (until it
    // arrives, the stream's seconds and the last per-driver rows seen).
    let series = { rows: [], seconds: u.seconds || [] };
    if (test && !TERMINAL.has(test.state)) {
      series = { rows: u.rows || [], seconds: u.seconds || [] };
      state.lastRows = { id: test.id, rows: series.rows };
    } else if (test && state.liveSeries && state.liveSeries.id === test.id && !state.liveSeries.loading && !state.liveSeries.failed) {
      series = state.liveSeries;
    } else if (test && state.lastRows && state.lastRows.id === test.id) {
      series.rows = state.lastRows.rows;
    }
    renderLive(test, series);

    if (state.selectedId === null) renderStats(test, true);

    // The history changes when a test ends (or one we have not seen appears).
    const mark = test ? `${test.id}:${test.state}` : '';
    if (mark !== state.historyMark) {
      state.historyMark = mark;
      if (!test || !previous || previous.id !== test.id || TERMINAL.has(test.state)) background(loadHistory());
    }
  }

  async function loadFinalSeries(id) {
    state.liveSeries = { id, rows: [], seconds: [], loading: true };
    const res = await api(`/api/tests/${encodeURIComponent(id)}/timeseries`);
    if (!res.ok) {
      state.liveSeries = { id, rows: [], seconds: [], loading: false, failed: true };
      return;
    }
    const body = await res.json();
    if (state.liveSeries.id !== id) return;
    state.liveSeries = { id, rows: body.rows || [], seconds: body.seconds || [] };
    if (state.liveTest && state.liveTest.id === id) renderLive(state.liveTest, state.liveSeries);
  }

  // ---- header ----

  function renderHeader(u) {
    const drivers = u.drivers || [];
    const count = (s) => drivers.filter((d) => d.state === s).length;
    const lost = count('lost');
    const health = $('cluster-health');
    health.dataset.state = drivers.length === 0 ? 'warn' : lost > 0 ? 'bad' : 'ok';
    health.textContent = `Drivers: ${drivers.length} · ${count('idle')} idle · ${count('running')} running · ${lost} lost`;

    const kafka = u.kafka || {};
    const k = $('kafka-status');
    k.dataset.state = kafka.connected ? 'ok' : 'bad';
    k.textContent = `Kafka: ${kafka.connected ? 'connected' : 'disconnected'}`;
    k.title = kafka.detail || '';
  }

  // ---- drivers ----

  function renderDrivers(drivers) {
    $('drivers-count').textContent = drivers.length ? `(${drivers.length})` : '';
    $('drivers-empty').hidden = drivers.length > 0;
    const rows = drivers.map((d) =>
      h('tr', { dataset: { driverId: d.id, state: d.state } },
        h('th', { scope: 'row', class: 'mono', dataset: { col: 'id' } }, d.id),
        h('td', { dataset: { col: 'host' } }, d.host || ''),
        h('td', { dataset: { col: 'state' } }, h('span', { class: 'badge', dataset: { state: d.state } }, d.state)),
        h('td', { class: 'num', dataset: { col: 'heartbeat' } }, `${fmt1(d.heartbeatAgeSeconds)} s ago`),
        h('td', { class: 'mono', dataset: { col: 'test' } }, d.testId || '–'),
        h('td', { class: 'num', dataset: { col: 'sent' } }, fmtInt(d.sent)),
        h('td', { class: 'num', dataset: { col: 'completed' } }, fmtInt(d.completed))));
    $('drivers-body').replaceChildren(...rows);
  }

  // ---- the live (current or last) test ----

  const charts = { key: '', rps: null, latency: null };

  function renderLive(test, series) {
    const panel = $('live-panel');
    $('live-empty').hidden = Boolean(test);
    $('live-body').hidden = !test;
    panel.dataset.state = test ? test.state : 'none';
    panel.dataset.testId = test ? test.id : '';
    const stop = $('stop-button');
    if (!test) {
      $('live-id').textContent = '';
      $('live-state').hidden = true;
      $('live-verdict').hidden = true;
      stop.disabled = true;
      stop.hidden = true;
      return;
    }

    $('live-id').textContent = test.id;
    setBadge($('live-state'), test.state);
    setVerdict($('live-verdict'), test);
    const running = !TERMINAL.has(test.state);
    stop.hidden = !running;
    stop.disabled = !running || stop.dataset.stopping === test.id;
    const planned = test.plan && test.plan.durationSeconds ? ` / ${fmt1(test.plan.durationSeconds)} s` : '';
    $('live-elapsed').textContent = `${fmt1(test.durationSeconds)} s${running ? planned : ''}`;
    const reason = $('live-reason');
    reason.hidden = !test.reason;
    reason.textContent = test.reason || '';

    const agg = test.stats && test.stats.aggregate;
    const seconds = series.seconds || [];
    const last = seconds.length ? seconds[seconds.length - 1] : null;
    $('kpi-rps-label').textContent = running ? 'Req/s now' : 'Req/s mean';
    $('kpi-rps-label').title = running ? 'Completed requests in the last second, all drivers' : 'Completed requests per second over the whole test';
    $('kpi-rps').textContent = running ? (last ? fmt1(last.rps) : '0.0') : fmt1(agg && agg.rps);
    $('kpi-completed').textContent = fmtInt(agg && agg.count);
    $('kpi-errors').textContent = agg ? fmtInt(agg.count - agg.ok) : '–';
    $('kpi-errors').dataset.bad = agg && agg.count - agg.ok > 0 ? 'true' : 'false';
    $('kpi-p99').textContent = fmtLatency(agg, 'p99');
    $('kpi-late').textContent = fmtInt(agg && agg.late);
    // The split by cause is absent from results written before it was counted: then the tooltip says nothing.
    $('kpi-late').title = agg && agg.late > 0 && typeof agg.lateConnectionsBusy === 'number'
      ? `${fmtInt(agg.lateConnectionsBusy)} waited for a busy connection, ${fmtInt(agg.late - agg.lateConnectionsBusy)} left late with a connection free (the generator was behind)`
      : '';
    $('kpi-dropped').textContent = fmtInt(agg && agg.dropped);

    renderCharts(test, series);
    renderProgress(test);
    renderErrors(agg);
  }

  function setBadge(el, value) {
    el.hidden = !value;
    el.textContent = value || '';
    el.dataset.state = value || '';
  }

  // "passed" without thresholds only says the test ran to its end (SPEC): shown plainly, with what it does not mean.
  function setVerdict(el, test) {
    setBadge(el, test.verdict);
    const unjudged = test.verdict === 'passed' && !(test.plan && test.plan.thresholds && test.plan.thresholds.length);
    el.dataset.unjudged = unjudged ? 'true' : 'false';
    el.title = unjudged ? 'No thresholds: "passed" means the test ran to its end, not that its errors or latencies were acceptable. Add thresholds (e.g. error_rate < 0.01) to judge it.' : '';
  }

  function renderProgress(test) {
    const plan = test.plan || {};
    const bars = (test.drivers || []).map((id) => {
      const p = (test.progress && test.progress[id]) || { sent: 0, completed: 0 };
      const lost = (test.lostDrivers || []).includes(id);
      let fraction;
      let label;
      if (plan.requests) {
        fraction = p.completed / plan.requests;
        label = `${fmtInt(p.completed)} / ${fmtInt(plan.requests)} requests`;
      } else if (plan.durationSeconds) {
        // A lost driver's time stops when it was lost.
        const lostAt = lost && test.lostAt && test.lostAt[id] && test.startAt ? (Date.parse(test.lostAt[id]) - Date.parse(test.startAt)) / 1000 : NaN;
        const elapsed = Number.isFinite(lostAt) ? Math.max(0, Math.min(lostAt, test.durationSeconds)) : test.durationSeconds;
        fraction = elapsed / plan.durationSeconds;
        label = `${fmt1(Math.min(elapsed, plan.durationSeconds))} / ${fmt1(plan.durationSeconds)} s · ${fmtInt(p.completed)} done`;
      } else {
        fraction = 0;
        label = `${fmtInt(p.completed)} done`;
      }
      const pct = Math.max(0, Math.min(100, Math.round(fraction * 100)));
      return h('div', { class: 'progress-row', dataset: { driverId: id, lost: lost ? 'true' : 'false' } },
        h('span', { class: 'mono progress-id' }, id, lost ? ' (lost)' : ''),
        h('div', {
          class: 'bar', role: 'progressbar', 'aria-label': `Progress of driver ${id}`,
          'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct, 'aria-valuetext': label,
        }, barFill(pct)),
        h('span', { class: 'progress-label', dataset: { sent: p.sent, completed: p.completed } }, label));
    });
    $('progress').replaceChildren(...bars);
  }

  // Through the CSSOM: the page's CSP allows no inline style attributes.
  function barFill(pct) {
    const fill = h('div', { class: 'bar-fill' });
    fill.style.width = `${pct}%`;
    return fill;
  }

  function renderErrors(agg) {
    const errors = (agg && agg.errors) || {};
    const items = Object.entries(errors).map(([kind, n]) =>
      h('li', { class: 'chip', dataset: { kind, bad: n > 0 ? 'true' : 'false' } },
        h('span', { class: 'chip-kind' }, kind), ' ', h('span', { class: 'chip-count' }, fmtInt(n))));
    $('errors-by-kind').replaceChildren(...items);
  }

  // ---- charts (uPlot) ----

  function chartSize(el) {
    return { width: Math.max(240, el.clientWidth), height: 220 };
  }

  function axis(label) {
    return {
      label,
      stroke: '#57606a',
      grid: { stroke: '#eaeef2', width: 1 },
      ticks: { stroke: '#d0d7de', width: 1 },
    };
  }

  function makeChart(el, series, yLabel) {
    const opts = {
      ...chartSize(el),
      // From second 0, at least 5 s wide (a lone first point would otherwise get an arbitrary span); from 0 up on y.
      scales: {
        x: { time: false, range: (u, min, max) => [0, Math.max(Number.isFinite(max) ? max : 0, 5)] },
        y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      // Whole seconds on x: the series has one point per second of the test.
      axes: [{ ...axis('second'), incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600] }, { ...axis(yLabel), size: 60 }],
      series: [{ label: 's' }, ...series],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    };
    el.replaceChildren();
    return new uPlot(opts, [[], ...series.map(() => [])], el);
  }

  function renderCharts(test, series) {
    if (typeof uPlot === 'undefined') return;
    const drivers = test.drivers || [];
    const key = `${test.id}|${drivers.join(',')}`;
    if (charts.key !== key) {
      charts.rps?.destroy();
      charts.latency?.destroy();
      charts.key = key;
      charts.rps = makeChart($('chart-rps'), [
        { label: 'total', stroke: '#0969da', width: 2, fill: 'rgba(9,105,218,0.08)' },
        ...drivers.map((d, i) => ({ label: d, stroke: PALETTE[i % PALETTE.length], width: 1.5, dash: [4, 3] })),
      ], 'req/s');
      charts.latency = makeChart($('chart-latency'), [
        { label: 'p50', stroke: '#1a7f37', width: 1.5 },
        { label: 'p90', stroke: '#bf8700', width: 1.5 },
        { label: 'p99', stroke: '#cf222e', width: 2 },
      ], 'ms');
    }

    // The drain after a finished test's last full second, when nothing completed in it, is not a second of load.
    let seconds = series.seconds || [];
    if (TERMINAL.has(test.state) && seconds.length > 1 && seconds[seconds.length - 1].completed === 0) seconds = seconds.slice(0, -1);
    const xs = seconds.map((s) => s.second);
    const index = new Map(xs.map((x, i) => [x, i]));
    const perDriver = drivers.map(() => xs.map(() => null));
    for (const row of series.rows || []) {
      const d = drivers.indexOf(row.driverId);
      const i = index.get(row.second);
      if (d >= 0 && i !== undefined) perDriver[d][i] = row.rps;
    }
    charts.rps.setData([xs, seconds.map((s) => s.rps), ...perDriver]);
    const latency = (key) => seconds.map((s) => (s.completed > 0 ? s[key] : null)); // nothing completed: no latency, a gap
    charts.latency.setData([xs, latency('p50Ms'), latency('p90Ms'), latency('p99Ms')]);
    $('chart-rps').dataset.points = String(xs.length);
    $('chart-latency').dataset.points = String(xs.length);
  }

  const resizer = new ResizeObserver(() => {
    if (charts.rps) charts.rps.setSize(chartSize($('chart-rps')));
    if (charts.latency) charts.latency.setSize(chartSize($('chart-latency')));
  });

  // ---- statistics ----

  function renderStats(test, live) {
    const subject = $('stats-subject');
    const panel = $('stats-panel');
    $('follow-live').hidden = live;
    panel.dataset.testId = test ? test.id : '';
    panel.dataset.state = test ? test.state : '';
    if (!test || !test.stats) {
      subject.textContent = '';
      $('stats-empty').hidden = false;
      $('stats-body').replaceChildren();
      return;
    }

    subject.textContent = `— ${test.id} (${test.state}${live ? ', live' : ''})`;
    $('stats-empty').hidden = true;
    const s = test.stats;
    const rows = [statsRow('aggregate', 'All drivers', s.aggregate, 'aggregate')];
    for (const id of Object.keys(s.perDriver || {}).sort()) {
      rows.push(statsRow(`driver:${id}`, `Driver ${id}`, s.perDriver[id], 'driver'));
    }
    for (const target of Object.keys(s.perTarget || {})) {
      rows.push(statsRow(`target:${target}`, target, s.perTarget[target], 'target'));
    }
    $('stats-body').replaceChildren(...rows);
  }

  function statsRow(scope, label, st, kind) {
    const lat = st.latencyMs || {};
    const cell = (stat, text) => h('td', { class: 'num', dataset: { stat } }, text);
    return h('tr', { dataset: { scope, kind } },
      h('th', { scope: 'row', class: kind === 'target' ? 'mono scope' : 'scope', title: label }, label),
      cell('count', fmtInt(st.count)),
      cell('ok', fmtInt(st.ok)),
      cell('errors', fmtInt(st.count - st.ok)),
      cell('rps', fmt3(st.rps)),
      ...LATENCY_STATS.map((k) => cell(k, fmt3(lat[k]))));
  }

  async function selectTest(id) {
    state.selectedId = id;
    highlightHistory();
    const res = await api(`/api/tests/${encodeURIComponent(id)}`);
    if (state.selectedId !== id) return;
    if (!res.ok) {
      const p = await readProblem(res);
      $('stats-subject').textContent = `— ${id}: ${p.detail || p.title}`;
      return;
    }
    state.selectedTest = await res.json();
    renderStats(state.selectedTest, false);
    $('stats-panel').scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  function followLive() {
    state.selectedId = null;
    state.selectedTest = null;
    highlightHistory();
    renderStats(state.liveTest, true);
  }

  // ---- history ----

  function verdictBadge(test) {
    const badge = h('span', { class: 'badge' });
    setVerdict(badge, test);
    return badge;
  }

  // Until the user types in them, the form's targets are those of the latest test (its secrets masked: then not).
  function prefillTargets(test) {
    const targets = test && test.plan && test.plan.targets;
    if ($('targets').dataset.edited || $('targets').dataset.prefilled || !targets || !targets.length) return;
    if (targets.some((t) => (t.url || '').includes('***'))) return;
    $('targets').dataset.prefilled = 'true';
    $('targets').replaceChildren();
    for (const t of targets) {
      addTargetRow(t.url ? { kind: 'url', url: t.url, weight: String(t.weight ?? 1) } : { kind: 'tcp', addr: t.addr, port: String(t.port), weight: String(t.weight ?? 1) });
    }
  }

  async function loadHistory() {
    const res = await api('/api/tests');
    if (!res.ok) return;
    const tests = (await res.json()).filter((t) => TERMINAL.has(t.state));
    $('history-empty').hidden = tests.length > 0;
    prefillTargets(tests[0]);
    const rows = tests.map((t) => {
      const agg = t.stats && t.stats.aggregate;
      const files = FILES.filter((f) => (t.files || []).includes(f)).map((f) => fileLink(t.id, f));
      return h('tr', { dataset: { testId: t.id, state: t.state } },
        h('th', { scope: 'row' },
          h('button', { type: 'button', class: 'link mono', 'aria-label': `Show the statistics of test ${t.id}`, onclick: () => background(selectTest(t.id)) }, t.id)),
        h('td', {}, t.startAt ? new Date(t.startAt).toLocaleString() : '–'),
        h('td', { class: 'num' }, `${fmt1(t.durationSeconds)} s`),
        h('td', {}, h('span', { class: 'badge', dataset: { state: t.state } }, t.state)),
        h('td', { dataset: { col: 'verdict' } }, t.verdict ? verdictBadge(t) : '–'),
        h('td', { class: 'num' }, fmtInt(agg && agg.count)),
        h('td', { class: 'num' }, fmt1(agg && agg.rps)),
        h('td', { class: 'num' }, fmtLatency(agg, 'p99')),
        h('td', { class: 'files' }, ...files));
    });
    $('history-body').replaceChildren(...rows);
    highlightHistory();
  }

  function highlightHistory() {
    for (const tr of $('history-body').querySelectorAll('tr')) {
      tr.classList.toggle('selected', tr.dataset.testId === state.selectedId);
      tr.setAttribute('aria-selected', tr.dataset.testId === state.selectedId ? 'true' : 'false');
    }
  }

  function fileLink(id, name) {
    const href = `/api/tests/${encodeURIComponent(id)}/files/${encodeURIComponent(name)}`;
    const html = name.endsWith('.html');
    return h('a', {
      href,
      class: 'file',
      dataset: { file: name },
      target: html ? '_blank' : null,
      rel: html ? 'noopener' : null,
      download: html ? null : `${id}-${name}`,
      onclick: (e) => {
        // A plain link cannot carry the token: with one, fetch the file and hand it over as a blob.
        if (!state.token) return;
        e.preventDefault();
        background(downloadWithToken(href, name, html ? null : `${id}-${name}`));
      },
    }, name);
  }

  async function downloadWithToken(href, name, filename) {
    const res = await api(href);
    if (!res.ok) return;
    const url = URL.createObjectURL(await res.blob());
    if (filename) {
      const a = h('a', { href: url, download: filename });
      document.body.append(a);
      a.click();
      a.remove();
    } else {
      window.open(url, '_blank', 'noopener');
    }
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  // ---- the start form ----

  let targetSeq = 0;

  function addTargetRow(values) {
    const row = $('target-row').content.firstElementChild.cloneNode(true);
    const n = targetSeq++;
    for (const field of row.querySelectorAll('.field')) {
      const input = field.querySelector('input, select');
      const label = field.querySelector('label');
      input.id = `t${n}-${input.name}`;
      label.htmlFor = input.id;
    }
    const kind = row.querySelector('[name=kind]');
    kind.addEventListener('change', () => showKind(row));
    row.querySelector('.remove-target').addEventListener('click', () => {
      row.remove();
      renumberTargets();
    });
    if (values) {
      for (const [k, v] of Object.entries(values)) row.querySelector(`[name=${k}]`).value = v;
    }
    $('targets').append(row);
    showKind(row);
    renumberTargets();
    return row;
  }

  // Placeholders show the API's defaults for the chosen type.
  function showTypeDefaults() {
    const tsunami = $('f-type').value === 'tsunami';
    // The pre-filled rate is a tsunami's starting point; for an avalanche it would be a ceiling nobody asked for.
    const rps = $('f-rps');
    if (!rps.dataset.edited) rps.value = tsunami && $('f-delayMs').value === '' ? rps.dataset.default : '';
    rps.placeholder = tsunami ? '' : 'no ceiling';
    $('f-concurrency').placeholder = tsunami ? '10000' : '10';
    $('f-delayMs').disabled = !tsunami;
    $('f-delayMs').placeholder = tsunami ? '' : 'tsunami only';
    $('f-connections').disabled = !tsunami;
    $('f-connections').placeholder = tsunami ? '64' : 'tsunami only';
  }

  function showKind(row) {
    const tcp = row.querySelector('[name=kind]').value === 'tcp';
    row.querySelector('.field.url').hidden = tcp;
    row.querySelector('.field.addr').hidden = !tcp;
    row.querySelector('.field.port').hidden = !tcp;
  }

  // Error keys of the API name targets by index (targets[1].url): keep data-field in step with the rows.
  function renumberTargets() {
    const rows = [...$('targets').querySelectorAll('.target-row')];
    rows.forEach((row, i) => {
      row.dataset.field = `targets[${i}]`;
      row.dataset.index = String(i);
      for (const input of row.querySelectorAll('input')) input.dataset.field = `targets[${i}].${input.name}`;
      const remove = row.querySelector('.remove-target');
      remove.setAttribute('aria-label', `Remove target ${i + 1}`);
      remove.disabled = rows.length === 1;
    });
  }

  const NUMBER_FIELDS = ['delayMs', 'rps', 'concurrency', 'connections', 'requests', 'durationSeconds', 'drivers', 'timeoutMs'];

  /** The plan as typed. Empty inputs are left out; text in a number input is an error found here. */
  function readPlan(localErrors) {
    const form = $('start-form');
    const plan = { type: form.elements.type.value };
    const number = (input) => {
      if (input.disabled) return undefined;
      if (input.validity.badInput) {
        localErrors[input.dataset.field] = ['is not a number'];
        return undefined;
      }
      const raw = input.value.trim();
      return raw === '' ? undefined : Number(raw);
    };
    for (const name of NUMBER_FIELDS) {
      const v = number(form.elements[name]);
      if (v !== undefined) plan[name] = v;
    }
    const payload = form.elements.payload.value;
    if (payload !== '') plan.payload = payload;
    if (form.elements.method.value !== 'GET') plan.method = form.elements.method.value;

    plan.targets = [...$('targets').querySelectorAll('.target-row')].map((row) => {
      const get = (n) => row.querySelector(`[name=${n}]`);
      const target = {};
      if (get('kind').value === 'tcp') {
        target.addr = get('addr').value.trim();
        const port = number(get('port'));
        if (port !== undefined) target.port = port;
      } else {
        target.url = get('url').value.trim();
      }
      const weight = number(get('weight'));
      if (weight !== undefined) target.weight = weight;
      return target;
    });
    return plan;
  }

  function clearErrors() {
    const form = $('start-form');
    for (const p of form.querySelectorAll('.field-error')) p.remove();
    for (const el of form.querySelectorAll('[aria-invalid]')) {
      el.removeAttribute('aria-invalid');
      const described = (el.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.startsWith('err-'));
      if (described.length) el.setAttribute('aria-describedby', described.join(' '));
      else el.removeAttribute('aria-describedby');
    }
    for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
    setFormMessage('', '');
  }

  let errorSeq = 0;

  /** Puts each error next to its field: the exact key, else its closest parent (targets[1] → targets), else the form. */
  function showErrors(errors) {
    const form = $('start-form');
    const unplaced = [];
    let first = null;
    for (const [key, messages] of Object.entries(errors || {})) {
      let anchor = null;
      for (let k = key; k && !anchor; k = parentKey(k)) {
        anchor = form.querySelector(`[data-field="${CSS.escape(k)}"]`);
      }
      const text = (Array.isArray(messages) ? messages : [messages]).join(' ');
      if (!anchor) {
        unplaced.push(`${key}: ${text}`);
        continue;
      }
      const id = `err-${errorSeq++}`;
      const p = h('p', { class: 'field-error', id, dataset: { errorFor: key } }, text);
      const input = anchor.matches('input, select') ? anchor : null;
      const container = input ? input.closest('.field') : anchor;
      if (container.tagName === 'FIELDSET') container.querySelector('legend').after(p);
      else container.append(p);
      container.classList.add('invalid');
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', `${input.getAttribute('aria-describedby') || ''} ${id}`.trim());
        if (!first || (first.compareDocumentPosition(input) & Node.DOCUMENT_POSITION_PRECEDING)) first = input;
      }
    }
    return { unplaced, first };
  }

  function parentKey(key) {
    const dot = key.lastIndexOf('.');
    const bracket = key.lastIndexOf('[');
    const cut = Math.max(dot, bracket);
    return cut > 0 ? key.slice(0, cut) : '';
  }

  function setFormMessage(kind, text) {
    const m = $('form-message');
    m.dataset.kind = kind;
    m.textContent = text;
  }

  async function submitForm(e) {
    e.preventDefault();
    clearErrors();
    const localErrors = {};
    const plan = readPlan(localErrors);
    if (Object.keys(localErrors).length) {
      const { first } = showErrors(localErrors);
      setFormMessage('error', 'Fix the highlighted fields.');
      first?.focus();
      return;
    }

    const button = $('start-button');
    button.disabled = true;
    try {
      const res = await api('/api/tests', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(plan),
      });
      if (res.status === 201) {
        const body = await res.json();
        setFormMessage('ok', `Test ${body.id} started on ${(body.drivers || []).join(', ')}.`);
        followLive();
        return;
      }
      const problem = await readProblem(res);
      if (res.status === 400 && problem.errors) {
        const { unplaced, first } = showErrors(problem.errors);
        setFormMessage('error', unplaced.length ? `Invalid plan: ${unplaced.join('; ')}` : 'Invalid plan: fix the highlighted fields.');
        first?.focus();
      } else if (res.status === 409) {
        setFormMessage('error', `Cannot start: ${problem.detail || problem.title}`);
      } else {
        setFormMessage('error', `${problem.title || `HTTP ${res.status}`}${problem.detail ? `: ${problem.detail}` : ''}`);
      }
    } catch (err) {
      setFormMessage('error', `The orchestrator did not answer: ${err.message}`);
    } finally {
      button.disabled = false;
    }
  }

  async function stopTest() {
    const test = state.liveTest;
    if (!test) return;
    const stop = $('stop-button');
    stop.disabled = true;
    stop.dataset.stopping = test.id;
    const res = await api(`/api/tests/${encodeURIComponent(test.id)}/stop`, { method: 'POST' });
    if (!res.ok) {
      delete stop.dataset.stopping;
      stop.disabled = false;
    }
  }

  // ---- start ----

  function init() {
    addTargetRow({ kind: 'url', url: `http://${location.hostname || '127.0.0.1'}:8080/ping`, weight: '1' });
    $('add-target').addEventListener('click', () => addTargetRow({ weight: '1' }).querySelector('[name=url]').focus());
    $('start-form').addEventListener('submit', submitForm);
    $('f-type').addEventListener('change', showTypeDefaults);
    $('f-rps').addEventListener('input', () => { $('f-rps').dataset.edited = 'true'; });
    $('f-delayMs').addEventListener('input', () => {
      if (!$('f-rps').dataset.edited && $('f-delayMs').value !== '') $('f-rps').value = ''; // one of the two sets the gap
    });
    $('targets').addEventListener('input', () => { $('targets').dataset.edited = 'true'; }, { once: true });
    showTypeDefaults();
    $('stop-button').addEventListener('click', () => background(stopTest()));
    $('follow-live').addEventListener('click', followLive);
    $('history-refresh').addEventListener('click', () => background(loadHistory()));
    $('token-dialog').addEventListener('cancel', (e) => e.preventDefault()); // nothing works without the token
    resizer.observe($('chart-rps'));
    resizer.observe($('chart-latency'));
    connectEvents();
  }

  init();
})();
