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
})();
