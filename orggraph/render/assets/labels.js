// Labels that stay readable: vis-network's own labels are off (see vis_options), and the page
// draws them itself after each frame at a size people can read on screen (12 to 18 px whatever the
// zoom), in the order of importance the data gives (node.rank: the focus and the chain, customers,
// critical suppliers, groups, then by impact), each where it overlaps no node and no other label
// (below its node, else above, right or left). A label with no room waits for the user to zoom
// in. The selected parties and the matches of a search come first.
(function () {
  "use strict";
  var network = window.orggraphNetwork;
  var data = window.orggraphData;
  var shared = window.orggraph = window.orggraph || {};
  var byRank = data.nodes.slice().sort(function (a, b) { return a.rank - b.rank; });
  var order = byRank.map(function (n) { return n.id; });
  var text = {};
  data.nodes.forEach(function (n) { text[n.id] = n.label == null ? String(n.id) : String(n.label); });
  var FACE = "system-ui,-apple-system,'Segoe UI',sans-serif";
  var SHELF = "no dependency in this view";
  var widths = null;  // each label's width at a 100 px font, measured once
  var state = {px: 0, scale: 0, drawn: [], total: data.nodes.length};
  window.orggraphLabels = state;

  function measure(ctx) {
    widths = {};
    ctx.save();
    ctx.font = "100px " + FACE;
    order.forEach(function (id) { widths[id] = ctx.measureText(text[id]).width; });
    widths[" shelf"] = ctx.measureText(SHELF).width;
    ctx.restore();
  }

  // a uniform grid of cells (in drawing units) holding the boxes already taken
  function Grid(cell) {
    this.cell = cell;
    this.cells = new Map();
  }
  Grid.prototype.keys = function (b, visit) {
    var c = this.cell;
    for (var i = Math.floor(b.x0 / c); i <= Math.floor(b.x1 / c); i++) {
      for (var j = Math.floor(b.y0 / c); j <= Math.floor(b.y1 / c); j++) {
        if (visit(i + ":" + j) === false) { return false; }
      }
    }
    return true;
  };
  Grid.prototype.add = function (b) {
    var cells = this.cells;
    this.keys(b, function (k) {
      var list = cells.get(k);
      if (!list) { list = []; cells.set(k, list); }
      list.push(b);
    });
  };
  Grid.prototype.free = function (b, own) {
    var cells = this.cells;
    return this.keys(b, function (k) {
      var list = cells.get(k) || [];
      for (var i = 0; i < list.length; i++) {
        var o = list[i];
        if (o.owner !== own && o.x0 < b.x1 && b.x0 < o.x1 && o.y0 < b.y1 && b.y0 < o.y1) {
          return false;
        }
      }
    });
  };

  function draw(ctx) {
    if (!widths) { measure(ctx); }
    var scale = network.getScale();
    var px = Math.min(18, Math.max(12, 16 * scale));
    var font = px / scale;  // drawing units, so the label is px pixels on screen
    var height = font * 1.25;
    var gap = 3 / scale;
    var canvas = network.canvas.frame.canvas;
    var a = network.DOMtoCanvas({x: 0, y: 0});
    var b = network.DOMtoCanvas({x: canvas.clientWidth, y: canvas.clientHeight});
    var body = network.body.nodes;
    var dimmed = shared.dimmed || new Set();
    var grid = new Grid(80 / scale);
    var seen = [];
    order.forEach(function (id) {
      var node = body[id];
      if (!node || node.options.hidden) { return; }
      var r = (node.options.size || 10) + (node.options.borderWidth || 1);
      if (node.x + r < a.x || node.x - r > b.x || node.y + r < a.y || node.y - r > b.y) { return; }
      grid.add({x0: node.x - r, x1: node.x + r, y0: node.y - r, y1: node.y + r, owner: id});
      seen.push(id);
    });
    var first = network.getSelectedNodes().concat(shared.matches || []);
    var queue = first.concat(seen);
    var placed = new Set();
    var drawn = [];
    ctx.save();
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    if (data.meta.shelf) {
      // the shelf's caption, above its row
      var top = Infinity, left = Infinity;
      data.nodes.forEach(function (n) {
        var node = body[n.id];
        if (n.shelf && node && !node.options.hidden) {
          top = Math.min(top, node.y - node.options.size);
          left = Math.min(left, node.x - node.options.size);
        }
      });
      if (top < Infinity) {
        var box = {x0: left, y0: top - height - 6 * gap, x1: left + widths[" shelf"] * font / 100,
          y1: top - 6 * gap, owner: " shelf"};
        ctx.font = "italic " + font + "px " + FACE;
        ctx.fillStyle = "#607d8b";
        ctx.fillText(SHELF, box.x0, box.y0);
        grid.add(box);
      }
    }
    var seenSet = new Set(seen);
    for (var i = 0; i < queue.length; i++) {
      var id = queue[i];
      if (placed.has(id) || !seenSet.has(id) || (dimmed.has(id) && first.indexOf(id) < 0)) {
        continue;
      }
      placed.add(id);
      var node = body[id];
      var r = (node.options.size || 10) + (node.options.borderWidth || 1);
      var w = widths[id] * font / 100;
      var spots = [
        [node.x - w / 2, node.y + r + gap],
        [node.x - w / 2, node.y - r - gap - height],
        [node.x + r + 2 * gap, node.y - height / 2],
        [node.x - r - 2 * gap - w, node.y - height / 2]
      ];
      for (var s = 0; s < spots.length; s++) {
        var box2 = {x0: spots[s][0], y0: spots[s][1], x1: spots[s][0] + w, y1: spots[s][1] + height,
          owner: id};
        if (grid.free(box2, id)) {
          var f = node.options.font || {};
          var bold = f.bold === true || (f.bold && f.bold.mod === "bold");
          ctx.font = (bold ? "bold " : "") + font + "px " + FACE;
          ctx.lineWidth = 3 / scale;
          ctx.strokeStyle = "rgba(255,255,255,0.9)";
          ctx.strokeText(text[id], box2.x0, box2.y0 + font * 0.1);
          ctx.fillStyle = dimmed.has(id) ? "#9e9e9e" : (f.color || "#212121");
          ctx.fillText(text[id], box2.x0, box2.y0 + font * 0.1);
          grid.add(box2);
          drawn.push(box2);
          break;
        }
      }
    }
    ctx.restore();
    state.px = px;
    state.scale = scale;
    state.drawn = drawn;
  }

  network.on("afterDrawing", draw);
  // the labels' boxes in page pixels (for tests and the SVG export)
  state.boxes = function () {
    return state.drawn.map(function (box) {
      var p = network.canvasToDOM({x: box.x0, y: box.y0});
      var q = network.canvasToDOM({x: box.x1, y: box.y1});
      return {id: box.owner, text: text[box.owner], x: p.x, y: p.y, w: q.x - p.x, h: q.y - p.y};
    });
  };
  state.text = text;
  network.redraw();
})();
