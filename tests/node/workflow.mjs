// Writes workflow commands with @actions/core, the Actions toolkit's own writer, for the cases
// in a JSON file ([{level, message, title, file, line}]): what regtrack's github format must
// write byte for byte (tests/formats/test_check_formats.py).
import { readFileSync } from "node:fs";
import * as core from "@actions/core";

for (const c of JSON.parse(readFileSync(process.argv[2], "utf8"))) {
  const properties = {};
  if (c.title) properties.title = c.title;
  if (c.file) properties.file = c.file;
  if (c.line) properties.startLine = Number(c.line);
  core[c.level](c.message, properties);
}
