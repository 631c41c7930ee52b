// Parse a Mermaid flowchart from stdin with mermaid's own parser (jsdom for its DOM needs) and
// print what it understood: the theme after directives, each vertex's label, the edge count.
// Run from a folder whose node_modules holds mermaid and jsdom (see .ci/run).
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
const { default: mermaid } = await import("mermaid");
const text = readFileSync(0, "utf8");
mermaid.initialize({ startOnLoad: false });
try {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const vertices = {};
  for (const [id, v] of diagram.db.getVertices()) vertices[id] = v.text;
  const edges = diagram.db.getEdges().map((e) => [e.start, e.end, e.text]);
  const theme = mermaid.mermaidAPI.getConfig().theme;
  console.log(JSON.stringify({ ok: true, theme, vertices, edges }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e.message || e) }));
}
