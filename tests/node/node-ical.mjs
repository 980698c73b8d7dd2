// Reads an iCalendar file with node-ical (the parser of many Node calendar tools) and prints
// one JSON object per line for each VEVENT: its UID, status, whether its start is a date, and
// its start and end as UTC (ISO 8601), as a Node program would use them.
import { readFileSync } from "node:fs";
import ical from "node-ical";

const data = ical.sync.parseICS(readFileSync(process.argv[2], "utf8"));
for (const item of Object.values(data)) {
  if (item.type !== "VEVENT") continue;
  console.log(
    JSON.stringify({
      uid: item.uid,
      status: item.status ?? null,
      dateOnly: Boolean(item.start?.dateOnly),
      start: item.start ? item.start.toISOString() : null,
      end: item.end ? item.end.toISOString() : null,
      summary: item.summary ?? null,
    }),
  );
}
