// Validate YAML files against a JSON Schema with ajv (draft 2020-12, formats on), reading YAML
// as YAML 1.2 (the yaml package's default, as yaml-language-server does): dates stay text.
// Usage: node validate.mjs SCHEMA.json FILE.yaml... ; prints "ok FILE" or "invalid FILE: ...".
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import YAML from "yaml";

const [schemaFile, ...files] = process.argv.slice(2);
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")));
let failed = 0;
for (const file of files) {
  const data = YAML.parse(readFileSync(file, "utf8"), { version: "1.2" });
  if (validate(data)) {
    console.log(`ok ${file}`);
  } else {
    failed += 1;
    console.log(`invalid ${file}: ${ajv.errorsText(validate.errors)}`);
  }
}
process.exit(failed ? 1 : 0);
