// Reads an iCalendar file with ical.js (Thunderbird's engine) and prints, for each VEVENT, its
// UID and its end as UTC (ISO 8601), one per line: the instant a calendar shows the deadline at.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(process.argv[2], "utf8");
const root = new ICAL.Component(ICAL.parse(text));
for (const zone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}
for (const item of root.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(item);
  const end = event.endDate;
  console.log(`${event.uid} ${end.toJSDate().toISOString()}`);
}
