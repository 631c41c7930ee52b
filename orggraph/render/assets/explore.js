/* What a click answers: what fails with a party (SPEC §3 with §7's members, §9's degraded
   service) and what it needs upstream or serves downstream, computed here over the whole
   organization (window.orggraphData.explore, numbers in id order; see render/_explore.py), so
   the answers equal `orggraph impact` and the analysis whatever part of the graph is drawn.
   Names are untrusted: they reach the page only through textContent. */
(function () {
  "use strict";
  var network = window.orggraphNetwork;
  var data = window.orggraphData;
  var g = data && data.explore;
  if (!network || !g) { return; }
  var nodes = network.body.data.nodes;
  var edges = network.body.data.edges;
  var N = g.ids.length;
  var ids = g.ids;
  var index = {};
  ids.forEach(function (id, i) { index[id] = i; });
  var kind = g.party;
  var weight = new Float64Array(N).fill(1);
  g.weight.forEach(function (w) { weight[w[0]] = w[1]; });
  var parentOf = new Int32Array(N).fill(-1);
  var children = [];
  for (var i0 = 0; i0 < N; i0++) { children.push([]); }
  g.parent.forEach(function (p) { parentOf[p[0]] = p[1]; children[p[1]].push(p[0]); });
  // how many members (the whole subtree) each unit has
  var memberCount = new Int32Array(N);
  for (var v0 = 0; v0 < N; v0++) {
    for (var a0 = parentOf[v0]; a0 >= 0; a0 = parentOf[a0]) { memberCount[a0] += 1; }
  }
  // every dependency entry numbered; required out-links supplier -> [consumer, entry]
  var entryBase = new Int32Array(N + 1);
  var reqOut = [], pred = [], succ = [];
  for (var c0 = 0; c0 < N; c0++) { reqOut.push([]); pred.push([]); succ.push([]); }
  for (var c = 0; c < N; c++) {
    entryBase[c + 1] = entryBase[c] + g.deps[c].length;
    g.deps[c].forEach(function (e, k) {
      for (var j = 1; j < e.length; j++) {
        var s = e[j];
        if (e[0] === 1) { reqOut[s].push(c, k); }
        // the kind of link for drawing and listing: r required, a alternative, o optional
        var link = e[0] === 0 ? "o" : e.length > 2 ? "a" : "r";
        pred[c].push(s, link);
        succ[s].push(c, link);
      }
    });
  }
  var groupLeft = new Int32Array(entryBase[N]);
  for (var c1 = 0; c1 < N; c1++) {
    g.deps[c1].forEach(function (e, k) { groupLeft[entryBase[c1] + k] = e.length - 1; });
  }

  function subtree(v, out) {
    children[v].forEach(function (m) { out.push(m); subtree(m, out); });
    return out;
  }

  /* F of SPEC §3 from X* (X closed over members, §7), with the group rule; ``within`` (optional)
     confines the spread to the parties that can reach the one asked about. */
  function failedSet(closed, within) {
    var F = new Uint8Array(N);
    var membersLeft = memberCount.slice();
    var left = groupLeft.slice();
    var queue = [];
    function add(v) {
      if (F[v] || (within && !within[v])) { return; }
      F[v] = 1;
      queue.push(v);
      for (var a = parentOf[v]; a >= 0; a = parentOf[a]) {
        membersLeft[a] -= 1;
        if (membersLeft[a] === 0) { add(a); }
      }
    }
    closed.forEach(add);
    while (queue.length) {
      var v = queue.pop(), out = reqOut[v];
      for (var j = 0; j < out.length; j += 2) {
        var consumer = out[j], k = out[j + 1];
        if (F[consumer]) { continue; }
        if (g.deps[consumer][k].length === 2) { add(consumer); continue; }
        var slot = entryBase[consumer] + k;
        left[slot] -= 1;
        if (left[slot] === 0) { add(consumer); }
      }
    }
    return F;
  }

  /* SPEC §9: what runs degraded outside F, and who lost a backup. */
  function degradedSet(F) {
    var D = new Uint8Array(N), lost = new Uint8Array(N);
    var left = {}, out = [], queue = [];
    for (var c = 0; c < N; c++) {
      if (F[c]) { continue; }
      var seeded = false;
      g.deps[c].forEach(function (e, k) {
        var alternatives = e.slice(1), down = 0;
        alternatives.forEach(function (s) { down += F[s]; });
        if (e[0] === 0) {
          if (down === alternatives.length) { seeded = true; }
          return;
        }
        var slot = entryBase[c] + k;
        if (alternatives.length > 1) {
          if (down) { lost[c] = 1; }
          left[slot] = alternatives.length - down;
        }
        alternatives.forEach(function (s) {
          if (!F[s]) { out.push([s, c, alternatives.length > 1 ? slot : -1]); }
        });
      });
      if (seeded) { D[c] = 1; queue.push(c); }
    }
    var from = {};
    out.forEach(function (o) { (from[o[0]] = from[o[0]] || []).push(o); });
    while (queue.length) {
      var v = queue.shift();
      (from[v] || []).forEach(function (o) {
        var consumer = o[1], slot = o[2];
        if (D[consumer]) { return; }
        if (slot >= 0) {
          left[slot] -= 1;
          if (left[slot]) { return; }
        }
        D[consumer] = 1;
        queue.push(consumer);
      });
    }
    return {degraded: D, lost: lost};
  }

  /* Python's math.fsum (Shewchuk's exact partials, rounded once), so the weight is the CLI's
     to the last bit. */
  function fsum(values) {
    var partials = [];
    values.forEach(function (value) {
      var x = value, n = 0;
      for (var j = 0; j < partials.length; j++) {
        var y = partials[j];
        if (Math.abs(x) < Math.abs(y)) { var t = x; x = y; y = t; }
        var hi = x + y, lo = y - (hi - x);
        if (lo !== 0) { partials[n++] = lo; }
        x = hi;
      }
      partials.length = n;
      partials.push(x);
    });
    var m = partials.length;
    if (!m) { return 0; }
    var top = partials[--m], rest = 0;
    while (m > 0) {
      var a = top, b = partials[--m];
      top = a + b;
      rest = b - (top - a);
      if (rest !== 0) { break; }
    }
    if (m > 0 && ((rest < 0 && partials[m - 1] < 0) || (rest > 0 && partials[m - 1] > 0))) {
      var twice = rest * 2, sum = top + twice;
      if (twice === sum - top) { top = sum; }
    }
    return top;
  }

  function byId(list) { return list.sort(function (a, b) { return a - b; }); }

  /* The answer of `orggraph impact ID...` for parties numbered ``X``, in its JSON's terms. */
  function impact(X) {
    var named = byId(X.filter(function (x, j) { return X.indexOf(x) === j; }));
    var closed = {};
    named.forEach(function (x) {
      closed[x] = true;
      subtree(x, []).forEach(function (m) { closed[m] = true; });
    });
    var starts = Object.keys(closed).map(Number);
    var F = failedSet(starts);
    var rest = degradedSet(F);
    var pick = function (set, letter, skip) {
      var out = [];
      for (var v = 0; v < N; v++) {
        if (set[v] && kind[v] === letter && !(skip && skip[v])) { out.push(v); }
      }
      return out;
    };
    var customers = pick(F, "c");
    var lost = [];
    for (var v = 0; v < N; v++) { if (rest.lost[v]) { lost.push(v); } }
    return {
      failed: named,
      failed_members: byId(starts.filter(function (m) { return named.indexOf(m) < 0; })),
      impacted_units: pick(F, "u", closed),
      impacted_customers: customers,
      impact_weight: fsum(customers.map(function (x) { return weight[x]; })),
      degraded_customers: pick(rest.degraded, "c"),
      degraded_units: pick(rest.degraded, "u"),
      redundancy_lost: lost,
      set: F,
      degraded: rest.degraded,
      closed: closed
    };
  }

  /* Parties within ``depth`` links upstream (``links`` = pred) or downstream (succ) of p, with
     their distance; Infinity: no limit. */
  function reach(p, links, depth) {
    var dist = {};
    dist[p] = 0;
    var frontier = [p];
    for (var d = 1; frontier.length && d <= depth; d++) {
      var next = [];
      frontier.forEach(function (v) {
        var l = links[v];
        for (var j = 0; j < l.length; j += 2) {
          if (dist[l[j]] === undefined) { dist[l[j]] = d; next.push(l[j]); }
        }
      });
      frontier = next;
    }
    return dist;
  }

  /* The parties that can fail p: required links upward and a group's members (a group falls
     with them), from p. */
  function failureUpstream(p) {
    var mark = new Uint8Array(N), stack = [p];
    mark[p] = 1;
    while (stack.length) {
      var v = stack.pop();
      var l = pred[v];
      for (var j = 0; j < l.length; j += 2) {
        if (l[j + 1] !== "o" && !mark[l[j]]) { mark[l[j]] = 1; stack.push(l[j]); }
      }
      children[v].forEach(function (m) { if (!mark[m]) { mark[m] = 1; stack.push(m); } });
    }
    return mark;
  }

  /* p's single points of failure: every unit that is not a group, and every vendor, other than
     p, whose failure alone takes p down (the critical suppliers of §3/§7 that reach p). */
  function singlePoints(p) {
    var within = failureUpstream(p), out = [];
    for (var x = 0; x < N; x++) {
      if (!within[x] || x === p || kind[x] === "c" || memberCount[x] > 0) { continue; }
      if (failedSet([x], within)[p]) { out.push(x); }
    }
    return out;
  }

  /* p's critical chain (SPEC §3, §4), from the furthest supplier to p. */
  function criticalChain(p) {
    var parts = [];
    for (var v = p; v >= 0; v = g.chain[v][0]) { parts.push(g.chain[v].slice(1)); }
    var out = [];
    for (var j = parts.length - 1; j >= 0; j--) { out = out.concat(parts[j]); }
    return out;
  }

  function needs(p, depth) {
    var dist = reach(p, pred, depth);
    var hard = failureUpstream(p); // reached by required links (single or alternatives)
    var list = Object.keys(dist).map(Number).filter(function (v) { return v !== p; });
    return {dist: dist, list: byId(list), required: hard};
  }

  // ---------------------------------------------------------------------------------------
  // drawing: keep each drawn node's and edge's own look to restore it
  // the look of the answer is one layer of paint.js, composed there with find's dimming
  var shared = window.orggraph;
  var STATE = shared.paint.STATE;
  var CHAIN = "#ff6f00", SPOF = "#c62828";
  /* The drawn node that shows party v, or null. A drawn view numbers its nodes (g.drawn: the
     position in the page's node list); on the overview g.drawn holds the deepest embedded entry
     with the party, shown by whatever entry stands for it now (overview.js: shared.entryDrawn). */
  var drawnOf = data.overview
    ? function (v) { return g.drawn[v] >= 0 ? shared.entryDrawn(g.drawn[v]) : null; }
    : function (v) { return g.drawn[v] >= 0 ? data.nodes[g.drawn[v]].id : null; };
  var painted = null;  // redraws the answer shown (after the drawing changed in place)

  function paint(look) { shared.paint.answer(look); }
  function unpaint() {
    painted = null;
    shared.paint.answer(null);
  }

  var RANK = {dimmed: 0, lit: 1, degraded: 1, impacted: 2, failed: 3};
  function drawnStates(stateOf) {
    // a drawn node that shows several parties (a department) takes the gravest of their states
    var out = {};
    for (var v = 0; v < N; v++) {
      var id = drawnOf(v);
      if (id === null) { continue; }
      var s = stateOf(v);
      if (out[id] === undefined || RANK[s] > RANK[out[id]]) { out[id] = s; }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // the controls and the answer panel, built with DOM calls (names stay text)
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function named(v) { return g.names[v] ? g.names[v] + " (" + ids[v] + ")" : ids[v]; }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function number(x) {
    return Number.isInteger(x) ? x.toLocaleString("en") : String(Math.round(x * 100) / 100);
  }

  var stage = document.getElementById("orggraph-stage");
  var bar = el("div", {id: "orggraph-explore", role: "toolbar", "aria-label": "what a click shows"});
  var mode = el("select", {id: "orggraph-mode", "aria-label": "what a click shows"});
  [["impact", "what fails with it"], ["upstream", "what it needs (upstream)"],
    ["downstream", "who needs it (downstream)"], ["both", "upstream and downstream"],
    ["details", "its details only"]].forEach(function (o) {
    mode.appendChild(el("option", {value: o[0]}, o[1]));
  });
  var depth = el("select", {id: "orggraph-depth", "aria-label": "depth in links"});
  ["1", "2", "3", "4", "5", "6", "8", "10"].forEach(function (d) {
    depth.appendChild(el("option", {value: d}, d));
  });
  depth.appendChild(el("option", {value: "all", selected: "selected"}, "all"));
  var together = el("input", {id: "orggraph-together", type: "checkbox"});
  var clear = el("button", {id: "orggraph-clear", type: "button"}, "clear");
  var label = function (text, control) {
    var l = el("label", {}, text + " ");
    l.appendChild(control);
    return l;
  };
  bar.appendChild(label("Click a party to see", mode));
  var depthLabel = label("depth", depth);
  bar.appendChild(depthLabel);
  var togetherLabel = el("label", {title: "pick several parties: they fail at once"});
  togetherLabel.appendChild(together);
  togetherLabel.appendChild(document.createTextNode(" fail together"));
  bar.appendChild(togetherLabel);
  var scenario = null;
  if (g.scenarios.length) {
    scenario = el("select", {id: "orggraph-scenario-pick", "aria-label": "fail a scenario"});
    scenario.appendChild(el("option", {value: ""}, "none"));
    g.scenarios.forEach(function (s, j) {
      scenario.appendChild(el("option", {value: String(j)}, s.name && s.name !== s.id
        ? s.name + " (" + s.id + ")" : s.id));
    });
    bar.appendChild(label("scenario", scenario));
  }
  bar.appendChild(clear);
  var answer = el("aside", {id: "orggraph-answer", "aria-live": "polite"});
  answer.hidden = true;
  stage.appendChild(bar);
  stage.appendChild(answer);

  function syncControls() {
    var m = mode.value;
    depthLabel.hidden = !(m === "upstream" || m === "downstream" || m === "both");
    togetherLabel.hidden = m !== "impact";
  }

  function section(key, title, list, describe) {
    var s = el("section", {"data-list": key});
    s.appendChild(el("h3", {}, title + " (" + list.length + ")"));
    var ol = el("ol");
    var LIMIT = 500;
    list.slice(0, LIMIT).forEach(function (v) {
      var li = el("li", {"data-party": ids[v], tabindex: "0"}, named(v) + (describe ? describe(v) : ""));
      ol.appendChild(li);
    });
    if (list.length > LIMIT) { ol.appendChild(el("li", {}, "… " + (list.length - LIMIT) + " more")); }
    s.appendChild(ol);
    return s;
  }

  function key(items) {
    var p = el("p", {"class": "og-key"});
    items.forEach(function (it) {
      var sw = el("span", {"class": "og-sw"});
      sw.style.background = it[1];
      sw.style.borderColor = it[2] || it[1];
      p.appendChild(sw);
      p.appendChild(document.createTextNode(" " + it[0] + " "));
    });
    return p;
  }

  function showAnswer(head, summary, parts, legend) {
    answer.textContent = "";
    var close = el("button", {type: "button", "class": "og-close", "aria-label": "close"}, "×");
    close.addEventListener("click", reset);
    answer.appendChild(close);
    answer.appendChild(el("h2", {}, head));
    if (summary) { answer.appendChild(el("p", {"class": "og-sum"}, summary)); }
    if (legend) { answer.appendChild(legend); }
    parts.forEach(function (p) { if (p) { answer.appendChild(p); } });
    answer.hidden = false;
  }

  var chosen = [];   // the parties that fail (impact mode)
  var scenarioAt = -1;
  var current = null;  // what the page shows now, read by the tests

  function totalWeight() {
    var all = [];
    for (var v = 0; v < N; v++) { if (kind[v] === "c") { all.push(weight[v]); } }
    return fsum(all);
  }
  var TOTAL = totalWeight();

  function showImpact() {
    if (!chosen.length) { reset(); return; }
    var r = impact(chosen);
    var stateOf = function (v) {
      if (r.closed[v]) { return "failed"; }
      if (r.set[v]) { return "impacted"; }
      if (r.degraded[v]) { return "degraded"; }
      return "dimmed";
    };
    var states = drawnStates(stateOf);
    var failedDrawn = {};
    r.failed.forEach(function (x) { var at = drawnOf(x); if (at !== null) { failedDrawn[at] = 1; } });
    paint({
      node: function (id) {
        var s = states[id] || "dimmed";
        return {state: s, borderWidth: failedDrawn[id] ? 5 : null};
      },
      edge: function (e, own) {
        var a = states[e.from], b = states[e.to];
        if (a && a !== "dimmed" && b && b !== "dimmed") {
          return {colour: STATE[b].border, width: Math.max(2, own.width)};
        }
        return {colour: "#e6e6e6"};
      }
    });
    painted = showImpact;
    network.selectNodes(Object.keys(failedDrawn));
    var s = scenarioAt >= 0 ? g.scenarios[scenarioAt] : null;
    var head = s ? "Scenario " + (s.name && s.name !== s.id ? s.name + " (" + s.id + ")" : s.id) + ": if "
      : "If ";
    var who = r.failed.slice(0, 8).map(named).join(", ");
    if (r.failed.length > 8) { who += " and " + (r.failed.length - 8) + " more"; }
    head += who + (r.failed.length === 1 ? " fails" : " fail together");
    var share = TOTAL > 0 ? " (" + Math.round(r.impact_weight / TOTAL * 100) + "% of " + number(TOTAL) + ")" : "";
    var summary = plural(r.impacted_customers.length, "customer") + " and " +
      plural(r.impacted_units.length, "unit") + " lose service; impact weight " +
      number(r.impact_weight) + share + "; " +
      (r.degraded_customers.length + r.degraded_units.length) + " served degraded.";
    var heavy = r.impacted_customers.slice().sort(function (a, b) {
      return weight[b] - weight[a] || a - b;
    });
    showAnswer(head, summary, [
      section("impacted_customers", "Customers that lose service", heavy, function (v) {
        return " · weight " + number(weight[v]);
      }),
      section("impacted_units", "Units that lose service", r.impacted_units),
      r.failed_members.length ? section("failed_members", "Members that fail with them", r.failed_members) : null,
      section("degraded_customers", "Customers served degraded", r.degraded_customers),
      section("degraded_units", "Units served degraded", r.degraded_units),
      r.redundancy_lost.length ? section("redundancy_lost", "Still served, without their backup", r.redundancy_lost) : null
    ], key([["fails", STATE.failed.background, STATE.failed.border],
      ["loses service", STATE.impacted.background, STATE.impacted.border],
      ["degraded", STATE.degraded.background, STATE.degraded.border],
      ["not affected", STATE.dimmed.background, STATE.dimmed.border]]));
    current = {mode: "impact", parties: r.failed.map(function (v) { return ids[v]; }),
      states: states, impact: toIds(r)};
  }

  /* Python's round(x, 6), as the JSON reports figures: the nearest 6-decimal value, an exact
     tie (x * 128 odd) to the even one, where toFixed would round up. */
  function round6(x) {
    var t = x * 128;
    if (Number.isInteger(t) && Math.abs(t % 2) === 1 && Math.abs(x) < 1e9) {
      var low = (x * 2e6 - 1) / 2;
      return (low % 2 === 0 ? low : low + 1) / 1e6 + 0;
    }
    return Number(x.toFixed(6)) + 0;
  }

  function toIds(r) {
    var out = {};
    ["failed", "failed_members", "impacted_units", "impacted_customers", "degraded_customers",
      "degraded_units", "redundancy_lost"].forEach(function (k) {
      out[k] = r[k].map(function (v) { return ids[v]; });
    });
    out.impact_weight = round6(r.impact_weight);
    return out;
  }

  function showReach(p, m) {
    var d = depth.value === "all" ? Infinity : Number(depth.value);
    var up = m === "upstream" || m === "both" ? needs(p, d) : null;
    var down = m === "downstream" || m === "both" ? reach(p, succ, d) : null;
    var spof = up ? singlePoints(p) : [];
    var chain = up ? criticalChain(p) : [];
    var inChain = {}, isSpof = {}, shown = {};
    chain.forEach(function (v) { inChain[v] = 1; });
    spof.forEach(function (v) { isSpof[v] = 1; });
    var within = function (v) {
      return v === p || (up && up.dist[v] !== undefined) || (down && down[v] !== undefined);
    };
    var states = drawnStates(function (v) { return within(v) ? "lit" : "dimmed"; });
    var mark = {};
    for (var v = 0; v < N; v++) {
      var id = within(v) ? drawnOf(v) : null;
      if (id === null) { continue; }
      shown[id] = 1;
      if (isSpof[v]) { mark[id] = "spof"; } else if (inChain[v] && !mark[id]) { mark[id] = "chain"; }
    }
    var chainEdges = {};
    for (var j = 1; j < chain.length; j++) {
      var a = drawnOf(chain[j - 1]), b = drawnOf(chain[j]);
      if (a !== null && b !== null && a !== b) { chainEdges[a + "\u0000" + b] = 1; }
    }
    var pid = drawnOf(p);
    paint({
      node: function (id) {
        if (!shown[id]) { return {state: "dimmed"}; }
        if (id === pid) { return {borderWidth: 6, border: "#000000"}; }
        if (mark[id] === "spof") { return {border: SPOF, borderWidth: 5}; }
        if (mark[id] === "chain") { return {border: CHAIN, borderWidth: 4}; }
        return {};
      },
      edge: function (e) {
        if (chainEdges[e.from + "\u0000" + e.to]) { return {colour: CHAIN, width: 4}; }
        if (shown[e.from] && shown[e.to] && states[e.from] !== "dimmed") { return null; }
        return {colour: "#e6e6e6"};
      }
    });
    painted = function () { showReach(p, m); };
    network.selectNodes(pid ? [pid] : []);
    var dtext = d === Infinity ? "" : " within " + plural(d, "link");
    var parts = [];
    var summary = [];
    if (up) {
      var units = 0, vendors = 0, optionalOnly = 0;
      up.list.forEach(function (v) {
        if (kind[v] === "u") { units++; } else if (kind[v] === "v") { vendors++; }
        if (!up.required[v]) { optionalOnly++; }
      });
      summary.push("needs " + plural(units, "unit") + " and " + plural(vendors, "vendor") + " upstream" + dtext +
        (optionalOnly ? " (" + optionalOnly + " only through optional links)" : "") +
        "; " + plural(spof.length, "single point") + " of failure");
      parts.push(section("spof", "Single points of failure: each alone takes it down", spof));
      parts.push(section("chain", "Critical chain (sets its lead time), furthest supplier first", chain));
      parts.push(section("upstream", "Upstream", up.list, function (v) {
        return up.required[v] ? "" : " · optional only";
      }));
    }
    if (down) {
      var dl = byId(Object.keys(down).map(Number).filter(function (v) { return v !== p; }));
      var customers = dl.filter(function (v) { return kind[v] === "c"; });
      summary.push("serves " + plural(dl.length - customers.length, "unit") + " and " +
        plural(customers.length, "customer") + " downstream" + dtext);
      parts.push(section("downstream", "Downstream", dl));
    }
    var head = {upstream: "What " + named(p) + " needs", downstream: "Who needs " + named(p),
      both: named(p) + ": upstream and downstream"}[m];
    var legend = up ? key([["the party", "#ffffff", "#000000"], ["single point of failure", "#ffffff", SPOF],
      ["critical chain", "#ffffff", CHAIN], ["not involved", STATE.dimmed.background, STATE.dimmed.border]])
      : null;
    // the links as this view draws them: a large view draws none dashed (render/_viewdata.py)
    var lines = el("p", {"class": "og-key"}, data.meta && data.meta.solidLinks
      ? "links, all solid: slate required · teal any_of alternative · pale grey optional"
      : "links: solid required · dotted teal any_of alternative · dashed optional");
    showAnswer(head, summary.join("; ") + ".", [lines].concat(parts), legend);
    current = {mode: m, parties: [ids[p]], depth: depth.value,
      upstream: up ? up.list.map(function (v) { return ids[v]; }) : null,
      downstream: down ? Object.keys(down).map(Number).filter(function (v) { return v !== p; })
        .sort(function (a, b) { return a - b; }).map(function (v) { return ids[v]; }) : null,
      spof: spof.map(function (v) { return ids[v]; }), chain: chain.map(function (v) { return ids[v]; }),
      states: states, marks: mark};
  }

  function reset() {
    chosen = [];
    scenarioAt = -1;
    if (scenario) { scenario.value = ""; }
    unpaint();
    answer.hidden = true;
    answer.textContent = "";
    current = null;
  }

  var last = -1;
  function pick(party) {
    var p = index[party];
    if (p === undefined) { return false; }  // a node that stands for no single party
    last = p;
    var m = mode.value;
    if (m === "details") { return true; }
    if (m === "impact") {
      if (together.checked) {
        var at = chosen.indexOf(p);
        if (at >= 0) { chosen.splice(at, 1); } else { chosen.push(p); }
      } else {
        chosen = [p];
        scenarioAt = -1;
        if (scenario) { scenario.value = ""; }
      }
      showImpact();
    } else {
      showReach(p, m);
    }
    return true;
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      pick(params.nodes[params.nodes.length - 1]);
    } else if (!params.edges.length && !together.checked && scenarioAt < 0) {
      reset();
    }
  });
  mode.addEventListener("change", function () {
    syncControls();
    var m = mode.value;
    if (m === "details") { reset(); return; }
    if (m === "impact") {
      if (last >= 0 && !chosen.length) { chosen = [last]; }
      if (chosen.length) { showImpact(); }
    } else if (last >= 0) {
      showReach(last, m);
    }
  });
  depth.addEventListener("change", function () {
    if (last >= 0 && mode.value !== "impact" && mode.value !== "details") { showReach(last, mode.value); }
  });
  together.addEventListener("change", function () {
    if (!together.checked && chosen.length > 1) { chosen = chosen.slice(-1); showImpact(); }
  });
  if (scenario) {
    scenario.addEventListener("change", function () {
      if (scenario.value === "") { reset(); return; }
      scenarioAt = Number(scenario.value);
      mode.value = "impact";
      syncControls();
      together.checked = true;
      chosen = g.scenarios[scenarioAt].fail.slice();
      showImpact();
    });
  }
  clear.addEventListener("click", reset);
  // the answer's lists: a click, or Enter on a focused item, brings its party into view
  function bringIntoView(ev) {
    var li = ev.target.closest && ev.target.closest("li[data-party]");
    if (!li) { return; }
    if (ev.type === "keydown") {
      if (ev.key !== "Enter") { return; }
      ev.preventDefault();
    }
    var v = index[li.getAttribute("data-party")];
    var id = v !== undefined ? drawnOf(v) : null;
    if (id !== null) {
      network.focus(id, {scale: Math.max(network.getScale(), 1), animation: false});
    }
  }
  answer.addEventListener("click", bringIntoView);
  answer.addEventListener("keydown", bringIntoView);
  // the drawing changed in place (the overview opened or closed a group): the answer again
  shared.on("drawn", function () { if (painted) { painted(); } });
  syncControls();

  // for scripts and tests: the same answers without clicking
  window.orggraphExplore = {
    impact: function (list) {
      return toIds(impact(list.map(function (id) { return index[id]; })));
    },
    upstream: function (id, d) {
      return needs(index[id], d === undefined ? Infinity : d).list.map(function (v) { return ids[v]; });
    },
    singlePoints: function (id) { return singlePoints(index[id]).map(function (v) { return ids[v]; }); },
    chain: function (id) { return criticalChain(index[id]).map(function (v) { return ids[v]; }); },
    select: pick,
    reset: reset,
    shown: function () { return current; },
    colours: STATE
  };
})();
