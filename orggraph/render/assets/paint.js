// The one owner of how drawn parties and links look. Two layers compose:
// - the answer to a click (explore.js): per drawn node a state (failed, impacted, degraded,
//   dimmed: not involved) and a border, per link a colour and width;
// - find's dimming (find.js): the drawn nodes that match no search or filter.
// The answer sets a node's fill and border; a node that does not match is drawn faded: its fill,
// the answer's or its own, mixed three parts in four with white, with a grey label. So a search
// or filter never repaints the answer, and clearing either layer shows the other unchanged.
// Repainting writes the drawn items' parsed options and asks for one redraw: a DataSet update
// re-parses every item's options (about half a second for 2,000 parties and their links). It
// relies on vis-network 9.1's Node and Edge (options.color, options.width, options.borderWidth,
// the "_requestRedraw" event), the version _visbundle pins; the browser tests read the drawn
// colours from the same place.
(function () {
  "use strict";
  var network = window.orggraphNetwork;
  var shared = window.orggraph;
  var body = network.body;
  var STATE = {
    failed: {background: "#8e0000", border: "#3e0000"},
    impacted: {background: "#ffa726", border: "#e65100"},
    degraded: {background: "#fff59d", border: "#f9a825"},
    dimmed: {background: "#eeeeee", border: "#d6d6d6"}
  };
  var DIM = {background: "#eef0f2", border: "#d5d9dc"};
  var FADED_LINK = "#e6e6e6";
  var own = {}, ownEdge = {};
  var answer = null;        // {node(id) -> look | null, edge(e, own) -> look | null}
  var dimmed = new Set();   // drawn ids that match no search or filter

  // each drawn item's own look, read once it is drawn and before anything paints it
  function remember() {
    own = {};
    ownEdge = {};
    body.data.nodes.getIds().forEach(function (id) {
      var n = body.nodes[id];
      if (n) { own[id] = {color: n.options.color, borderWidth: n.options.borderWidth}; }
    });
    body.data.edges.getIds().forEach(function (id) {
      var e = body.edges[id];
      if (e) { ownEdge[id] = {color: e.options.color, width: e.options.width}; }
    });
  }

  // a colour mixed with white (3 parts in 4); one the page cannot read fades to grey
  function fade(colour, fallback) {
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(colour || ""));
    if (!m) { return fallback; }
    var h = m[1].length === 3 ? m[1].replace(/(.)/g, "$1$1") : m[1];
    var out = "#";
    for (var i = 0; i < 6; i += 2) {
      var c = Math.round((parseInt(h.slice(i, i + 2), 16) + 3 * 255) / 4);
      out += (c < 16 ? "0" : "") + c.toString(16);
    }
    return out;
  }

  function apply() {
    var lookOf = answer ? answer.node : function () { return null; };
    Object.keys(own).forEach(function (id) {
      var node = body.nodes[id], o = own[id];
      if (!node) { return; }
      var l = lookOf(id), out = dimmed.has(id);
      if (!l && !out) {
        node.options.color = o.color;
        node.options.borderWidth = o.borderWidth;
        return;
      }
      l = l || {};
      var base = l.state && STATE[l.state] ? STATE[l.state]
        : {background: o.color.background, border: o.color.border};
      var fill = base.background, border = l.border || base.border;
      if (out) {
        fill = answer ? fade(fill, DIM.background) : DIM.background;
        border = answer ? fade(border, DIM.border) : DIM.border;
      }
      var edge = out ? "#90a4ae" : "#000000";
      node.options.color = {background: fill, border: border,
        highlight: {background: fill, border: edge}, hover: {background: fill, border: edge}};
      node.options.borderWidth = l.borderWidth || o.borderWidth;
    });
    Object.keys(ownEdge).forEach(function (id) {
      var edge = body.edges[id], o = ownEdge[id];
      if (!edge) { return; }
      var l = answer ? answer.edge({id: id, from: edge.fromId, to: edge.toId}, o) : null;
      var out = dimmed.has(edge.fromId) || dimmed.has(edge.toId);
      if (!l && !out) {
        edge.options.color = o.color;
        edge.options.width = o.width;
        return;
      }
      var colour = out ? FADED_LINK : (l && l.colour) || o.color.color;
      edge.options.color = Object.assign({}, o.color, {color: colour});
      edge.options.width = (l && !out && l.width) || o.width;
    });
    // one redraw on the next frame, shared with the selection's own
    body.emitter.emit("_requestRedraw");
  }

  shared.paint = {
    STATE: STATE,
    DIM: DIM,
    // the answer's look (null: none), kept until replaced
    answer: function (look) { answer = look; apply(); },
    // the drawn ids that match nothing searched or filtered (an empty set: no dimming)
    dim: function (ids) { dimmed = ids; apply(); },
    // a node drawn faded or not involved: its label is drawn grey
    faded: function (id) {
      if (dimmed.has(id)) { return true; }
      var l = answer ? answer.node(id) : null;
      return Boolean(l && l.state === "dimmed");
    },
    apply: apply
  };
  remember();
  // a drawing that changes in place (the overview) is new nodes: read their looks again (this
  // listener runs first); find and explore then map their layers onto it and repaint
  shared.on("drawn", remember);
})();
