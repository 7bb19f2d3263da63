namespace Kukai.Results.Report;

/// <summary>
/// The report's inline script: reads the JSON blob (<c>#kukai-data</c>, see <see cref="ReportChartData"/>) and draws each
/// <c>figure[data-chart]</c> on its canvas, with axes, legends (click to hide a series), hover tooltips and shaded
/// saturated seconds. Vanilla JS, no library, no network. User strings reach the page only as text nodes.
/// </summary>
/// <remarks>
/// After drawing, each canvas carries <c>data-drawn="1"</c>, <c>data-points</c> (points plotted) and <c>data-colors</c>
/// (its series' colours), and <c>body</c> carries <c>data-ready="true"</c>: the browser tests read them.
/// </remarks>
internal static class ReportScript
{
    public const string Text = """

(function () {
  'use strict';
  const D = JSON.parse(document.getElementById('kukai-data').textContent);
  const BAND = 'rgba(245, 158, 11, 0.18)';
  const DRIVER_COLORS = ['#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#4f46e5', '#ea580c', '#0d9488', '#a21caf', '#854d0e', '#be123c'];
  const KIND_COLORS = { connect: '#7c3aed', timeout: '#d97706', reset: '#db2777', http_4xx: '#0891b2', http_5xx: '#dc2626', protocol: '#4b5563' };

  function hslHex(h, s, l) {
    const f = n => {
      const k = (n + h / 30) % 12;
      const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
      return Math.round(c * 255).toString(16).padStart(2, '0');
    };
    return '#' + f(0) + f(8) + f(4);
  }

  function driverColor(i) {
    return i < DRIVER_COLORS.length ? DRIVER_COLORS[i] : hslHex((i * 137.508) % 360, 0.6, 0.42);
  }

  function fmt(v) {
    if (v == null || !isFinite(v)) return '–';
    const a = Math.abs(v);
    const digits = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 2 : 3;
    return v.toLocaleString('en-US', { maximumFractionDigits: digits });
  }

  function fmtTick(v) {
    const a = Math.abs(v);
    if (a >= 1e6) return +(v / 1e6).toFixed(2) + 'M';
    if (a >= 1e4) return +(v / 1e3).toFixed(1) + 'k';
    return +v.toPrecision(6) + '';
  }

  function fmtElapsed(sec) {
    sec = Math.round(sec * 1000) / 1000;
    if (sec < 60) return +sec.toFixed(3) + 's';
    const h = Math.floor(sec / 3600), m = Math.floor((sec % 3600) / 60), s = Math.round(sec % 60);
    return (h ? h + 'h' : '') + (m ? m + 'm' : '') + (s ? s + 's' : '') || '0s';
  }

  function fmtPercentile(p) {
    if (p >= 1) return '100%';
    let digits = 0;
    while (digits < 6 && Math.abs(Math.round(p * 100 * Math.pow(10, digits)) - p * 100 * Math.pow(10, digits)) > 1e-6) digits++;
    return (p * 100).toFixed(digits) + '%';
  }

  function niceStep(range, target) {
    const raw = range / Math.max(1, target);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
  }

  function linearTicks(min, max, target) {
    const step = niceStep(max - min, target);
    const ticks = [];
    for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push({ v: +v.toPrecision(12), label: fmtTick(+v.toPrecision(12)) });
    return ticks;
  }

  const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
  function timeTicks(min, max, target) {
    let step = TIME_STEPS[TIME_STEPS.length - 1];
    for (const s of TIME_STEPS) { if ((max - min) / s <= target) { step = s; break; } }
    const ticks = [];
    for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) ticks.push({ v: v, label: fmtElapsed(v) });
    return ticks;
  }

  function logTicks(min, max) {
    const ticks = [];
    const lo = Math.floor(Math.log10(min) + 1e-9), hi = Math.ceil(Math.log10(max) - 1e-9);
    const mult = hi - lo <= 2 ? [1, 2, 5] : [1];
    for (let e = lo; e <= hi; e++) {
      for (const m of mult) {
        const v = m * Math.pow(10, e);
        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push({ v: v, label: fmtTick(v) });
      }
    }
    return ticks;
  }

  function swatch(color, cls) {
    const s = document.createElement('span');
    s.className = 'sw' + (cls ? ' ' + cls : '');
    if (color) s.style.background = color;
    return s;
  }

  function finite(v) { return v != null && isFinite(v); }

  // A chart: one figure, its canvas, legend and tooltip. cfg.kind is 'line' or 'bars'.
  function Chart(fig, cfg) {
    this.fig = fig;
    this.cfg = cfg;
    this.canvas = fig.querySelector('canvas');
    this.tip = fig.querySelector('.tip');
    this.cross = fig.querySelector('.cross');
    this.geom = null;
    const log = fig.querySelector('.logt input');
    if (log) {
      log.checked = !!cfg.yLog;
      log.addEventListener('change', () => { cfg.yLog = log.checked; this.draw(); });
    }
    this.legend(fig.querySelector('.legend'));
    this.canvas.addEventListener('mousemove', e => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => { this.tip.hidden = true; this.cross.hidden = true; });
  }

  Chart.prototype.legend = function (box) {
    if (!box) return;
    box.textContent = '';
    (this.cfg.series || []).forEach(s => {
      const b = document.createElement('button');
      b.type = 'button';
      b.appendChild(swatch(s.color));
      b.appendChild(document.createTextNode(s.name));
      b.title = 'show or hide';
      if (s.hidden) b.className = 'off';
      b.addEventListener('click', () => { s.hidden = !s.hidden; b.className = s.hidden ? 'off' : ''; this.draw(); });
      box.appendChild(b);
    });
    if (this.cfg.bands && this.cfg.bands.length) {
      const span = document.createElement('span');
      span.appendChild(swatch(null, 'band'));
      span.appendChild(document.createTextNode('load generator saturated'));
      box.appendChild(span);
    }
    (this.cfg.markers || []).forEach(m => {
      const span = document.createElement('span');
      span.appendChild(swatch('#b91c1c'));
      span.appendChild(document.createTextNode(m.label + ' at ' + fmtElapsed(m.x)));
      box.appendChild(span);
    });
  };

  Chart.prototype.prepare = function () {
    const cv = this.canvas;
    const W = cv.clientWidth, H = cv.clientHeight;
    if (!W || !H) return null;
    const dpr = window.devicePixelRatio || 1;
    cv.width = Math.round(W * dpr);
    cv.height = Math.round(H * dpr);
    const ctx = cv.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    ctx.font = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    ctx.lineJoin = 'round';
    return { ctx: ctx, W: W, H: H };
  };

  Chart.prototype.draw = function () {
    if (this.cfg.kind === 'bars') this.drawBars(); else this.drawLines();
  };

  Chart.prototype.drawLines = function () {
    const c = this.prepare();
    if (!c) return;
    const ctx = c.ctx, W = c.W, H = c.H, cfg = this.cfg;
    const xs = cfg.x, n = xs.length;
    const visible = cfg.series.filter(s => !s.hidden);
    const xLog = !!cfg.xLog;
    let xmin = cfg.xMin != null ? cfg.xMin : (n ? xs[0] : 0);
    let xmax = cfg.xMax != null ? cfg.xMax : (n ? xs[n - 1] : 1);
    if (!(xmax > xmin)) xmax = xmin + 1;

    let ymax = 0, yminPos = Infinity;
    for (const s of visible) for (const v of s.y) if (finite(v)) { if (v > ymax) ymax = v; if (v > 0 && v < yminPos) yminPos = v; }
    for (const h of cfg.hlines || []) if (finite(h.y)) { if (h.y > ymax) ymax = h.y; if (h.y > 0 && h.y < yminPos) yminPos = h.y; }
    const yLog = !!cfg.yLog && yminPos < Infinity;
    let ymin = 0, yticks;
    if (yLog) {
      ymin = Math.pow(10, Math.floor(Math.log10(yminPos)));
      ymax = Math.pow(10, Math.ceil(Math.log10(Math.max(ymax, ymin * 10))));
      yticks = logTicks(ymin, ymax);
    } else {
      if (!(ymax > 0)) ymax = 1;
      const step = niceStep(ymax, 5);
      ymax = Math.ceil(ymax * 1.02 / step) * step;
      yticks = linearTicks(0, ymax, 5);
    }

    let left = 8;
    for (const t of yticks) left = Math.max(left, ctx.measureText(t.label).width);
    left = Math.ceil(left) + 10 + (cfg.yLabel ? 16 : 0);
    const right = 14, top = 10, bottom = cfg.xLabel ? 38 : 24;
    const pw = Math.max(10, W - left - right), ph = Math.max(10, H - top - bottom);
    const xf = xLog ? v => Math.log10(v) : v => v;
    const yf = yLog ? v => Math.log10(v) : v => v;
    const X = v => left + (xf(v) - xf(xmin)) / (xf(xmax) - xf(xmin)) * pw;
    const Y = v => top + ph - (yf(v) - yf(ymin)) / (yf(ymax) - yf(ymin)) * ph;
    const xticks = cfg.xTicks ? cfg.xTicks(xmin, xmax, pw) : (xLog ? logTicks(xmin, xmax) : linearTicks(xmin, xmax, Math.max(2, Math.floor(pw / 90))));

    // 1. saturated bands behind everything
    ctx.fillStyle = BAND;
    for (const b of cfg.bands || []) {
      const a = X(Math.max(b[0], xmin)), e = X(Math.min(b[1], xmax));
      if (e > a) ctx.fillRect(a, top, Math.max(1, e - a), ph);
    }

    // 2. grid, ticks and axis labels
    ctx.strokeStyle = '#e5e7eb';
    ctx.lineWidth = 1;
    ctx.fillStyle = '#6b7280';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of yticks) {
      const y = Math.round(Y(t.v)) + 0.5;
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left + pw, y); ctx.stroke();
      ctx.fillText(t.label, left - 6, y);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    let lastRight = -Infinity;
    for (const t of xticks) {
      const x = Math.round(X(t.v)) + 0.5;
      if (x < left - 1 || x > left + pw + 1) continue;
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + ph); ctx.stroke();
      const w = ctx.measureText(t.label).width;
      const lx = Math.min(Math.max(x, w / 2 + 1), W - w / 2 - 1);
      if (lx - w / 2 > lastRight + 4) { ctx.fillText(t.label, lx, top + ph + 5); lastRight = lx + w / 2; }
    }
    ctx.strokeStyle = '#9ca3af';
    ctx.beginPath(); ctx.moveTo(left + 0.5, top); ctx.lineTo(left + 0.5, top + ph + 0.5); ctx.lineTo(left + pw, top + ph + 0.5); ctx.stroke();
    ctx.fillStyle = '#4b5563';
    if (cfg.xLabel) { ctx.textBaseline = 'bottom'; ctx.fillText(cfg.xLabel, left + pw / 2, H - 2); }
    if (cfg.yLabel) {
      ctx.save(); ctx.translate(11, top + ph / 2); ctx.rotate(-Math.PI / 2);
      ctx.textBaseline = 'middle'; ctx.fillText(cfg.yLabel, 0, 0); ctx.restore();
    }

    // 3. series, clipped to the plot area; min/max per pixel column when points outnumber pixels
    ctx.save();
    ctx.beginPath(); ctx.rect(left, top - 2, pw + 2, ph + 4); ctx.clip();
    let points = 0;
    const dots = n > 0 && (n <= 2 || pw / n >= 24);
    for (const s of visible) {
      ctx.strokeStyle = s.color;
      ctx.fillStyle = s.color;
      ctx.lineWidth = s.width || 1.6;
      ctx.setLineDash(s.dash || []);
      ctx.beginPath();
      points += trace(ctx, xs, s.y, X, Y, yLog, n > 2 * pw);
      ctx.stroke();
      ctx.setLineDash([]);
      if (dots) {
        for (let i = 0; i < n; i++) {
          const v = s.y[i];
          if (!finite(v) || (yLog && v <= 0)) continue;
          ctx.beginPath(); ctx.arc(X(xs[i]), Y(v), Math.max(2, ctx.lineWidth + 0.8), 0, 2 * Math.PI); ctx.fill();
        }
      }
    }
    for (const h of cfg.hlines || []) {
      if (!finite(h.y)) continue;
      const y = Math.round(Y(h.y)) + 0.5;
      ctx.strokeStyle = h.color; ctx.fillStyle = h.color; ctx.lineWidth = 1.2; ctx.setLineDash([6, 4]);
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left + pw, y); ctx.stroke(); ctx.setLineDash([]);
      ctx.textAlign = 'right'; ctx.textBaseline = 'bottom'; ctx.fillText(h.label, left + pw - 4, y - 2);
    }
    for (const m of cfg.markers || []) {
      const x = Math.round(X(Math.min(Math.max(m.x, xmin), xmax))) + 0.5;
      ctx.strokeStyle = '#b91c1c'; ctx.fillStyle = '#b91c1c'; ctx.lineWidth = 1.2; ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + ph); ctx.stroke(); ctx.setLineDash([]);
      ctx.textAlign = x > left + pw - 80 ? 'right' : 'left'; ctx.textBaseline = 'top';
      ctx.fillText(m.label, x + (ctx.textAlign === 'right' ? -4 : 4), top + 2);
    }
    ctx.restore();

    if (points === 0) {
      ctx.fillStyle = '#9ca3af'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      ctx.font = '13px system-ui, sans-serif';
      ctx.fillText(cfg.emptyText || 'no data', left + pw / 2, top + ph / 2);
    }
    this.geom = { left: left, top: top, pw: pw, ph: ph, X: X };
    this.mark(points, visible.map(s => s.color));
  };

  // Adds one series to the current path, breaking at gaps; returns the number of points plotted.
  function trace(ctx, xs, ys, X, Y, yLog, decimate) {
    let down = false, count = 0, col = null, first = 0, lo = 0, hi = 0, last = 0;
    const flush = () => {
      if (col === null) return;
      if (down) ctx.lineTo(col, first); else ctx.moveTo(col, first);
      ctx.lineTo(col, lo); ctx.lineTo(col, hi); ctx.lineTo(col, last);
      down = true; col = null;
    };
    for (let i = 0; i < xs.length; i++) {
      const v = ys[i];
      if (!finite(v) || (yLog && v <= 0)) { flush(); down = false; continue; }
      count++;
      const px = X(xs[i]), py = Y(v);
      if (!decimate) {
        if (down) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        down = true;
        continue;
      }
      const c = Math.round(px);
      if (c !== col) { flush(); col = c; first = lo = hi = last = py; } else { lo = Math.min(lo, py); hi = Math.max(hi, py); last = py; }
    }
    flush();
    return count;
  }

  Chart.prototype.drawBars = function () {
    const c = this.prepare();
    if (!c) return;
    const ctx = c.ctx, W = c.W, H = c.H, cfg = this.cfg;
    const n = cfg.labels.length;
    let ymax = 0;
    for (const v of cfg.values) if (v > ymax) ymax = v;
    if (!(ymax > 0)) ymax = 1;
    const step = Math.max(1, niceStep(ymax, 5));
    ymax = Math.ceil(ymax * 1.08 / step) * step;
    const yticks = linearTicks(0, ymax, 5).filter(t => Number.isInteger(t.v));
    let left = 8;
    for (const t of yticks) left = Math.max(left, ctx.measureText(t.label).width);
    left = Math.ceil(left) + 10 + 16;
    // Labels wider than their slot are drawn slanted, with room below for them.
    const right = 10, top = 14;
    let widest = 0;
    for (const l of cfg.labels) widest = Math.max(widest, ctx.measureText(l).width);
    const slanted = widest > (W - left - right) / Math.max(1, n) - 6;
    const bottom = slanted ? Math.min(90, 18 + widest * 0.6) : 38;
    const pw = Math.max(10, W - left - right), ph = Math.max(10, H - top - bottom);
    const Y = v => top + ph - v / ymax * ph;
    ctx.strokeStyle = '#e5e7eb'; ctx.lineWidth = 1; ctx.fillStyle = '#6b7280';
    ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
    for (const t of yticks) {
      const y = Math.round(Y(t.v)) + 0.5;
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(left + pw, y); ctx.stroke();
      ctx.fillText(t.label, left - 6, y);
    }
    ctx.strokeStyle = '#9ca3af';
    ctx.beginPath(); ctx.moveTo(left + 0.5, top); ctx.lineTo(left + 0.5, top + ph + 0.5); ctx.lineTo(left + pw, top + ph + 0.5); ctx.stroke();
    ctx.save(); ctx.translate(11, top + ph / 2); ctx.rotate(-Math.PI / 2);
    ctx.fillStyle = '#4b5563'; ctx.textAlign = 'center'; ctx.fillText(cfg.yLabel, 0, 0); ctx.restore();
    const slot = pw / Math.max(1, n), bw = Math.min(64, slot * 0.6);
    const bars = [];
    for (let i = 0; i < n; i++) {
      const x = left + slot * i + (slot - bw) / 2, v = cfg.values[i];
      const y = Y(v), h = top + ph - y;
      ctx.fillStyle = cfg.colors[i];
      if (v > 0) ctx.fillRect(x, y, bw, Math.max(1.5, h));
      ctx.fillStyle = v > 0 ? '#111827' : '#9ca3af';
      ctx.textAlign = 'center'; ctx.textBaseline = 'bottom';
      ctx.fillText(fmt(v), x + bw / 2, Math.min(y, top + ph) - 3);
      ctx.fillStyle = '#4b5563'; ctx.textBaseline = 'top';
      if (slanted) {
        ctx.save(); ctx.translate(x + bw / 2, top + ph + 6); ctx.rotate(-Math.PI / 5);
        ctx.textAlign = 'right'; ctx.fillText(cfg.labels[i], 0, 0); ctx.restore();
      } else {
        ctx.fillText(cfg.labels[i], x + bw / 2, top + ph + 6);
      }
      bars.push({ x: x, w: bw, i: i });
    }
    if (cfg.emptyText && cfg.values.every(v => !(v > 0))) {
      ctx.fillStyle = '#9ca3af'; ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
      ctx.font = '13px system-ui, sans-serif';
      ctx.fillText(cfg.emptyText, left + pw / 2, top + ph / 2);
    }
    this.geom = { left: left, top: top, pw: pw, ph: ph, bars: bars, slot: slot };
    this.mark(n, cfg.colors);
  };

  Chart.prototype.mark = function (points, colors) {
    this.canvas.dataset.drawn = '1';
    this.canvas.dataset.points = String(points);
    this.canvas.dataset.colors = colors.join(',');
  };

  Chart.prototype.hover = function (e) {
    const g = this.geom, cfg = this.cfg;
    if (!g) return;
    const r = this.canvas.getBoundingClientRect();
    const mx = e.clientX - r.left, my = e.clientY - r.top;
    if (mx < g.left - 4 || mx > g.left + g.pw + 4 || my < g.top || my > g.top + g.ph) { this.tip.hidden = true; this.cross.hidden = true; return; }
    const tip = this.tip;
    tip.textContent = '';
    let px;
    if (cfg.kind === 'bars') {
      const i = Math.min(cfg.labels.length - 1, Math.max(0, Math.floor((mx - g.left) / g.slot)));
      if (i < 0) return;
      px = g.left + g.slot * (i + 0.5);
      this.tipLine(true, null, cfg.labels[i], '');
      this.tipLine(false, cfg.colors[i], 'failed', fmt(cfg.values[i]) + (cfg.total > 0 ? ' (' + fmt(cfg.values[i] / cfg.total * 100) + ' % of requests)' : ''));
    } else {
      const xs = cfg.x;
      if (!xs.length) return;
      let lo = 0, hi = xs.length - 1;
      while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (g.X(xs[mid]) < mx) lo = mid; else hi = mid; }
      const i = Math.abs(g.X(xs[lo]) - mx) <= Math.abs(g.X(xs[hi]) - mx) ? lo : hi;
      px = g.X(xs[i]);
      this.tipLine(true, null, cfg.title(i), '');
      const rows = cfg.series.filter(s => !s.hidden && finite(s.y[i]));
      const shown = rows.slice(0, 16);
      for (const s of shown) this.tipLine(false, s.color, s.name, fmt(s.y[i]) + (cfg.unit ? ' ' + cfg.unit : ''));
      if (rows.length > shown.length) this.tipLine(false, null, '… ' + (rows.length - shown.length) + ' more', '');
      if (cfg.extra) for (const line of cfg.extra(i)) this.tipLine(false, null, line, '');
    }
    this.cross.hidden = false;
    this.cross.style.left = Math.round(px) + 'px';
    this.cross.style.top = g.top + 'px';
    this.cross.style.height = g.ph + 'px';
    tip.hidden = false;
    const tw = tip.offsetWidth, th = tip.offsetHeight;
    let tx = px + 14;
    if (tx + tw > r.width) tx = Math.max(0, px - 14 - tw);
    tip.style.left = Math.round(tx) + 'px';
    tip.style.top = Math.round(Math.min(Math.max(0, my - th / 2), Math.max(0, r.height - th))) + 'px';
  };

  Chart.prototype.tipLine = function (bold, color, name, value) {
    const div = document.createElement('div');
    if (color) div.appendChild(swatch(color));
    const label = document.createElement(bold ? 'b' : 'span');
    label.textContent = name + (value ? ': ' : '');
    div.appendChild(label);
    if (value) div.appendChild(document.createTextNode(value));
    this.tip.appendChild(div);
  };

  // Time charts share the x axis (seconds since the start), the saturated bands and the lost-driver markers.
  const bucket = D.bucket || 1;
  const xEnd = D.x.length ? D.x[D.x.length - 1] + bucket : 1;
  // A point stands for its whole second (or bucket): drawn at its middle, so it sits inside its saturated band.
  const xMid = D.x.map(v => v + bucket / 2);
  const markers = D.lost.map(l => ({ x: l.at, label: 'lost ' + l.id }));
  function timeTitle(i) {
    const t = D.x[i];
    if (bucket > 1) return fmtElapsed(t) + ' – ' + fmtElapsed(t + bucket) + ' (average per second)';
    return 'second ' + t + (t >= 60 ? ' (' + fmtElapsed(t) + ')' : '');
  }
  function timeChart(extra) {
    return Object.assign({
      kind: 'line', x: xMid, xMin: D.x.length ? D.x[0] : 0, xMax: xEnd, bands: D.saturated, markers: markers,
      xTicks: (a, b, pw) => timeTicks(a, b, Math.max(2, Math.floor(pw / 80))), xLabel: 'time since the start',
      title: timeTitle, emptyText: 'no per-second data'
    }, extra);
  }

  const builders = {
    throughput: () => {
      const series = [
        { name: 'completed/s', color: '#1d4ed8', y: D.completed, width: 2.4 },
        { name: 'sent/s', color: '#64748b', y: D.sent, width: 1.4, dash: [5, 4] },
        { name: 'errors/s', color: '#dc2626', y: D.errors, width: 1.6 }
      ];
      D.drivers.forEach((d, i) => series.push({ name: d.id, color: driverColor(i), y: d.completed, width: 1.1 }));
      return timeChart({ series: series, yLabel: 'requests / s', unit: '/s' });
    },
    latency: () => timeChart({
      series: [
        { name: 'p50', color: '#059669', y: D.p50, width: 1.8 },
        { name: 'p90', color: '#d97706', y: D.p90, width: 1.6 },
        { name: 'p99', color: '#dc2626', y: D.p99, width: 1.6 },
        { name: 'max', color: '#7c3aed', y: D.max, width: 1.2, dash: [3, 3] }
      ],
      yLabel: 'latency (ms)', unit: 'ms', emptyText: 'no latencies'
    }),
    late: () => timeChart({
      series: [
        { name: 'late/s', color: '#d97706', y: D.late, width: 1.8 },
        { name: 'late, connections busy/s', color: '#92400e', y: D.lateConnectionsBusy, width: 1.4, dash: [5, 4] },
        { name: 'dropped/s', color: '#b91c1c', y: D.dropped, width: 1.8 }
      ],
      yLabel: 'requests / s', unit: '/s'
    }),
    curve: () => {
      const c = D.curve, xs = [], ys = [], idx = [];
      for (let i = 0; i < c.p.length; i++) {
        if (c.p[i] < 1) { xs.push(1 / (1 - c.p[i])); ys.push(c.v[i]); idx.push(i); }
      }
      const xmaxFinite = xs.length ? xs[xs.length - 1] : 1;
      const decades = Math.max(1, Math.ceil(Math.log10(xmaxFinite) - 1e-9));
      const total = c.n.length ? c.n[c.n.length - 1] : 0;
      return {
        kind: 'line', x: xs, xLog: true, xMin: 1, xMax: Math.pow(10, decades),
        xTicks: () => {
          const t = [];
          for (let k = 0; k <= decades; k++) t.push({ v: Math.pow(10, k), label: k === 0 ? '0%' : fmtPercentile(1 - Math.pow(10, -k)) });
          return t;
        },
        series: [{ name: 'latency', color: '#1d4ed8', y: ys, width: 2 }],
        hlines: [{ y: c.maxMs, label: 'max ' + fmt(c.maxMs) + ' ms', color: '#7c3aed' }],
        xLabel: 'percentile', yLabel: 'latency (ms)', unit: 'ms', emptyText: 'no latencies',
        title: i => 'p' + fmtPercentile(c.p[idx[i]]).replace('%', ''),
        extra: i => [fmt(c.n[idx[i]]) + ' of ' + fmt(total) + ' requests at or below']
      };
    },
    errors: () => {
      const kinds = D.errorKinds;
      return {
        kind: 'bars', labels: kinds.map(k => k.kind), values: kinds.map(k => k.count),
        colors: kinds.map((k, i) => KIND_COLORS[k.kind] || driverColor(i)), yLabel: 'requests', total: D.requests,
        emptyText: D.requests > 0 ? 'no errors' : 'no requests'
      };
    }
  };

  const charts = [];
  for (const fig of document.querySelectorAll('figure[data-chart]')) {
    const build = builders[fig.dataset.chart];
    if (!build) { console.error('unknown chart ' + fig.dataset.chart); continue; }
    charts.push(new Chart(fig, build()));
  }

  function drawAll() {
    for (const ch of charts) {
      try { ch.draw(); } catch (err) { console.error('chart ' + ch.fig.dataset.chart + ': ' + err); }
    }
  }

  let frame = 0;
  window.addEventListener('resize', () => { cancelAnimationFrame(frame); frame = requestAnimationFrame(drawAll); });
  window.addEventListener('beforeprint', drawAll);
  drawAll();
  document.body.dataset.ready = 'true';
})();

""";
}
