// The script inside report.html. Plain browser JavaScript (no libraries, no network), kept as a
// string so the report stays one file. It reads the embedded JSON once and draws three canvases
// that share one time window: the timeline (one lane per agent, one bar per op), latency over time
// and throughput. Canvas, not DOM nodes, so 100,000 ops stay responsive; hover and click are
// answered by binary search over each lane's ops, which are sorted by invoke time.
// Written without template literals: this whole file is one String.raw template.
export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var started = performance.now();
  var D = JSON.parse(document.getElementById('stampede-data').textContent);
  var O = D.ops;
  var N = O.agent.length;
  var parsedAt = performance.now();
  var COLOR = { o: '#2f9e44', f: '#e03131', i: '#f59f00', p: '#adb5bd' };
  var WORD = { o: 'ok', f: 'fail', i: 'info', p: 'pending' };
  var PRIO = { o: 0, p: 1, i: 2, f: 3 };
  var DRAW_ORDER = ['o', 'p', 'i', 'f'];
  var MARK = '#7048e8';
  var GUTTER = 64, RIGHT = 14, AXIS_H = 30;

  // ---------- data ----------
  var full0 = D.range.start, full1 = D.range.end;
  if (!(full1 > full0)) full1 = full0 + 1;
  var span0 = full1 - full0;
  var startArr = new Float64Array(N), endArr = new Float64Array(N);
  var i, a;
  for (i = 0; i < N; i++) {
    startArr[i] = O.start[i];
    endArr[i] = O.end[i] < 0 ? full1 : O.end[i];
  }
  // Ops in start order (the embedded ops come in completion order; no sort when they happen to be in order).
  var byStart = new Int32Array(N);
  var sorted = true;
  for (i = 0; i < N; i++) { byStart[i] = i; if (i > 0 && startArr[i] < startArr[i - 1]) sorted = false; }
  if (!sorted) byStart.sort(function (x, y) { return startArr[x] - startArr[y]; });
  var laneLists = [];
  for (a = 0; a < D.lanes; a++) laneLists.push([]);
  for (var k = 0; k < N; k++) { i = byStart[k]; var list = laneLists[O.agent[i]]; if (list) list.push(i); }
  var lanes = laneLists.map(function (l) { return Int32Array.from(l); });
  laneLists = null;

  var inFinding = new Uint8Array(N);
  var opFindings = new Map();
  D.checks.forEach(function (c, ci) {
    c.findings.forEach(function (f, fi) {
      f.ops.forEach(function (o) {
        inFinding[o] = 1;
        var l = opFindings.get(o);
        if (!l) opFindings.set(o, l = []);
        l.push([ci, fi]);
      });
    });
  });

  var latLo = Infinity, latHi = 0;
  for (i = 0; i < N; i++) {
    if (O.end[i] < 0) continue;
    var lat = O.end[i] - O.start[i];
    if (lat > 0 && lat < latLo) latLo = lat;
    if (lat > latHi) latHi = lat;
  }
  if (!(latLo < Infinity)) { latLo = 0.01; latHi = 1; }
  latLo = Math.max(latLo, 0.001);
  if (!(latHi > latLo)) latHi = latLo * 10;

  // ---------- state ----------
  var view = { t0: full0 - span0 * 0.01, t1: full1 + span0 * 0.01 };
  var selected = -1;
  var hoverOp = -1;
  var highlight = [];
  var flashLane = -1;
  var brush = null;
  var drag = null;

  function setView(t0, t1) {
    var minSpan = Math.max(span0 * 1e-6, 0.01), maxSpan = span0 * 1.5;
    var span = Math.min(Math.max(t1 - t0, minSpan), maxSpan);
    var mid = (t0 + t1) / 2;
    mid = Math.min(Math.max(mid, full0 - span0 * 0.25), full1 + span0 * 0.25);
    view.t0 = mid - span / 2;
    view.t1 = mid + span / 2;
    schedule();
  }
  function resetView() { setView(full0 - span0 * 0.01, full1 + span0 * 0.01); }
  function zoomAt(t, factor) { setView(t - (t - view.t0) * factor, t + (view.t1 - t) * factor); }

  // ---------- helpers ----------
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }
  function fmtMs(ms) {
    var m = Math.abs(ms);
    if (m >= 10000) return (ms / 1000).toFixed(1) + ' s';
    if (m >= 1000) return (ms / 1000).toFixed(2) + ' s';
    if (m >= 100) return ms.toFixed(0) + ' ms';
    if (m >= 10) return ms.toFixed(1) + ' ms';
    if (m >= 1) return ms.toFixed(2) + ' ms';
    return ms.toFixed(3) + ' ms';
  }
  // A tick label precise enough that neighbouring ticks never read the same.
  function fmtTick(t, step) {
    if (step >= 1000 || Math.abs(t) >= 1000) return (t / 1000).toFixed(Math.min(6, Math.max(0, Math.ceil(-Math.log10(step / 1000) - 1e-9)))) + ' s';
    return t.toFixed(Math.min(4, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)))) + ' ms';
  }
  function niceStep(raw) {
    var p = Math.pow(10, Math.floor(Math.log10(raw)));
    var m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }
  function opName(i) { return 'a' + O.agent[i] + ' seq ' + O.seq[i]; }
  function pretty(text) {
    if (!text) return '';
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
  }
  // First position in idx (op indices sorted by start) whose op starts at or after t.
  function lowerBound(idx, t) {
    var lo = 0, hi = idx.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (startArr[idx[mid]] < t) lo = mid + 1; else hi = mid; }
    return lo;
  }

  // ---------- canvases ----------
  function Chart(id) {
    var el = document.getElementById(id);
    return { id: id, el: el, ctx: el.getContext('2d'), w: 0, h: 0 };
  }
  var TL = Chart('timeline'), LAT = Chart('latency-chart'), TP = Chart('throughput-chart');
  var laneH = 20, barH = 14, barPad = 3;

  function size(ch, h) {
    var dpr = window.devicePixelRatio || 1;
    var w = Math.max(320, ch.el.parentElement.clientWidth);
    ch.w = w; ch.h = h;
    ch.el.width = Math.round(w * dpr);
    ch.el.height = Math.round(h * dpr);
    ch.el.style.width = w + 'px';
    ch.el.style.height = h + 'px';
    ch.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }
  function layout() {
    var lanesN = Math.max(1, D.lanes);
    laneH = Math.max(3, Math.min(22, Math.floor(640 / lanesN)));
    barPad = laneH >= 10 ? 3 : laneH >= 6 ? 1 : 0;
    barH = Math.max(2, laneH - 2 * barPad);
    size(TL, AXIS_H + lanesN * laneH + 6);
    size(LAT, 240);
    size(TP, 170);
    drawAll();
  }
  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; drawAll(); });
  }
  function plotW(ch) { return ch.w - GUTTER - RIGHT; }
  function xOf(ch, t) { return GUTTER + (t - view.t0) / (view.t1 - view.t0) * plotW(ch); }
  function tOf(ch, x) { return view.t0 + (x - GUTTER) / plotW(ch) * (view.t1 - view.t0); }

  function drawTimeAxis(ch, top, bottom, labelY) {
    var ctx = ch.ctx;
    var step = niceStep((view.t1 - view.t0) / Math.max(2, plotW(ch) / 110));
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'alphabetic';
    for (var t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
      var x = xOf(ch, t);
      ctx.fillStyle = '#e9ecef';
      ctx.fillRect(Math.round(x), top, 1, bottom - top);
      if (labelY !== null) { ctx.fillStyle = '#495057'; ctx.fillText(fmtTick(t, step), x, labelY); }
    }
  }
  function drawBrush(ch, top, bottom) {
    if (!brush || brush.ch !== ch) return;
    var x0 = xOf(ch, Math.min(brush.t0, brush.t1)), x1 = xOf(ch, Math.max(brush.t0, brush.t1));
    ch.ctx.fillStyle = 'rgba(112,72,232,0.15)';
    ch.ctx.fillRect(x0, top, x1 - x0, bottom - top);
    ch.ctx.strokeStyle = MARK;
    ch.ctx.strokeRect(x0 + 0.5, top + 0.5, x1 - x0, bottom - top - 1);
  }
  function drawSelectionGuides(ch, top, bottom) {
    if (selected < 0) return;
    var ctx = ch.ctx;
    ctx.save();
    ctx.setLineDash([4, 3]);
    ctx.strokeStyle = '#212529';
    ctx.lineWidth = 1;
    [startArr[selected], endArr[selected]].forEach(function (t) {
      var x = Math.round(xOf(ch, t)) + 0.5;
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, bottom); ctx.stroke();
    });
    ctx.restore();
  }
  function laneY(agent) { return AXIS_H + agent * laneH; }
  function barRect(i) {
    var x0 = xOf(TL, startArr[i]), x1 = xOf(TL, endArr[i]);
    var w = Math.max(3, x1 - x0);
    return [x0 - (w - (x1 - x0)) / 2, laneY(O.agent[i]) + barPad, w, barH];
  }

  function drawTimeline() {
    var ch = TL, ctx = ch.ctx, W = plotW(ch);
    ctx.clearRect(0, 0, ch.w, ch.h);
    var lanesN = D.lanes;
    for (a = 0; a < lanesN; a++) {
      if (a % 2 === 1) { ctx.fillStyle = '#f8f9fa'; ctx.fillRect(GUTTER, laneY(a), W, laneH); }
      if (a === flashLane) { ctx.fillStyle = 'rgba(112,72,232,0.18)'; ctx.fillRect(0, laneY(a), ch.w, laneH); }
    }
    drawTimeAxis(ch, AXIS_H, ch.h, 12);
    // Lane labels: every lane when they fit, else every k-th.
    ctx.fillStyle = '#495057';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    var fontPx = Math.min(12, Math.max(9, laneH - 4));
    ctx.font = fontPx + 'px ui-monospace, monospace';
    var every = Math.max(1, Math.ceil((fontPx + 2) / laneH));
    for (a = 0; a < lanesN; a += every) ctx.fillText('a' + a, GUTTER - 8, laneY(a) + laneH / 2);

    ctx.save();
    ctx.beginPath();
    ctx.rect(GUTTER, 0, W, ch.h);
    ctx.clip();
    var scale = W / (view.t1 - view.t0);
    var paths = { o: new Path2D(), f: new Path2D(), i: new Path2D(), p: new Path2D() };
    var marks = [], labels = [];
    var drawn = 0;
    for (a = 0; a < lanes.length; a++) {
      var idx = lanes[a], y = laneY(a) + barPad;
      var k = lowerBound(idx, view.t0);
      while (k > 0 && endArr[idx[k - 1]] >= view.t0) k--;
      var lastCol = -1e9, lastPrio = -1;
      for (; k < idx.length; k++) {
        var op = idx[k], s = startArr[op];
        if (s > view.t1) break;
        var x0 = GUTTER + (s - view.t0) * scale, w = (endArr[op] - s) * scale, oc = O.outcome[op];
        if (inFinding[op]) marks.push(op);
        if (w < 1) {
          // Many ops in one pixel column: draw the column once, in its most alarming colour.
          var col = Math.floor(x0), pr = PRIO[oc];
          if (col === lastCol && pr <= lastPrio) continue;
          if (col !== lastCol) lastPrio = -1;
          lastCol = col; lastPrio = pr;
          paths[oc].rect(col, y, 1, barH);
        } else {
          paths[oc].rect(x0, y, w > 3 ? w - 1 : w, barH);
          if (w > 44 && labels.length < 4000) labels.push(op);
          lastCol = Math.floor(x0 + w); lastPrio = PRIO[oc];
        }
        drawn++;
      }
    }
    DRAW_ORDER.forEach(function (oc) { ctx.fillStyle = COLOR[oc]; ctx.fill(paths[oc]); });
    // Zoomed in far enough, a bar has room for its op's name.
    if (barH >= 10) {
      ctx.fillStyle = '#fff';
      ctx.textAlign = 'left';
      ctx.font = Math.min(11, barH - 2) + 'px system-ui, sans-serif';
      var widths = {};
      labels.forEach(function (op) {
        var name = D.fs[O.f[op]];
        if (widths[name] === undefined) widths[name] = ctx.measureText(name).width;
        var x0 = Math.max(GUTTER, xOf(ch, startArr[op])) + 3, x1 = Math.min(GUTTER + W, xOf(ch, endArr[op])) - 3;
        if (x1 - x0 >= widths[name]) ctx.fillText(name, x0, laneY(O.agent[op]) + laneH / 2);
      });
    }
    // Ops a checker names: outlined, and a tick on the axis band so they show at any zoom.
    ctx.strokeStyle = MARK;
    ctx.fillStyle = MARK;
    ctx.lineWidth = 1.5;
    var rug = new Path2D(), outlines = new Path2D();
    marks.forEach(function (op) {
      var r = barRect(op);
      outlines.rect(r[0] - 1, r[1] - 1, r[2] + 2, r[3] + 2);
      rug.rect(Math.round(xOf(ch, startArr[op])) - 1, AXIS_H - 10, 2, 8);
    });
    ctx.stroke(outlines);
    ctx.fill(rug);
    highlight.forEach(function (op) {
      var r = barRect(op);
      ctx.lineWidth = 3; ctx.strokeStyle = MARK;
      ctx.strokeRect(r[0] - 2, r[1] - 2, r[2] + 4, r[3] + 4);
    });
    if (hoverOp >= 0) { var h = barRect(hoverOp); ctx.lineWidth = 1; ctx.strokeStyle = '#343a40'; ctx.strokeRect(h[0] - 0.5, h[1] - 0.5, h[2] + 1, h[3] + 1); }
    if (selected >= 0) { var r = barRect(selected); ctx.lineWidth = 2; ctx.strokeStyle = '#000'; ctx.strokeRect(r[0] - 1, r[1] - 1, r[2] + 2, r[3] + 2); }
    drawSelectionGuides(ch, AXIS_H, ch.h);
    drawBrush(ch, AXIS_H, ch.h);
    ctx.restore();
    TL.el.setAttribute('data-drawn', String(drawn));
    TL.el.setAttribute('data-marked', String(marks.length));
  }

  var RGB = { o: [47, 158, 68], f: [224, 49, 49], i: [245, 159, 0], p: [173, 181, 189] };
  var pointCanvas = document.createElement('canvas');
  function latY(lat) {
    var top = 12, bottom = LAT.h - 24;
    var v = Math.log(Math.max(lat, latLo)) - Math.log(latLo);
    return bottom - v / (Math.log(latHi) - Math.log(latLo)) * (bottom - top);
  }
  function drawLatency() {
    var ch = LAT, ctx = ch.ctx, top = 12, bottom = ch.h - 24;
    ctx.clearRect(0, 0, ch.w, ch.h);
    drawTimeAxis(ch, top, bottom, ch.h - 8);
    // Log axis: decades, with 2 and 5 when there are few of them.
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    var decades = Math.log10(latHi) - Math.log10(latLo);
    var mults = decades < 3 ? [1, 2, 5] : [1];
    for (var e = Math.floor(Math.log10(latLo)); e <= Math.ceil(Math.log10(latHi)); e++) {
      mults.forEach(function (m) {
        var v = m * Math.pow(10, e);
        if (v < latLo || v > latHi) return;
        var y = Math.round(latY(v)) + 0.5;
        ctx.fillStyle = '#e9ecef'; ctx.fillRect(GUTTER, y, plotW(ch), 1);
        ctx.fillStyle = '#495057'; ctx.fillText(fmtMs(v), GUTTER - 6, y);
      });
    }
    ctx.save();
    ctx.beginPath(); ctx.rect(GUTTER, 0, plotW(ch), ch.h); ctx.clip();
    // 100,000 points as Path2D rects take a tenth of a second; written straight into pixels they
    // take a few ms. Where points overlap, the more alarming outcome wins the pixel.
    var dpr = window.devicePixelRatio || 1;
    var pw = Math.round(ch.w * dpr), ph = Math.round(ch.h * dpr);
    var img = ctx.createImageData(pw, ph), px = img.data, prio = new Uint8Array(pw * ph);
    var rad = Math.max(1, Math.round(1.5 * dpr));
    var xMin = Math.ceil(GUTTER * dpr), xMax = Math.floor((ch.w - RIGHT) * dpr);
    var k0 = lowerBound(byStart, view.t0), k1 = lowerBound(byStart, view.t1 + 1e-9);
    // Rolling quantiles from a small log-scale histogram per time bucket: O(ops), no sorting,
    // and exact to within a bin (a few pixels on this chart).
    var B = Math.max(8, Math.min(60, Math.floor(plotW(ch) / 20)));
    var BINS = 96, logLo = Math.log(latLo), logSpan = Math.log(latHi) - logLo || 1;
    var hist = new Uint32Array(B * BINS), bucketN = new Uint32Array(B);
    var bw = (view.t1 - view.t0) / B;
    for (var k = k0; k < k1; k++) {
      var op = byStart[k];
      if (O.end[op] < 0) continue;
      var lat = O.end[op] - O.start[op], oc = O.outcome[op];
      var cx = Math.round(xOf(ch, startArr[op]) * dpr), cy = Math.round(latY(lat) * dpr), pr = PRIO[oc] + 1, rgb = RGB[oc];
      for (var yy = Math.max(0, cy - rad); yy < Math.min(ph, cy + rad); yy++) {
        for (var xx = Math.max(xMin, cx - rad); xx < Math.min(xMax, cx + rad); xx++) {
          var p = yy * pw + xx;
          if (prio[p] >= pr) continue;
          prio[p] = pr;
          px[p * 4] = rgb[0]; px[p * 4 + 1] = rgb[1]; px[p * 4 + 2] = rgb[2]; px[p * 4 + 3] = 255;
        }
      }
      if (oc === 'o' || oc === 'f') {
        var bk = Math.min(B - 1, Math.max(0, Math.floor((startArr[op] - view.t0) / bw)));
        var bin = Math.min(BINS - 1, Math.max(0, Math.floor((Math.log(Math.max(lat, latLo)) - logLo) / logSpan * BINS)));
        hist[bk * BINS + bin]++;
        bucketN[bk]++;
      }
    }
    pointCanvas.width = pw;
    pointCanvas.height = ph;
    pointCanvas.getContext('2d').putImageData(img, 0, 0);
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(pointCanvas, 0, 0);
    ctx.restore();
    // Rolling p50 and p95 of answered ops, per bucket of invoke time; a bucket with too few ops
    // to say anything breaks the line rather than drawing a quantile of two points.
    [[0.5, '#1c7ed6'], [0.95, '#212529']].forEach(function (q) {
      ctx.beginPath();
      var joined = false;
      for (var bi = 0; bi < B; bi++) {
        if (bucketN[bi] < 5) { joined = false; continue; }
        var want = Math.ceil(q[0] * bucketN[bi]), seen = 0, bin = 0;
        for (; bin < BINS; bin++) { seen += hist[bi * BINS + bin]; if (seen >= want) break; }
        var v = Math.exp(logLo + (bin + 0.5) / BINS * logSpan);
        var x = xOf(ch, view.t0 + (bi + 0.5) * bw), y = latY(v);
        if (joined) ctx.lineTo(x, y); else { ctx.moveTo(x, y); joined = true; }
      }
      ctx.strokeStyle = q[1]; ctx.lineWidth = 1.5; ctx.stroke();
    });
    if (selected >= 0 && O.end[selected] >= 0) {
      ctx.strokeStyle = '#000'; ctx.lineWidth = 2;
      ctx.strokeRect(xOf(ch, startArr[selected]) - 4, latY(O.end[selected] - O.start[selected]) - 4, 8, 8);
    }
    drawSelectionGuides(ch, top, bottom);
    drawBrush(ch, top, bottom);
    ctx.restore();
  }

  var tpBuckets = null;
  function drawThroughput() {
    var ch = TP, ctx = ch.ctx, top = 10, bottom = ch.h - 24;
    ctx.clearRect(0, 0, ch.w, ch.h);
    drawTimeAxis(ch, top, bottom, ch.h - 8);
    var B = Math.max(10, Math.min(200, Math.floor(plotW(ch) / 6)));
    var bw = (view.t1 - view.t0) / B;
    var counts = new Float64Array(B * 3);
    var slot = { o: 0, f: 2, i: 1 };
    for (var op = 0; op < N; op++) {
      if (O.end[op] < 0) continue;
      var t = O.end[op];
      if (t < view.t0 || t >= view.t1) continue;
      counts[Math.floor((t - view.t0) / bw) * 3 + slot[O.outcome[op]]]++;
    }
    var perSec = 1000 / bw, maxRate = 0;
    for (var b = 0; b < B; b++) maxRate = Math.max(maxRate, (counts[b * 3] + counts[b * 3 + 1] + counts[b * 3 + 2]) * perSec);
    if (maxRate <= 0) maxRate = 1;
    var step = niceStep(maxRate / 4), yMax = Math.ceil(maxRate / step) * step;
    function y(v) { return bottom - v / yMax * (bottom - top); }
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (var v = 0; v <= yMax + 1e-9; v += step) {
      var yy = Math.round(y(v)) + 0.5;
      ctx.fillStyle = '#e9ecef'; ctx.fillRect(GUTTER, yy, plotW(ch), 1);
      ctx.fillStyle = '#495057'; ctx.fillText(v >= 1000 ? (v / 1000).toFixed(v % 1000 ? 1 : 0) + 'k/s' : Math.round(v) + '/s', GUTTER - 6, yy);
    }
    var colors = [COLOR.o, COLOR.i, COLOR.f];
    for (b = 0; b < B; b++) {
      var x = xOf(ch, view.t0 + b * bw), w = Math.max(1, plotW(ch) / B - 1), base = 0;
      for (var s = 0; s < 3; s++) {
        var rate = counts[b * 3 + s] * perSec;
        if (rate <= 0) continue;
        ctx.fillStyle = colors[s];
        ctx.fillRect(x, y(base + rate), w, y(base) - y(base + rate));
        base += rate;
      }
    }
    tpBuckets = { counts: counts, B: B, bw: bw, perSec: perSec };
    ctx.save();
    ctx.beginPath(); ctx.rect(GUTTER, 0, plotW(ch), ch.h); ctx.clip();
    drawSelectionGuides(ch, top, bottom);
    drawBrush(ch, top, bottom);
    ctx.restore();
  }

  var rangeEl = document.getElementById('range');
  function drawAll() {
    drawTimeline();
    drawLatency();
    drawThroughput();
    rangeEl.textContent = 'showing ' + fmtMs(Math.max(view.t0, full0)) + ' to ' + fmtMs(Math.min(view.t1, full1)) + ' of ' + fmtMs(full0) + ' to ' + fmtMs(full1) + ' (ms since the run started)';
  }

  // ---------- hit testing ----------
  function hitTimeline(x, y) {
    var lane = Math.floor((y - AXIS_H) / laneH);
    if (lane < 0 || lane >= lanes.length || x < GUTTER) return -1;
    var idx = lanes[lane], t = tOf(TL, x), tol = 4 * (view.t1 - view.t0) / plotW(TL);
    var k = lowerBound(idx, t + tol), best = -1, bestD = Infinity;
    for (var j = Math.max(0, k - 4); j < Math.min(idx.length, k + 1); j++) {
      var op = idx[j], s = startArr[op], e = endArr[op];
      var d = t < s ? s - t : t > e ? t - e : 0;
      if (d <= tol && d < bestD) { best = op; bestD = d; }
    }
    return best;
  }
  function hitLatency(x, y) {
    var t0 = tOf(LAT, x - 8), t1 = tOf(LAT, x + 8);
    var k0 = lowerBound(byStart, t0), k1 = lowerBound(byStart, t1), best = -1, bestD = 49;
    for (var k = k0; k < k1; k++) {
      var op = byStart[k];
      if (O.end[op] < 0) continue;
      var dx = xOf(LAT, startArr[op]) - x, dy = latY(O.end[op] - O.start[op]) - y, d = dx * dx + dy * dy;
      if (d < bestD) { best = op; bestD = d; }
    }
    return best;
  }

  // ---------- tooltip and details ----------
  var tip = document.getElementById('tooltip');
  function opSummaryHtml(op) {
    var end = O.end[op];
    var html = '<b>' + esc(opName(op)) + '</b> ' + esc(D.fs[O.f[op]]) + ' <span class="pill ' + O.outcome[op] + '">' + WORD[O.outcome[op]] + '</span>';
    html += '<br>invoke ' + fmtMs(O.start[op]) + (end < 0 ? ', never completed' : ', done ' + fmtMs(end) + ' (' + fmtMs(end - O.start[op]) + ')');
    if (O.value[op]) html += '<br>value: <code>' + esc(O.value[op].slice(0, 160)) + '</code>';
    if (O.result[op]) html += '<br>result: <code>' + esc(O.result[op].slice(0, 160)) + '</code>';
    if (O.error[op]) html += '<br>error: <code>' + esc(O.error[op].slice(0, 160)) + '</code>';
    if (opFindings.has(op)) html += '<br><b class="mark">named by ' + esc(opFindings.get(op).map(function (p) { return D.checks[p[0]].name; }).join(', ')) + '</b>';
    return html;
  }
  function showTip(html, ev) {
    if (!html) { tip.hidden = true; return; }
    tip.innerHTML = html;
    tip.hidden = false;
    var x = ev.clientX + 14, y = ev.clientY + 14;
    var r = tip.getBoundingClientRect();
    if (x + r.width > window.innerWidth - 8) x = ev.clientX - r.width - 14;
    if (y + r.height > window.innerHeight - 8) y = ev.clientY - r.height - 14;
    tip.style.left = Math.max(4, x) + 'px';
    tip.style.top = Math.max(4, y) + 'px';
  }
  var details = document.getElementById('details');
  function select(op) {
    selected = op;
    renderDetails();
    schedule();
  }
  function renderDetails() {
    var op = selected;
    if (op < 0) {
      details.innerHTML = '<p class="muted">Hover over an op for its summary; click it for the details here. Wheel to zoom, drag to pan, shift-drag (or drag on a chart) to zoom to a range.</p>';
      return;
    }
    var end = O.end[op];
    var html = '<h3>' + esc(opName(op)) + ' <span class="pill ' + O.outcome[op] + '">' + WORD[O.outcome[op]] + '</span></h3><dl>';
    function row(k, v) { html += '<dt>' + esc(k) + '</dt><dd>' + esc(v) + '</dd>'; }
    row('op', D.fs[O.f[op]]);
    row('agent', 'a' + O.agent[op]);
    row('invoked', fmtMs(O.start[op]));
    row('completed', end < 0 ? 'never (pending)' : fmtMs(end));
    if (end >= 0) row('latency', fmtMs(end - O.start[op]));
    html += '</dl>';
    html += '<h4>value</h4><pre>' + esc(pretty(O.value[op]) || 'null') + '</pre>';
    if (O.result[op]) html += '<h4>result</h4><pre>' + esc(pretty(O.result[op])) + '</pre>';
    if (O.error[op]) html += '<h4>error</h4><pre>' + esc(O.error[op]) + '</pre>';
    var named = opFindings.get(op);
    if (named) {
      html += '<h4>named by</h4><ul>';
      named.forEach(function (p) {
        html += '<li><a href="#timeline" class="finding" data-check="' + p[0] + '" data-finding="' + p[1] + '">' + esc(D.checks[p[0]].name + ': ' + D.checks[p[0]].findings[p[1]].label) + '</a></li>';
      });
      html += '</ul>';
    }
    html += '<p class="nav"><button type="button" data-step="-1">previous op of a' + O.agent[op] + '</button> <button type="button" data-step="1">next op of a' + O.agent[op] + '</button></p>';
    details.innerHTML = html;
  }
  details.addEventListener('click', function (ev) {
    var b = ev.target.closest('button[data-step]');
    if (!b || selected < 0) return;
    var idx = lanes[O.agent[selected]], pos = Array.prototype.indexOf.call(idx, selected) + Number(b.getAttribute('data-step'));
    if (pos < 0 || pos >= idx.length) return;
    var op = idx[pos], span = view.t1 - view.t0;
    if (startArr[op] < view.t0 || endArr[op] > view.t1) setView(startArr[op] - span / 2, startArr[op] + span / 2);
    select(op);
  });

  // ---------- findings ----------
  function focusFinding(ci, fi, link) {
    var f = D.checks[ci] && D.checks[ci].findings[fi];
    if (!f) return;
    document.querySelectorAll('a.finding.active').forEach(function (el) { el.classList.remove('active'); });
    if (link) link.classList.add('active');
    highlight = f.ops.slice();
    flashLane = f.agent === undefined ? -1 : f.agent;
    if (f.ops.length > 0) {
      var t0 = Infinity, t1 = -Infinity;
      f.ops.forEach(function (op) { t0 = Math.min(t0, startArr[op]); t1 = Math.max(t1, endArr[op]); });
      // Enough of the run around it to see what else was going on at the time.
      var w = Math.max(t1 - t0, span0 * 0.08);
      setView(t0 - w * 0.5, t1 + w * 0.5);
      select(f.ops[0]);
    } else {
      select(-1);
      details.innerHTML = '<p>' + esc(D.checks[ci].name + ': ' + f.label) + '</p><p class="muted">No op in the history is linked to this finding' + (f.agent === undefined ? '' : '; its agent\'s lane is highlighted') + '.</p>';
    }
    TL.el.scrollIntoView({ block: 'center' });
    schedule();
  }
  document.addEventListener('click', function (ev) {
    var link = ev.target.closest('a.finding');
    if (link) {
      ev.preventDefault();
      focusFinding(Number(link.getAttribute('data-check')), Number(link.getAttribute('data-finding')), link);
      return;
    }
    var more = ev.target.closest('button.more');
    if (more) showMore(more);
  });
  function findingItem(ci, fi) {
    var f = D.checks[ci].findings[fi];
    var li = document.createElement('li');
    li.className = 'kind-' + f.kind;
    var at = f.at === null ? '' : ' at ' + fmtMs(f.at);
    // As html.ts writes the first ones.
    var cut = f.opCount > f.ops.length ? ' (' + f.ops.length + ' of ' + f.opCount + ' ops linked)' : '';
    li.innerHTML = '<span class="kind">' + esc(f.kind) + '</span> <a href="#timeline" class="finding" data-check="' + ci + '" data-finding="' + fi + '">' + esc(f.label) + '</a><span class="muted">' + esc(at + cut) + '</span>';
    return li;
  }
  function showMore(button) {
    var ci = Number(button.getAttribute('data-check'));
    var shown = Number(button.getAttribute('data-shown'));
    var list = document.getElementById('findings-' + ci);
    var all = D.checks[ci].findings;
    var next = Math.min(all.length, shown + 200);
    for (var fi = shown; fi < next; fi++) list.appendChild(findingItem(ci, fi));
    button.setAttribute('data-shown', String(next));
    if (next >= all.length) button.remove();
    else button.textContent = 'show more (' + (all.length - next) + ' left)';
  }

  // ---------- mouse ----------
  function local(ch, ev) { var r = ch.el.getBoundingClientRect(); return { x: ev.clientX - r.left, y: ev.clientY - r.top }; }
  [TL, LAT, TP].forEach(function (ch) {
    ch.el.addEventListener('mousedown', function (ev) {
      if (ev.button !== 0) return;
      var p = local(ch, ev);
      drag = { ch: ch, x: p.x, y: p.y, moved: false, brush: ev.shiftKey || ch !== TL, t0: view.t0, t1: view.t1, ts: tOf(ch, p.x) };
      ev.preventDefault();
    });
    ch.el.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      var p = local(ch, ev);
      zoomAt(tOf(ch, p.x), Math.exp(ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015)));
    }, { passive: false });
    ch.el.addEventListener('mousemove', function (ev) {
      if (drag) return;
      var p = local(ch, ev);
      if (ch === TL) {
        var op = hitTimeline(p.x, p.y);
        if (op !== hoverOp) { hoverOp = op; schedule(); }
        showTip(op >= 0 ? opSummaryHtml(op) : '', ev);
      } else if (ch === LAT) {
        var lop = hitLatency(p.x, p.y);
        showTip(lop >= 0 ? opSummaryHtml(lop) : '', ev);
      } else if (tpBuckets && p.x >= GUTTER) {
        var b = Math.floor((tOf(ch, p.x) - view.t0) / tpBuckets.bw);
        if (b < 0 || b >= tpBuckets.B) { showTip('', ev); return; }
        var c = tpBuckets.counts, bt = view.t0 + b * tpBuckets.bw;
        showTip(fmtMs(bt) + ' to ' + fmtMs(bt + tpBuckets.bw) + '<br>' + c[b * 3] + ' ok, ' + c[b * 3 + 2] + ' fail, ' + c[b * 3 + 1] + ' info completed<br>' + Math.round((c[b * 3] + c[b * 3 + 1] + c[b * 3 + 2]) * tpBuckets.perSec) + ' ops/s', ev);
      }
    });
    ch.el.addEventListener('mouseleave', function () {
      showTip('', null);
      if (hoverOp >= 0) { hoverOp = -1; schedule(); }
    });
  });
  window.addEventListener('mousemove', function (ev) {
    if (!drag) return;
    var p = local(drag.ch, ev);
    if (Math.abs(p.x - drag.x) > 3 || Math.abs(p.y - drag.y) > 3) drag.moved = true;
    if (!drag.moved) return;
    if (drag.brush) {
      brush = { ch: drag.ch, t0: drag.ts, t1: tOf(drag.ch, p.x) };
      schedule();
    } else {
      var dt = (p.x - drag.x) / plotW(drag.ch) * (drag.t1 - drag.t0);
      setView(drag.t0 - dt, drag.t1 - dt);
    }
  });
  window.addEventListener('mouseup', function (ev) {
    if (!drag) return;
    var d = drag;
    drag = null;
    if (!d.moved) {
      var p = local(d.ch, ev);
      var op = d.ch === TL ? hitTimeline(p.x, p.y) : d.ch === LAT ? hitLatency(p.x, p.y) : -1;
      if (op >= 0 || d.ch === TL) { highlight = []; flashLane = -1; select(op); }
      return;
    }
    if (brush) {
      var b0 = Math.min(brush.t0, brush.t1), b1 = Math.max(brush.t0, brush.t1);
      brush = null;
      if (b1 > b0) setView(b0, b1); else schedule();
    }
  });
  TL.el.addEventListener('keydown', function (ev) {
    var span = view.t1 - view.t0, mid = (view.t0 + view.t1) / 2;
    if (ev.key === '+' || ev.key === '=') zoomAt(mid, 0.5);
    else if (ev.key === '-') zoomAt(mid, 2);
    else if (ev.key === '0') resetView();
    else if (ev.key === 'ArrowLeft') setView(view.t0 - span * 0.2, view.t1 - span * 0.2);
    else if (ev.key === 'ArrowRight') setView(view.t0 + span * 0.2, view.t1 + span * 0.2);
    else return;
    ev.preventDefault();
  });
  document.getElementById('zoom-in').addEventListener('click', function () { zoomAt((view.t0 + view.t1) / 2, 0.5); });
  document.getElementById('zoom-out').addEventListener('click', function () { zoomAt((view.t0 + view.t1) / 2, 2); });
  // The whole run, keeping the selection and the highlighted finding: where it sits in the run.
  document.getElementById('zoom-reset').addEventListener('click', function () { resetView(); });
  var resizeTimer = 0;
  window.addEventListener('resize', function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(layout, 100); });

  renderDetails();
  var indexedAt = performance.now();
  layout();
  var drawnAt = performance.now();
  // Read by the tests (and handy in devtools): where the first render's time went.
  document.documentElement.setAttribute('data-timing', 'parse ' + (parsedAt - started).toFixed(0) + ' ms, index ' + (indexedAt - parsedAt).toFixed(0) + ' ms, draw ' + (drawnAt - indexedAt).toFixed(0) + ' ms');
  document.documentElement.setAttribute('data-render-ms', (drawnAt - started).toFixed(1));
  document.documentElement.setAttribute('data-ready', '1');
})();
`;
