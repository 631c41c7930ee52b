// Find and filter: the search box matches every word typed against a party's id, name, owner,
// tags and attributes (node.find.fields); the filters keep parties of one kind, department, alarm
// or tag. It looks through every searchable entry (window.orggraph.searchable: the drawn parties,
// or on the overview every embedded entry, drawn or not). The matches are listed (name, id and
// what matched) with their count; Enter, the arrow keys, next and previous step through them,
// each shown and selected on the graph (on the overview, the groups around it are opened). Drawn
// nodes that stand for no match are dimmed (by paint.js, over any answer to a click) or hidden
// on request; optional dependencies can be hidden. Everything from the org file is written as
// text (textContent, option.text), never as markup.
(function () {
  "use strict";
  var network = window.orggraphNetwork;
  var data = window.orggraphData;
  var shared = window.orggraph;
  var nodes = network.body.data.nodes;
  var edges = network.body.data.edges;
  var original = {}, entries = [];
  // one entry an id (the overview embeds a group and its own work under the same id)
  shared.searchable.forEach(function (n) {
    if (n.find && !original[n.id]) { original[n.id] = n; entries.push(n); }
  });
  var $ = function (id) { return document.getElementById(id); };
  var query = $("orggraph-query");
  var list = $("orggraph-results");
  var count = $("orggraph-count");
  var choices = data.meta.find;
  var LIST_LIMIT = 200;
  var state = {matches: [], active: -1};
  var hiddenNow = new Set();
  window.orggraphFind = state;

  function option(select, value, words) {
    var o = document.createElement("option");
    o.value = value;
    o.text = words;
    select.appendChild(o);
  }
  var kind = $("orggraph-filter-kind");
  choices.parties.forEach(function (p) { option(kind, "party:" + p, p); });
  choices.kinds.forEach(function (k) { option(kind, "kind:" + k, "unit: " + k); });
  var dept = $("orggraph-filter-dept");
  choices.departments.forEach(function (d) { option(dept, d[0], d[1] + " (" + d[0] + ")"); });
  var flag = $("orggraph-filter-flag");
  choices.flags.forEach(function (f) { option(flag, f[0], f[1]); });
  var tag = $("orggraph-filter-tag");
  choices.tags.forEach(function (t) { option(tag, t, t); });
  var hideRest = $("orggraph-hide-rest");
  var hideOptional = $("orggraph-hide-optional");

  function words() {
    return query.value.toLowerCase().split(/\s+/).filter(Boolean);
  }

  // the first field that holds a word, for the result list ("owner: aoife.byrne")
  function matchOf(find, ws) {
    if (!ws.length) { return null; }
    var hit = null;
    for (var w = 0; w < ws.length; w++) {
      var found = null;
      for (var i = 0; i < find.fields.length; i++) {
        if (find.fields[i][1].toLowerCase().indexOf(ws[w]) >= 0) { found = find.fields[i]; break; }
      }
      if (!found) { return false; }
      if (!hit || (hit[0] === "id" || hit[0] === "name")) { hit = found; }
    }
    return hit;
  }

  function passes(find) {
    var k = kind.value;
    if (k && (k.indexOf("party:") === 0 ? find.party !== k.slice(6) : find.kind !== k.slice(5))) {
      return false;
    }
    if (dept.value && find.dept !== dept.value) { return false; }
    if (flag.value && find.flags.indexOf(flag.value) < 0) { return false; }
    if (tag.value && find.tags.indexOf(tag.value) < 0) { return false; }
    return true;
  }

  function filtering() {
    return Boolean(words().length || kind.value || dept.value || flag.value || tag.value);
  }

  function apply() {
    var ws = words();
    var on = filtering();
    var matches = [];
    var why = {};
    entries.forEach(function (n) {
      if (!on) { return; }
      var hit = matchOf(n.find, ws);
      if (hit === false || !passes(n.find)) { return; }
      matches.push(n.id);
      why[n.id] = hit;
    });
    // a party whose id or name is what was typed first, then the parties that matter first,
    // as the labels are placed
    var typed = query.value.trim().toLowerCase();
    var exact = function (id) {
      return String(id).toLowerCase() === typed ||
        String(original[id].label).toLowerCase() === typed ? 0 : 1;
    };
    matches.sort(function (a, b) { return exact(a) - exact(b) || original[a].rank - original[b].rank; });
    shared.matches = matches;
    state.matches = matches;
    state.active = -1;
    restyle();
    render(why);
  }

  // the drawn nodes that stand for no match are dimmed (or hidden); on the overview a closed
  // group stands for the matches inside it
  function restyle() {
    var on = filtering(), lit = new Set(), dimmed = new Set(), changed = [];
    if (on) {
      state.matches.forEach(function (id) {
        var at = shared.drawnFor(id);
        if (at !== null) { lit.add(at); }
      });
    }
    shared.drawn.forEach(function (n) {
      var out = on && !lit.has(n.id), hide = out && hideRest.checked;
      if (out) { dimmed.add(n.id); }
      if (hide !== hiddenNow.has(n.id)) {
        changed.push({id: n.id, hidden: hide});
        if (hide) { hiddenNow.add(n.id); } else { hiddenNow.delete(n.id); }
      }
    });
    if (changed.length) { nodes.update(changed); }
    shared.dimmed = dimmed;
    shared.paint.dim(dimmed);
  }
  // a drawing changed in place is new, unhidden nodes: dim and hide them as the search says
  shared.on("drawn", function () { hiddenNow = new Set(); restyle(); });

  function render(why) {
    list.textContent = "";
    var on = filtering();
    list.hidden = !on;
    count.textContent = on ? state.matches.length + (state.matches.length === 1 ? " match" : " matches") : "";
    state.matches.slice(0, LIST_LIMIT).forEach(function (id, i) {
      var n = original[id];
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "orggraph-result-" + i;
      li.dataset.index = String(i);
      var name = document.createElement("span");
      name.className = "name";
      name.textContent = n.label + (String(n.label) === String(id) ? "" : " (" + id + ")");
      li.appendChild(name);
      var hit = why[id];
      if (hit && hit[0] !== "id" && hit[0] !== "name") {
        var what = document.createElement("span");
        what.className = "why";
        what.textContent = hit[0] + ": " + hit[1];
        li.appendChild(what);
      }
      li.tabIndex = 0;
      li.addEventListener("click", function () { go(i); });
      li.addEventListener("keydown", function (ev) {
        // a focused result: Enter (or Space) selects it, the arrows move between results
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); go(i); }
        else if (ev.key === "ArrowDown" && li.nextElementSibling) { ev.preventDefault(); li.nextElementSibling.focus(); }
        else if (ev.key === "ArrowUp") { ev.preventDefault(); (li.previousElementSibling || query).focus(); }
      });
      list.appendChild(li);
    });
    if (state.matches.length > LIST_LIMIT) {
      var more = document.createElement("li");
      more.className = "more";
      more.textContent = "… " + (state.matches.length - LIST_LIMIT) + " more: type more to narrow";
      list.appendChild(more);
    }
  }

  // show the i-th match: select it, centre it, show its details, mark it in the list
  function go(i) {
    var total = state.matches.length;
    if (!total) { return; }
    i = ((i % total) + total) % total;
    state.active = i;
    var id = state.matches[i];
    // the overview opens the groups around a match it does not draw yet (or, past its bound,
    // shows the closed group that holds it)
    var at = shared.reveal(id) || shared.drawnFor(id);
    if (at !== null) {
      network.selectNodes([at]);
      network.focus(at, {scale: Math.max(network.getScale(), 1.0), animation: false});
      network.emit("click", {nodes: [at], edges: [], event: null, pointer: null});
    }
    Array.prototype.forEach.call(list.children, function (li) {
      var on = li.dataset.index === String(i);
      li.setAttribute("aria-selected", on ? "true" : "false");
      if (on && li.scrollIntoView) { li.scrollIntoView({block: "nearest"}); }
    });
    query.setAttribute("aria-activedescendant", i < LIST_LIMIT ? "orggraph-result-" + i : "");
    count.textContent = (i + 1) + " of " + total;
  }
  state.go = go;

  $("orggraph-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    go(state.active + 1);
  });
  query.addEventListener("input", apply);
  query.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { ev.preventDefault(); go(state.active + 1); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); go(state.active - 1); }
    else if (ev.key === "Enter" && ev.shiftKey) { ev.preventDefault(); go(state.active - 1); }
  });
  $("orggraph-next").addEventListener("click", function () { go(state.active + 1); });
  $("orggraph-prev").addEventListener("click", function () { go(state.active - 1); });
  [kind, dept, flag, tag, hideRest].forEach(function (el) { el.addEventListener("change", apply); });

  // the optional edges drawn now (the overview draws its links anew as groups open and close)
  function showOptional() {
    var optional = edges.getIds({filter: function (e) { return e.optional; }});
    edges.update(optional.map(function (id) { return {id: id, hidden: hideOptional.checked}; }));
  }
  hideOptional.addEventListener("change", function () {
    showOptional();
    shared.paint.apply();
  });
  shared.on("drawn", function () {
    if (hideOptional.checked) { showOptional(); shared.paint.apply(); }
  });

  // back to the page as drawn: no search, no filter
  state.clear = function () {
    query.value = "";
    [kind, dept, flag, tag].forEach(function (el) { el.value = ""; });
    hideRest.checked = false;
    apply();
  };
})();
