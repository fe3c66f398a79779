// Reads iCalendar files with Mozilla's ical.js and prints, as JSON, what it makes of each VEVENT.
//
//   node tests/js/read_ics.mjs a.ics b.ics ...
//
// prints {"a.ics": {"events": {"<UID>": {...}}, "error": null}, ...}, where each event has
// "start" and "end" as UTC instants (ISO 8601, "Z"), the TZID each was written with and whether
// ical.js found a VTIMEZONE for it ("zone": the zone it used, "floating" when none), its summary,
// status, sequence and categories. Only the VTIMEZONEs inside each file are used: nothing is
// registered with ical.js's global TimezoneService, so one file can never borrow another's zones.
// tests/ical_clients.py runs this script; see there.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function moment(time) {
  if (!time) return null;
  return time.toJSDate().toISOString().replace(".000Z", "Z");
}

function describe(time, property) {
  if (!time) return { at: null, tzid: null, zone: null };
  const tzid = property ? property.getParameter("tzid") || null : null;
  const zone = time.zone ? time.zone.tzid : null;
  return { at: moment(time), tzid, zone, wall: time.toString() };
}

function readFile(path) {
  const text = readFileSync(path, "utf8");
  const root = new ICAL.Component(ICAL.parse(text));
  const calendars = root.name === "vcalendar" ? [root] : root.getAllSubcomponents("vcalendar");
  const events = {};
  const duplicates = [];
  for (const calendar of calendars) {
    for (const component of calendar.getAllSubcomponents("vevent")) {
      const event = new ICAL.Event(component);
      const start = describe(event.startDate, component.getFirstProperty("dtstart"));
      const end = describe(event.endDate, component.getFirstProperty("dtend"));
      if (Object.hasOwn(events, event.uid)) duplicates.push(event.uid);
      events[event.uid] = {
        start: start.at,
        end: end.at,
        start_tzid: start.tzid,
        start_zone: start.zone,
        start_wall: start.wall,
        end_tzid: end.tzid,
        end_zone: end.zone,
        end_wall: end.wall,
        summary: event.summary,
        description: event.description,
        location: event.location,
        status: component.getFirstPropertyValue("status"),
        sequence: event.sequence,
        dtstamp: moment(component.getFirstPropertyValue("dtstamp")),
        categories: component.getAllProperties("categories").flatMap((p) => p.getValues()),
      };
    }
  }
  return {
    events,
    duplicates,
    name: calendars.length ? calendars[0].getFirstPropertyValue("x-wr-calname") : null,
    timezones: calendars.flatMap((c) => c.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid"))),
  };
}

const result = {};
for (const path of process.argv.slice(2)) {
  try {
    result[path] = { ...readFile(path), error: null };
  } catch (error) {
    result[path] = { events: {}, error: String(error && error.stack ? error.stack : error) };
  }
}
process.stdout.write(JSON.stringify(result));
