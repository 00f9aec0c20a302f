// Parse Mermaid timeline diagrams with Mermaid itself and print what it read.
//
// stdin: a JSON array of diagram texts. stdout: a JSON array with, for each
// diagram, {title, sections, periods: [[section, period, [events]]]} or
// {error}. Text is as Mermaid's parser leaves it: entity codes such as #58;
// are still encoded (the test decodes them as Mermaid's renderer does).
//
// Mermaid needs a DOM to load, not to parse; jsdom provides one.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    if (diagram.type !== 'timeline') throw new Error(`not a timeline: ${diagram.type}`);
    const db = diagram.db;
    // The db's arrays are reused by the next diagram: copy what they hold now.
    results.push({
      title: db.getCommonDb().getDiagramTitle(),
      sections: [...db.getSections()],
      periods: db.getTasks().map((t) => [t.section, t.task, [...t.events]]),
    });
  } catch (error) {
    results.push({ error: String(error.message ?? error).split('\n')[0] });
  }
}
process.stdout.write(JSON.stringify(results));
