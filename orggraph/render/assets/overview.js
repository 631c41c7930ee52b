// The overview of a large organization (orggraph/render/_overview.py): the page embeds a tree of
// entries (departments, their members, gathered customers and vendors, blocks) and the edges
// between the deepest ones; this script draws whatever is open, rolls the edges up to it and lays
// it out as the Python side lays out a view: service flows left to right, one column per layer.
(function () {
  "use strict";
  var data = window.orggraphData;
  var ov = data && data.overview;
  var network = window.orggraphNetwork;
  if (!ov || !network) { return; }
  var nodes = network.body.data.nodes;
  var edges = network.body.data.edges;
  var N = ov.parent.length;
  var kids = [], top = [], open = new Uint8Array(N), i;
  for (i = 0; i < N; i++) { kids.push([]); }
  for (i = 0; i < N; i++) {
    if (ov.parent[i] < 0) { top.push(i); } else { kids[ov.parent[i]].push(i); }
  }
  var style = ov.style, limits = ov.limits;
  var shared = window.orggraph;
  var shown = {};  // drawn node id -> entry
  var repNow = new Int32Array(N);  // the drawn entry standing for each entry, as drawn now
  var firstOf = {};  // id -> its first entry (a group comes before its own work, same id)
  for (i = N - 1; i >= 0; i--) { firstOf[ov.nodes[i].id] = i; }
  var details = document.getElementById("orggraph-details");

  function say(text) { details.textContent = text; details.hidden = !text; }

  // a figure as people read it, as fmt_number writes it: 130, 1,200, 12.5, 0.842
  function number(x) {
    function commas(t) { return t.replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
    if (Math.round(x) === x) { return commas(String(x)); }
    if (Math.abs(x) >= 100) {
      var t = x.toFixed(1).split(".");
      return commas(t[0]) + "." + t[1];
    }
    return String(Number(x.toPrecision(3)));
  }
  function ratio(v, most) { return v > 0 && most > 0 ? Math.min(1, Math.sqrt(v / most)) : 0; }

  function visibleEntries() {
    var out = [];
    (function walk(list) {
      list.forEach(function (k) { if (open[k]) { walk(kids[k]); } else { out.push(k); } });
    })(top);
    return out;
  }

  // the drawn entry standing for each entry: itself when drawn, else its closed ancestor
  function representatives() {
    var rep = new Int32Array(N);
    for (var k = 0; k < N; k++) {  // parents come before their children
      var p = ov.parent[k];
      rep[k] = p < 0 || (open[p] && rep[p] === p) ? k : rep[p];
    }
    return rep;
  }

  function rolledEdges(rep) {
    var found = new Map(), order = [];
    ov.edges.forEach(function (e) {
      var a = rep[e[0]], b = rep[e[1]];
      if (a === b) { return; }
      var key = a * N + b, agg = found.get(key);
      if (!agg) { agg = [a, b, 0, 0, 0, 0, null]; found.set(key, agg); order.push(key); }
      for (var j = 2; j < 6; j++) { agg[j] += e[j]; }
      if (e[6] !== null) { agg[6] = (agg[6] || 0) + e[6]; }
    });
    order.sort(function (x, y) { return x - y; });
    return order.map(function (key) { return found.get(key); });
  }

  function name(k) { return ov.nodes[k].label + "  (" + ov.nodes[k].id + ")"; }

  function edgeOf(agg, most, chainPairs) {
    // optional when every dependency it stands for is: hidden with the optional ones on request
    var count = agg[2], optional = agg[4] === count, anyOf = agg[5] > 0 && agg[5] === count;
    var stroke = anyOf ? style.any_of : optional ? style.optional : style.required;
    var width = agg[6] === null ? 1 + 5 * ratio(count, most) : 1 + 7 * ratio(agg[6], style.max_volume);
    if (chainPairs.has(agg[0] * N + agg[1])) { stroke = style.chain; width += 3; }
    var parts = [agg[3] + " required", agg[4] + " optional"];
    if (agg[5]) { parts.push(agg[5] + " any_of alternatives"); }
    var lines = [
      name(agg[0]) + " \u2192 " + name(agg[1]) + "  (supplier \u2192 consumer, members rolled up)",
      number(count) + (count === 1 ? " dependency (" : " dependencies (") + parts.join(", ") + ")"
    ];
    if (agg[6] !== null) { lines.push("volume " + number(agg[6]) + style.per_period + " (summed)"); }
    return {
      id: "o" + agg[0] + "_" + agg[1], from: ov.nodes[agg[0]].id, to: ov.nodes[agg[1]].id,
      title: lines.join("\n"), width: Math.round(width * 100) / 100,
      dashes: anyOf ? [2, 5] : optional ? [8, 6] : false, optional: optional,
      color: {color: stroke, highlight: "#000000", hover: "#000000"}
    };
  }

  // the layered layout of orggraph/render/_views.py: columns from the longest-path layers of
  // the graph with each cycle collapsed, vendors first, customers last, barycentre ordering
  function layout(list, pairs) {
    var at = new Map(), n = list.length, succ = [], pred = [], j;
    list.forEach(function (k, x) { at.set(k, x); succ.push([]); pred.push([]); });
    pairs.forEach(function (e) {
      var a = at.get(e[0]), b = at.get(e[1]);
      succ[a].push(b); pred[b].push(a);
    });
    // strongly connected components (Tarjan), each one stage
    var index = new Int32Array(n).fill(-1), low = new Int32Array(n), onStack = new Uint8Array(n);
    var stack = [], comp = new Int32Array(n), ncomp = 0, counter = 0;
    function strong(v) {
      index[v] = low[v] = counter++; stack.push(v); onStack[v] = 1;
      succ[v].forEach(function (w) {
        if (index[w] < 0) { strong(w); low[v] = Math.min(low[v], low[w]); }
        else if (onStack[w]) { low[v] = Math.min(low[v], index[w]); }
      });
      if (low[v] === index[v]) {
        var w;
        do { w = stack.pop(); onStack[w] = 0; comp[w] = ncomp; } while (w !== v);
        ncomp++;
      }
    }
    for (j = 0; j < n; j++) { if (index[j] < 0) { strong(j); } }
    var side = new Int32Array(ncomp).fill(1), cs = [], cp = [], indeg = new Int32Array(ncomp);
    for (j = 0; j < ncomp; j++) { cs.push(new Set()); cp.push(new Set()); }
    var hasVendors = false;
    for (j = 0; j < n; j++) {
      var s = ov.side[list[j]];
      if (s !== 1) { side[comp[j]] = s; }
      if (s === 0) { hasVendors = true; }
      succ[j].forEach(function (w) {
        if (comp[w] !== comp[j] && !cs[comp[j]].has(comp[w])) {
          cs[comp[j]].add(comp[w]); cp[comp[w]].add(comp[j]); indeg[comp[w]]++;
        }
      });
    }
    var order = [], queue = [];
    for (j = 0; j < ncomp; j++) { if (!indeg[j]) { queue.push(j); } }
    while (queue.length) {
      var c = queue.pop();
      order.push(c);
      cs[c].forEach(function (w) { if (--indeg[w] === 0) { queue.push(w); } });
    }
    var layer = new Int32Array(ncomp), last = 0;
    order.forEach(function (c) {
      var l = side[c] === 0 || !hasVendors ? 0 : 1;
      cp[c].forEach(function (p) { l = Math.max(l, layer[p] + 1); });
      layer[c] = l;
      if (side[c] !== 2) { last = Math.max(last, l + 1); }
    });
    order.forEach(function (c) { if (side[c] === 2) { layer[c] = last; } });
    order.slice().reverse().forEach(function (c) {
      if (side[c] !== 1) { return; }
      var m = Infinity;
      cs[c].forEach(function (w) { m = Math.min(m, layer[w]); });
      if (m !== Infinity) { layer[c] = Math.max(layer[c], m - 1); }
    });
    var used = Array.from(new Set(Array.from(layer))).sort(function (x, y) { return x - y; });
    var columns = used.map(function () { return []; });
    for (j = 0; j < n; j++) { columns[used.indexOf(layer[comp[j]])].push(j); }
    function id(x) { return ov.nodes[list[x]].id; }
    function byId(x, y) { return id(x) < id(y) ? -1 : id(x) > id(y) ? 1 : 0; }
    columns.forEach(function (col) { col.sort(byId); });
    function sweep(from, to, step) {
      for (var c = from; c !== to; c += step) {
        var ref = new Map(), here = new Map(), refCol = columns[c - step], col = columns[c];
        refCol.forEach(function (x, r) { ref.set(x, r / Math.max(refCol.length - 1, 1)); });
        col.forEach(function (x, r) { here.set(x, r / Math.max(col.length - 1, 1)); });
        var key = new Map();
        col.forEach(function (x) {
          var nbrs = step > 0 ? pred[x] : succ[x], sum = 0, cnt = 0;
          nbrs.forEach(function (m) { if (ref.has(m)) { sum += ref.get(m); cnt++; } });
          var b = cnt ? sum / cnt : here.get(x);
          if (!pred[x].length && !succ[x].length) { b = 2; }
          key.set(x, Math.round(b * 1e9) / 1e9);
        });
        col.sort(function (x, y) { return key.get(x) - key.get(y) || byId(x, y); });
      }
    }
    for (var round = 0; round < 2; round++) {
      sweep(1, columns.length, 1);
      sweep(columns.length - 2, -1, -1);
    }
    // spacing as in render_html: fold tall columns, keep the drawing near a screen's shape
    var big = n > 300, fold = Math.max(12, Math.min(40, Math.round(Math.sqrt(n) * 1.5)));
    var tallest = Math.min(Math.max.apply(null, columns.map(function (c) { return c.length; }).concat([1])), fold);
    var ncols = Math.max(columns.length, 1), ygap = big ? 70 : 100;
    var xgap = Math.min(Math.max(tallest * ygap * 1.6 / ncols, 230), 360);
    if (!big) { ygap = Math.min(Math.max(xgap * ncols / (1.6 * tallest), ygap), 170); }
    var pos = new Map(), x = 0;
    columns.forEach(function (col) {
      var folds = Math.max(1, Math.ceil(col.length / fold)), height = Math.ceil(col.length / folds);
      col.forEach(function (v, r) {
        var sub = r % folds, row = Math.floor(r / folds), offset = sub % 2 ? 0.5 : 0;
        pos.set(list[v], [x + sub * 130, (row + offset - (height - 1) / 2) * ygap]);
      });
      x += xgap + (folds - 1) * 130;
    });
    return pos;
  }

  function draw(opened) {
    var list = visibleEntries(), rep = representatives(), pairs = rolledEdges(rep);
    var pos = layout(list, pairs), most = 1, chainPairs = new Set();
    pairs.forEach(function (e) { most = Math.max(most, e[2]); });
    for (var c = 1; c < ov.chain.length; c++) {
      var a = rep[ov.chain[c - 1]], b = rep[ov.chain[c]];
      if (a !== b) { chainPairs.add(a * N + b); }
    }
    shown = {};
    repNow = rep;
    var drawn = list.map(function (k) {
      shown[ov.nodes[k].id] = k;
      var node = Object.assign({}, ov.nodes[k]), xy = pos.get(k);
      node.x = Math.round(xy[0] * 10) / 10;
      node.y = Math.round(xy[1] * 10) / 10;
      return node;
    });
    edges.clear();
    nodes.clear();
    nodes.add(drawn);
    edges.add(pairs.map(function (e) { return edgeOf(e, most, chainPairs); }));
    toolbar();
    // labels, find, the answer to a click and paint.js follow the new drawing
    shared.drawn = drawn;
    shared.emit("drawn");
    document.body.setAttribute("data-overview-drawn", String(list.length));
    if (opened !== undefined) {
      var inside = [];
      list.forEach(function (k) { if (within(k, opened)) { inside.push(ov.nodes[k].id); } });
      network.fit({nodes: inside, animation: false});
      if (network.getScale() > 1.2) { network.moveTo({scale: 1.2}); }
    } else {
      network.fit({animation: false});
    }
  }

  function within(k, ancestor) {
    for (; k >= 0; k = ov.parent[k]) { if (k === ancestor) { return true; } }
    return false;
  }

  function openEntry(k) {
    if (!kids[k].length) {
      if (ov.members[k] > 0) {
        say(ov.nodes[k].title + "\n\nIts " + number(ov.members[k]) + " parties are not in this " +
          "page, which holds at most " + number(limits.nodes) + " entries and " +
          number(limits.edges) + " edges: see them with orggraph view ORG --focus " + ov.nodes[k].id);
      }
      return false;
    }
    var count = visibleEntries().length - 1 + kids[k].length;
    if (count > limits.view) {
      say("Opening " + ov.nodes[k].label + " would draw " + number(count) + " nodes, more than " +
        number(limits.view) + ": close something first (the buttons above the drawing).");
      return false;
    }
    open[k] = 1;
    draw(k);
    return true;
  }

  function closeEntry(k) {
    (function shut(x) { open[x] = 0; kids[x].forEach(shut); })(k);
    draw(k);
  }

  var bar = document.createElement("div");
  bar.id = "orggraph-overview";
  document.getElementById("orggraph-stage").appendChild(bar);
  function toolbar() {
    bar.textContent = "";
    var hint = document.createElement("span");
    hint.textContent = "Overview: click a department (hexagon) or a gathered group to open it; " +
      "double-click a member to close its group." + (data.explore ? "" : " What fails with a " +
      "party is answered on click in pages of up to " + number(limits.explore.parties) +
      " parties and " + number(limits.explore.dependencies) + " dependencies; here, run " +
      "orggraph impact ID.");
    bar.appendChild(hint);
    var openList = [];
    for (var k = 0; k < N; k++) { if (open[k]) { openList.push(k); } }
    openList.forEach(function (k) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = "\u00d7 " + ov.nodes[k].label;
      b.title = "close " + ov.nodes[k].id;
      b.setAttribute("data-entry", ov.nodes[k].id);
      b.addEventListener("click", function () { closeEntry(k); });
      bar.appendChild(b);
    });
    if (openList.length) {
      var all = document.createElement("button");
      all.type = "button";
      all.textContent = "back to the overview";
      all.addEventListener("click", function () { open.fill(0); draw(); });
      bar.appendChild(all);
    }
  }

  network.on("click", function (p) {
    // a person's click opens a group; search selecting a match (no pointer event) does not
    if (p.event && p.nodes.length === 1 && shown[p.nodes[0]] !== undefined) {
      openEntry(shown[p.nodes[0]]);
    }
  });
  network.on("doubleClick", function (p) {
    if (p.nodes.length !== 1 || shown[p.nodes[0]] === undefined) { return; }
    var up = ov.parent[shown[p.nodes[0]]];
    if (up >= 0) { closeEntry(up); }
  });

  // the drawn node standing for entry k now (itself, or the closed group holding it); null
  // when k is an open group drawn through its members
  function entryDrawn(k) {
    var id = ov.nodes[repNow[k]].id;
    return shown[id] !== undefined ? id : null;
  }
  shared.entryDrawn = entryDrawn;
  shared.drawnFor = function (id) { return firstOf[id] === undefined ? null : entryDrawn(firstOf[id]); };
  // search shows a match not drawn yet by opening the groups around it (within the page's
  // bound of drawn nodes: past it, nothing opens and the closed group stands for it)
  shared.reveal = function (id) {
    var k = firstOf[id];
    if (k === undefined) { return null; }
    if (entryDrawn(k) === id) { return id; }
    var path = [];
    for (var x = ov.parent[k]; x >= 0; x = ov.parent[x]) { if (!open[x]) { path.push(x); } }
    path.forEach(function (x) { open[x] = 1; });
    if (visibleEntries().length > limits.view) {
      path.forEach(function (x) { open[x] = 0; });
      return null;
    }
    draw(path.length ? path[0] : undefined);
    return entryDrawn(k);
  };

  window.orggraphOverview = {
    open: function (id) { return shown[id] !== undefined && openEntry(shown[id]); },
    close: function (id) {
      var k = shown[id];
      if (k === undefined || ov.parent[k] < 0) { return false; }
      closeEntry(ov.parent[k]);
      return true;
    },
    drawn: function () { return Object.keys(shown).sort(); },
    edges: function () {
      return edges.get().map(function (e) { return [e.from, e.to, e.title]; });
    }
  };
  draw();
})();
