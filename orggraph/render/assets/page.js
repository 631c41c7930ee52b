// The drawing, and what the page's other scripts share (window.orggraph): which nodes are drawn
// now (the data's nodes, or what the overview has open), which entries search looks through,
// and an event when the drawn set changes, so labels, find, the answer to a click and the look
// of each node follow a drawing that changes in place.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("orggraph-data").textContent);
  window.orggraphData = data;
  var shared = window.orggraph = window.orggraph || {};
  var listeners = {};
  shared.on = function (what, fn) { (listeners[what] = listeners[what] || []).push(fn); };
  shared.emit = function (what) { (listeners[what] || []).forEach(function (fn) { fn(); }); };
  // the node data drawn now; the overview replaces it each time it opens or closes an entry
  shared.drawn = data.nodes;
  // what search looks through (the overview: every embedded entry, drawn or not)
  shared.searchable = data.overview ? data.overview.nodes : data.nodes;
  // the drawn node standing for a searchable entry (null: none); the overview maps an entry
  // inside a closed group to that group, and reveal(id) opens the groups around an entry
  shared.drawnFor = function (id) { return nodes.get(id) ? id : null; };
  shared.reveal = function (id) { return nodes.get(id) ? id : null; };
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("orggraph-view");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.orggraphNetwork = network;
  // the whole drawing in view: the extent Python planned with every label (below the click
  // toolbar, which covers the top of the drawing area), else vis-network's fit to the nodes,
  // whose first fit leaves labels at the edges cut off
  var TOOLBAR = 48;
  shared.fit = function () {
    var e = data.meta && data.meta.extent;
    var w = container.clientWidth, h = container.clientHeight - TOOLBAR;
    if (e && !shared.changed && w > 0 && h > 0) {
      var scale = Math.min(w / Math.max(e[2] - e[0], 1), h / Math.max(e[3] - e[1], 1)) * 0.98;
      network.moveTo({scale: scale, animation: false, position: {
        x: (e[0] + e[2]) / 2, y: (e[1] + e[3]) / 2 - TOOLBAR / 2 / scale}});
      return;
    }
    network.fit({animation: false});
    network.moveTo({scale: network.getScale() * 0.93});
  };
  network.once("afterDrawing", function () {
    shared.fit();
    window.orggraphReady = true;
    document.body.setAttribute("data-ready", "true");
  });
  var details = document.getElementById("orggraph-details");
  function show(text) {
    details.textContent = text || "";
    details.hidden = !text;
  }
  network.on("click", function (p) {
    var n = p.nodes.length ? nodes.get(p.nodes[0]) : null;
    var e = !n && p.edges.length ? edges.get(p.edges[0]) : null;
    show(n ? n.title : e ? e.title : "");
  });
})();
