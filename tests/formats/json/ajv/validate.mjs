// Compile a JSON Schema with Ajv (draft 2020-12) in strict mode, then
// validate JSON documents with it.
//
// Usage: node validate.mjs SCHEMA.json [DOC.json ...]
// Prints one JSON object: {compiled: true, documents: [{file, valid, errors}]}
// where errors are Ajv's "instancePath: message" lines; or, when the schema
// does not compile under strict mode, {compiled: false, error} and exit 1.

import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";

const [schemaFile, ...documents] = process.argv.slice(2);
const schema = JSON.parse(readFileSync(schemaFile, "utf8"));
const ajv = new Ajv2020({ strict: true, allErrors: true });
let validate;
try {
  validate = ajv.compile(schema);
} catch (error) {
  console.log(JSON.stringify({ compiled: false, error: error.message }));
  process.exit(1);
}
const results = documents.map((file) => {
  const valid = validate(JSON.parse(readFileSync(file, "utf8")));
  const errors = valid ? [] : validate.errors.map((e) => `${e.instancePath}: ${e.message}`);
  return { file, valid, errors };
});
console.log(JSON.stringify({ compiled: true, documents: results }));
