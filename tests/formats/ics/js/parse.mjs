// Read .ics files with Mozilla's ical.js and print what it understood as JSON.
//
// Usage: node parse.mjs FILE.ics [FILE.ics ...]
// Prints one JSON array with an object per file:
//   {file, calendar: {prodid, version, name, languages}, timezones: [tzid],
//    events: [{uid, summary, start, end, startZone, endZone, isDate,
//              startUnix, endUnix, rrule, occurrences, categories, geo, location, url,
//              transp, languages}]}
// startZone/endZone is "floating", "UTC" or the TZID; startUnix is the
// instant in seconds as ical.js computes it from the file's VTIMEZONEs
// (null for floating times and dates), so the tests can compare ical.js's
// reading of our VTIMEZONEs with Python's zoneinfo. languages maps the
// properties that have a LANGUAGE parameter to it. occurrences holds the
// instants of the first 60 occurrences of a recurring zoned or UTC event.
// A file that ical.js cannot parse makes the script exit with status 1.

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function zoneOf(time) {
  if (time.isDate) return null;
  const tzid = time.zone ? time.zone.tzid : "floating";
  return tzid === "Z" ? "UTC" : tzid;
}

function instant(time) {
  if (time.isDate || zoneOf(time) === "floating") return null;
  return time.toUnixTime();
}

function occurrences(event) {
  if (!event.isRecurring() || event.startDate.isDate) return null;
  const found = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next && found.length < 60; next = iterator.next()) {
    found.push(instant(next));
  }
  return found;
}

// The LANGUAGE parameter of each property that has one (RFC 5545, 3.2.10).
function languages(component, names) {
  const found = {};
  for (const name of names) {
    const property = component.getFirstProperty(name);
    const language = property ? property.getParameter("language") : undefined;
    if (language) found[name] = language;
  }
  return found;
}

function readFile(file) {
  const text = readFileSync(file, "utf8");
  const root = new ICAL.Component(ICAL.parse(text));
  if (root.name !== "vcalendar") throw new Error(`${file}: top component is ${root.name}`);
  const timezones = [];
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    const tz = new ICAL.Timezone(vtimezone);
    ICAL.TimezoneService.register(tz.tzid, tz);
    timezones.push(tz.tzid);
  }
  const events = root.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const start = event.startDate;
    const end = vevent.hasProperty("dtend") ? event.endDate : null;
    const rrule = vevent.getFirstPropertyValue("rrule");
    const geo = vevent.getFirstPropertyValue("geo");
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: start.toString(),
      end: end ? end.toString() : null,
      startZone: zoneOf(start),
      endZone: end ? zoneOf(end) : null,
      isDate: start.isDate,
      startUnix: instant(start),
      endUnix: end ? instant(end) : null,
      rrule: rrule ? rrule.toString() : null,
      occurrences: occurrences(event),
      categories: vevent.getAllProperties("categories").flatMap((p) => p.getValues()),
      geo: geo ? geo.map(Number) : null,
      location: event.location,
      url: vevent.getFirstPropertyValue("url"),
      transp: vevent.getFirstPropertyValue("transp"),
      languages: languages(vevent, ["summary", "description", "location"]),
    };
  });
  // Unregister, so that a later file with the same TZID brings its own.
  for (const tzid of timezones) ICAL.TimezoneService.remove(tzid);
  return {
    file,
    calendar: {
      prodid: root.getFirstPropertyValue("prodid"),
      version: root.getFirstPropertyValue("version"),
      name: root.getFirstPropertyValue("x-wr-calname"),
      languages: languages(root, ["name", "x-wr-calname", "description", "x-wr-caldesc"]),
    },
    timezones,
    events,
  };
}

const results = [];
for (const file of process.argv.slice(2)) {
  try {
    results.push(readFile(file));
  } catch (error) {
    process.stderr.write(`ical.js could not read ${file}: ${error.stack || error}\n`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(results));
