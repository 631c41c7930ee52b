// The page's controls: a close button and Escape for the details panel, fit (the whole drawing
// in view) and reset (no search, filter or selection), and export of what is on screen, with the
// title and the legend, as PNG (the drawing's own pixels) or SVG (redrawn from the positions:
// vis-network draws on a canvas only). Names reach the image as text: canvas fillText, or SVG
// text nodes made with textContent and serialized by the browser, which escapes them.
(function () {
  "use strict";
  var network = window.orggraphNetwork;
  var $ = function (id) { return document.getElementById(id); };
  var details = $("orggraph-details");
  var panel = $("orggraph-panel");
  var legend = $("orggraph-legend");
  var FACE = "system-ui,-apple-system,'Segoe UI',sans-serif";
  var LEGEND_WIDTH = 280;

  // the panel (and its close button) shows whenever the page writes details into it
  function sync() { panel.hidden = details.hidden; }
  new MutationObserver(sync).observe(details, {attributes: true, attributeFilter: ["hidden"]});
  sync();

  function close() {
    details.hidden = true;
    network.unselectAll();
    network.redraw();
  }
  $("orggraph-close").addEventListener("click", close);
  // what a click answered (explore.js), if anything is shown
  function answered() {
    return Boolean(window.orggraphExplore && window.orggraphExplore.shown());
  }
  // Escape closes what is open, the latest first: the details and the click's answer, then
  // the search and filters
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") { return; }
    var results = $("orggraph-results");
    if (ev.target === $("orggraph-query") && !details.hidden) { ev.preventDefault(); }
    if (!details.hidden || network.getSelectedNodes().length || answered()) {
      if (answered()) { window.orggraphExplore.reset(); }
      close();
    } else if (!results.hidden && window.orggraphFind) { window.orggraphFind.clear(); }
  });

  function fit() { window.orggraph.fit(); }
  $("orggraph-fit").addEventListener("click", fit);
  $("orggraph-reset").addEventListener("click", function () {
    if (window.orggraphFind) { window.orggraphFind.clear(); }
    if (window.orggraphExplore) { window.orggraphExplore.reset(); }
    close();
    fit();
  });

  function title() { return document.querySelector("header h1").textContent; }
  function summary() { return document.querySelector("header p").textContent; }
  function fileName(ext) {
    var base = title().replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "orggraph";
    return base.slice(0, 80) + "." + ext;
  }

  // the legend as rows: headings, and items with their swatch's look and their words
  function legendRows() {
    var rows = [];
    legend.querySelectorAll("h3, li").forEach(function (el) {
      if (el.tagName === "H3") { rows.push({heading: el.textContent}); return; }
      var sw = el.querySelector(".sw, .ln");
      var look = null;
      if (sw) {
        var cs = getComputedStyle(sw);
        look = {
          line: sw.classList.contains("ln"),
          fill: cs.backgroundColor,
          border: cs.borderTopColor,
          borderStyle: cs.borderTopStyle,
          borderWidth: parseFloat(cs.borderTopWidth) || 0,
          round: cs.borderRadius.indexOf("50%") >= 0 || parseFloat(cs.borderRadius) >= 5,
          diamond: cs.transform && cs.transform !== "none"
        };
      }
      var count = el.querySelectorAll(".sw").length;
      rows.push({look: look, swatches: count, text: el.textContent.trim()});
    });
    return rows;
  }

  function wrap(ctx, text, width) {
    var out = [], line = "";
    text.split(/\s+/).forEach(function (w) {
      var next = line ? line + " " + w : w;
      if (line && ctx.measureText(next).width > width) { out.push(line); line = w; }
      else { line = next; }
    });
    if (line) { out.push(line); }
    return out;
  }

  function png() {
    var source = network.canvas.frame.canvas;
    var ratio = source.width / source.clientWidth || 1;
    var w = source.clientWidth, h = source.clientHeight;
    var head = 52;
    var out = document.createElement("canvas");
    var probe = out.getContext("2d");
    probe.font = "12px " + FACE;
    var rows = legendRows();
    var legendHeight = 16;
    rows.forEach(function (r) { legendHeight += r.heading ? 22 : 16 * wrap(probe, r.text, LEGEND_WIDTH - 48).length + 4; });
    var height = head + Math.max(h, legendHeight);
    out.width = Math.round((w + LEGEND_WIDTH) * ratio);
    out.height = Math.round(height * ratio);
    var ctx = out.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, w + LEGEND_WIDTH, height);
    ctx.drawImage(source, 0, head, w, h);
    ctx.fillStyle = "#212121";
    ctx.textBaseline = "top";
    ctx.font = "bold 18px " + FACE;
    ctx.fillText(title(), 12, 8);
    ctx.font = "12px " + FACE;
    ctx.fillStyle = "#555555";
    ctx.fillText(summary(), 12, 32);
    var x = w + 12, y = head + 8;
    ctx.fillStyle = "#fafafa";
    ctx.fillRect(w, head, LEGEND_WIDTH, height - head);
    ctx.strokeStyle = "#e0e0e0";
    ctx.beginPath(); ctx.moveTo(w + 0.5, head); ctx.lineTo(w + 0.5, height); ctx.stroke();
    rows.forEach(function (r) {
      if (r.heading) {
        ctx.font = "bold 12px " + FACE;
        ctx.fillStyle = "#212121";
        ctx.fillText(r.heading, x, y + 6);
        y += 22;
        return;
      }
      if (r.look) { swatch(ctx, r.look, x, y + 1); }
      ctx.font = "12px " + FACE;
      ctx.fillStyle = "#212121";
      wrap(ctx, r.text, LEGEND_WIDTH - 48).forEach(function (line) {
        ctx.fillText(line, x + 34, y);
        y += 16;
      });
      y += 4;
    });
    return out.toDataURL("image/png");
  }

  function swatch(ctx, look, x, y) {
    ctx.save();
    if (look.line) {
      ctx.strokeStyle = look.border;
      ctx.lineWidth = look.borderWidth || 3;
      if (look.borderStyle === "dashed") { ctx.setLineDash([6, 4]); }
      if (look.borderStyle === "dotted") { ctx.setLineDash([2, 3]); }
      ctx.beginPath(); ctx.moveTo(x, y + 6); ctx.lineTo(x + 26, y + 6); ctx.stroke();
    } else {
      ctx.fillStyle = look.fill;
      ctx.beginPath();
      if (look.round) { ctx.arc(x + 6, y + 6, 6, 0, 2 * Math.PI); }
      else if (look.diamond) { ctx.moveTo(x + 6, y); ctx.lineTo(x + 12, y + 6); ctx.lineTo(x + 6, y + 12); ctx.lineTo(x, y + 6); ctx.closePath(); }
      else { ctx.rect(x, y, 12, 12); }
      ctx.fill();
      if (look.borderWidth) {
        ctx.strokeStyle = look.border;
        ctx.lineWidth = look.borderWidth;
        if (look.borderStyle === "dashed") { ctx.setLineDash([3, 2]); }
        ctx.stroke();
      }
    }
    ctx.restore();
  }

  var SVG = "http://www.w3.org/2000/svg";
  function el(name, attrs, parent, text) {
    var e = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text != null) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function svg() {
    var source = network.canvas.frame.canvas;
    var w = source.clientWidth, h = source.clientHeight, head = 52;
    var rows = legendRows();
    var height = head + Math.max(h, 24 + rows.length * 20);
    var root = el("svg", {xmlns: SVG, width: w + LEGEND_WIDTH, height: height,
      viewBox: "0 0 " + (w + LEGEND_WIDTH) + " " + height, "font-family": "sans-serif"});
    el("rect", {x: 0, y: 0, width: w + LEGEND_WIDTH, height: height, fill: "#ffffff"}, root);
    el("text", {x: 12, y: 26, "font-size": 18, "font-weight": "bold", fill: "#212121"}, root, title());
    el("text", {x: 12, y: 44, "font-size": 12, fill: "#555555"}, root, summary());
    var defs = el("defs", {}, root);
    var marker = el("marker", {id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5,
      markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse"}, defs);
    el("path", {d: "M0,0 L10,5 L0,10 z", fill: "context-stroke"}, marker);
    var clip = el("clipPath", {id: "stage"}, defs);
    el("rect", {x: 0, y: head, width: w, height: h}, clip);
    var g = el("g", {"clip-path": "url(#stage)"}, root);
    var body = network.body;
    var at = function (p) { var q = network.canvasToDOM(p); return {x: q.x, y: q.y + head}; };
    var scale = network.getScale();
    Object.keys(body.edges).forEach(function (id) {
      var e = body.edges[id];
      if (!e.options.hidden && e.from && e.to && !e.from.options.hidden && !e.to.options.hidden &&
          body.edgeIndices.indexOf(id) >= 0) {
        var a = at({x: e.from.x, y: e.from.y}), b = at({x: e.to.x, y: e.to.y});
        var dash = Array.isArray(e.options.dashes) ? e.options.dashes.join(" ") : e.options.dashes ? "5 5" : "";
        var attrs = {x1: a.x.toFixed(1), y1: a.y.toFixed(1), x2: b.x.toFixed(1), y2: b.y.toFixed(1),
          stroke: e.options.color.color, "stroke-width": Math.max(0.5, e.options.width * scale).toFixed(2),
          "marker-end": "url(#arrow)"};
        if (dash) { attrs["stroke-dasharray"] = dash; }
        el("line", attrs, g);
      }
    });
    body.nodeIndices.forEach(function (id) {
      var n = body.nodes[id];
      if (n.options.hidden) { return; }
      var c = at({x: n.x, y: n.y}), r = n.options.size * scale;
      var col = n.options.color;
      var style = {fill: col.background, stroke: col.border, "stroke-width": (n.options.borderWidth * scale).toFixed(2)};
      var shape = n.options.shape, pts;
      if (shape === "square") { pts = [[-r, -r], [r, -r], [r, r], [-r, r]]; }
      else if (shape === "diamond") { pts = [[0, -r], [r, 0], [0, r], [-r, 0]]; }
      else if (shape === "hexagon") {
        pts = [0, 1, 2, 3, 4, 5].map(function (k) { var t = Math.PI / 3 * k; return [r * Math.cos(t), r * Math.sin(t)]; });
      }
      var s = pts ? el("polygon", Object.assign({points: pts.map(function (p) { return (c.x + p[0]).toFixed(1) + "," + (c.y + p[1]).toFixed(1); }).join(" ")}, style), g)
        : el("circle", Object.assign({cx: c.x.toFixed(1), cy: c.y.toFixed(1), r: r.toFixed(1)}, style), g);
      if (n.options.shapeProperties && n.options.shapeProperties.borderDashes) { s.setAttribute("stroke-dasharray", "5 3"); }
    });
    var labels = window.orggraphLabels;
    (labels ? labels.boxes() : []).forEach(function (b) {
      el("text", {x: b.x.toFixed(1), y: (b.y + head + b.h * 0.8).toFixed(1), "font-size": labels.px,
        fill: "#212121", stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke"}, g, b.text);
    });
    var lg = el("g", {transform: "translate(" + w + "," + head + ")"}, root);
    el("rect", {x: 0, y: 0, width: LEGEND_WIDTH, height: height - head, fill: "#fafafa", stroke: "#e0e0e0"}, lg);
    var y = 20;
    rows.forEach(function (r) {
      if (r.heading) { el("text", {x: 12, y: y + 6, "font-size": 12, "font-weight": "bold"}, lg, r.heading); y += 22; return; }
      if (r.look && r.look.line) {
        var la = {x1: 12, y1: y - 4, x2: 38, y2: y - 4, stroke: r.look.border, "stroke-width": r.look.borderWidth || 3};
        if (r.look.borderStyle !== "solid") { la["stroke-dasharray"] = r.look.borderStyle === "dotted" ? "2 3" : "6 4"; }
        el("line", la, lg);
      } else if (r.look) {
        var sa = {x: 12, y: y - 10, width: 12, height: 12, fill: r.look.fill, rx: r.look.round ? 6 : 2};
        if (r.look.borderWidth) { sa.stroke = r.look.border; sa["stroke-width"] = r.look.borderWidth; }
        el("rect", sa, lg);
      }
      el("text", {x: 46, y: y, "font-size": 12, fill: "#212121"}, lg, r.text);
      y += 20;
    });
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(root);
  }

  function download(name, href) {
    var a = document.createElement("a");
    a.download = name;
    a.href = href;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  $("orggraph-png").addEventListener("click", function () { download(fileName("png"), png()); });
  $("orggraph-svg").addEventListener("click", function () {
    download(fileName("svg"), "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg()));
  });
  window.orggraphExport = {png: png, svg: svg, fit: fit};
})();
