// Ajv validators for the shipped JSON Schemas, for tests: every report a test produces is validated.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

const root = new URL('../../', import.meta.url);

function compile(path: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true });
  ajvFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(new URL(path, root), 'utf8')) as object);
}

let report: ValidateFunction | undefined;
let decodeLine: ValidateFunction | undefined;

/** Throws with ajv's errors unless `value` is a valid check report. */
export function assertValidReport(value: unknown): void {
  report ??= compile('schemas/report.schema.json');
  if (!report(value)) throw new Error(`report does not match schemas/report.schema.json: ${JSON.stringify(report.errors)}`);
}

/** Throws with ajv's errors unless `value` is a valid decode line. */
export function assertValidDecodeLine(value: unknown): void {
  decodeLine ??= compile('schemas/decode.schema.json');
  if (!decodeLine(value)) throw new Error(`line does not match schemas/decode.schema.json: ${JSON.stringify(decodeLine.errors)}`);
}
