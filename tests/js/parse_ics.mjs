// Parse an iCalendar feed from stdin with ical.js (Mozilla's parser, the one Thunderbird uses) and
// print what it understood as JSON:
//   {events: [{uid, summary, status, location, description, class, conferences: [{uri, feature, label}],
//              sequence, start, rrule, recurrenceId, exdates}],
//    timezones: [tzid, ...],
//    occurrences: [{uid, start}]}   (only with a window: node parse_ics.mjs FROM TO, ISO instants)
// Occurrences are expanded the way ical.js clients do: a master event's RRULE minus its EXDATEs,
// with the events that carry a RECURRENCE-ID replacing the instances they name. Times are UTC.
// The module is looked for in tools/icaljs/node_modules (or ICALJS_MODULE).
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const modulePath =
  process.env.ICALJS_MODULE || resolve(root, "tools/icaljs/node_modules/ical.js/dist/ical.js");
const ICAL = (await import(pathToFileURL(modulePath).href)).default;

const text = readFileSync(0, "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));

const timezones = calendar.getAllSubcomponents("vtimezone");
for (const zone of timezones) {
  ICAL.TimezoneService.register(zone);
}

const iso = (time) => time.toJSDate().toISOString();
const vevents = calendar.getAllSubcomponents("vevent");
const events = vevents.map((component) => {
  const event = new ICAL.Event(component);
  const rrule = component.getFirstPropertyValue("rrule");
  return {
    uid: event.uid,
    summary: event.summary,
    status: component.getFirstPropertyValue("status"),
    location: component.getFirstPropertyValue("location"),
    description: component.getFirstPropertyValue("description"),
    class: component.getFirstPropertyValue("class"),
    conferences: component.getAllProperties("conference").map((p) => ({
      uri: p.getFirstValue(),
      feature: p.getParameter("feature"),
      label: p.getParameter("label"),
    })),
    sequence: event.sequence,
    start: iso(event.startDate),
    rrule: rrule ? rrule.toString() : null,
    recurrenceId: event.recurrenceId ? iso(event.recurrenceId) : null,
    exdates: component.getAllProperties("exdate").flatMap((p) => p.getValues().map(iso)),
  };
});

const output = { events, timezones: timezones.map((z) => z.getFirstPropertyValue("tzid")) };

if (process.argv.length >= 4) {
  const from = new Date(process.argv[2]);
  const to = new Date(process.argv[3]);
  const byUid = new Map();
  for (const component of vevents) {
    const uid = component.getFirstPropertyValue("uid");
    if (!byUid.has(uid)) byUid.set(uid, []);
    byUid.get(uid).push(component);
  }
  const occurrences = [];
  const keep = (uid, start) => {
    const moment = start.toJSDate();
    if (moment >= from && moment < to) occurrences.push({ uid, start: moment.toISOString() });
  };
  for (const [uid, components] of byUid) {
    const masters = components.filter((c) => c.hasProperty("rrule"));
    const exceptions = components.filter((c) => c.hasProperty("recurrence-id"));
    if (masters.length === 0) {
      for (const component of components) keep(uid, new ICAL.Event(component).startDate);
      continue;
    }
    const event = new ICAL.Event(masters[0]);
    for (const exception of exceptions) event.relateException(exception);
    const iterator = event.iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      if (next.toJSDate() >= to) break;
      keep(uid, event.getOccurrenceDetails(next).startDate);
    }
  }
  output.occurrences = occurrences;
}

process.stdout.write(JSON.stringify(output));
