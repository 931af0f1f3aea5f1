/** Validates a value against Amplify's published amplify_outputs.json schema (v1.5, JSON Schema 2020-12). */
import Ajv2020 from "ajv/dist/2020";
import schema from "../fixtures/amplify-outputs-schema-v1.5.json";

// Strict, except strictRequired: the schema lists `required` inside `anyOf` branches (valid JSON
// Schema). `tsType` is an annotation for json-schema-to-typescript, which generates the package's types.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
ajv.addKeyword("tsType");
const validate = ajv.compile(schema);

/** Every violation as `<instance path> <message>`; empty when the value is valid. */
export function amplifySchemaErrors(value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}
