(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("orggraph-data").textContent);
  window.orggraphData = data;
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("orggraph-view");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.orggraphNetwork = network;
  network.once("afterDrawing", function () {
    // vis-network's own first fit leaves labels at the edges cut off: fit to the drawn page
    network.fit({animation: false});
    network.moveTo({scale: network.getScale() * 0.93});
    window.orggraphReady = true;
    document.body.setAttribute("data-ready", "true");
  });
  var details = document.getElementById("orggraph-details");
  function show(text) {
    details.textContent = text || "";
    details.hidden = !text;
  }
  network.on("click", function (p) {
    if (p.nodes.length) { show(nodes.get(p.nodes[0]).title); }
    else if (p.edges.length) { show(edges.get(p.edges[0]).title); }
    else { show(""); }
  });
  document.getElementById("orggraph-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = document.getElementById("orggraph-query").value.trim().toLowerCase();
    if (!q) { return; }
    var all = nodes.get();
    var hit = all.filter(function (n) {
      return String(n.id).toLowerCase() === q || String(n.label).toLowerCase() === q;
    })[0] || all.filter(function (n) {
      return (String(n.id) + " " + String(n.label)).toLowerCase().indexOf(q) >= 0;
    })[0];
    if (hit) {
      network.selectNodes([hit.id]);
      network.focus(hit.id, {scale: 1.2});
      show(hit.title);
    } else {
      show("no party matches \u201c" + q + "\u201d");
    }
  });
})();
