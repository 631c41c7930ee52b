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
  var order = [], text = {}, planned = {};
  var FACE = "system-ui,-apple-system,'Segoe UI',sans-serif";
  var SHELF = "no dependency in this view";
  var widths = null;  // each label's width at a 100 px font, measured once a drawing
  var state = {px: 0, scale: 0, drawn: [], total: 0, text: text};
  window.orggraphLabels = state;

  // the drawn nodes by rank (the overview ranks its entries as it embeds them)
  function read() {
    var byRank = shared.drawn.slice().sort(function (a, b) { return (a.rank || 0) - (b.rank || 0); });
    order = byRank.map(function (n) { return n.id; });
    text = {};
    planned = {};
    shared.drawn.forEach(function (n) {
      text[n.id] = n.label == null ? String(n.id) : String(n.label);
      // the place Python planned for it, tried first
      if (n.labelAt) { planned[n.id] = n.labelAt; }
    });
    state.text = text;
    state.total = order.length;
    widths = null;
  }
  read();
  shared.on("drawn", read);

  // each label as one line and, when long, as two balanced lines (split at the space nearest its
  // middle), with their widths at a 100 px font (measured once, plus a margin for hinting)
  function measure(ctx) {
    widths = {};
    ctx.save();
    ctx.font = "100px " + FACE;
    var width = function (t) { return ctx.measureText(t).width * 1.04 + 20; };
    order.forEach(function (id) {
      var t = text[id], forms = [{lines: [t], widths: [width(t)]}];
      var mid = t.length / 2, cut = -1;
      for (var i = 0; i < t.length; i++) {
        if (t[i] === " " && (cut < 0 || Math.abs(i - mid) < Math.abs(cut - mid))) { cut = i; }
      }
      if (t.length > 12 && cut > 0) {
        var two = [t.slice(0, cut), t.slice(cut + 1)];
        forms.push({lines: two, widths: two.map(width)});
      }
      forms.forEach(function (f) { f.width = Math.max.apply(null, f.widths); });
      widths[id] = forms;
    });
    widths[" shelf"] = width(SHELF);
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
      shared.drawn.forEach(function (n) {
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
        ctx.textAlign = "left";
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
      var spots = [];
      // "r1", "r2": to its right on one or two lines
      var plan = planned[id] && widths[id][Math.min(+planned[id].slice(1), widths[id].length) - 1];
      if (plan) {
        var pw = plan.width * font / 100, ph = height * plan.lines.length;
        spots.push({form: plan, align: "left", x: node.x + r + 2 * gap, y: node.y - ph / 2, w: pw, h: ph});
      }
      var inside = function (box) {
        return box.x0 >= a.x && box.x1 <= b.x && box.y0 >= a.y && box.y1 <= b.y;
      };
      widths[id].forEach(function (form) {
        var w = form.width * font / 100, h = height * form.lines.length;
        spots.push({form: form, align: "center", x: node.x - w / 2, y: node.y + r + gap, w: w, h: h});
        spots.push({form: form, align: "center", x: node.x - w / 2, y: node.y - r - gap - h, w: w, h: h});
      });
      widths[id].forEach(function (form) {
        var w = form.width * font / 100, h = height * form.lines.length;
        spots.push({form: form, align: "left", x: node.x + r + 2 * gap, y: node.y - h / 2, w: w, h: h});
        spots.push({form: form, align: "right", x: node.x - r - 2 * gap - w, y: node.y - h / 2, w: w, h: h});
      });
      for (var s = 0; s < spots.length; s++) {
        var spot = spots[s];
        var box2 = {x0: spot.x, y0: spot.y, x1: spot.x + spot.w, y1: spot.y + spot.h, owner: id};
        if (inside(box2) && grid.free(box2, id)) {
          var f = node.options.font || {};
          var bold = f.bold === true || (f.bold && f.bold.mod === "bold");
          ctx.font = (bold ? "bold " : "") + font + "px " + FACE;
          ctx.lineWidth = 3 / scale;
          ctx.strokeStyle = "rgba(255,255,255,0.9)";
          ctx.fillStyle = shared.paint.faded(id) ? "#9e9e9e" : (f.color || "#212121");
          ctx.textAlign = spot.align;
          var tx = spot.align === "center" ? node.x : spot.align === "left" ? box2.x0 + 10 * font / 100 : box2.x1 - 10 * font / 100;
          spot.form.lines.forEach(function (line, k) {
            var ty = box2.y0 + font * 0.1 + k * height;
            ctx.strokeText(line, tx, ty);
            ctx.fillText(line, tx, ty);
          });
          box2.lines = spot.form.lines.length;
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
      return {id: box.owner, text: text[box.owner], lines: box.lines, x: p.x, y: p.y,
        w: q.x - p.x, h: q.y - p.y};
    });
  };
  network.redraw();
})();
