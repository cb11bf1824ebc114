// --format json: the report object of DESIGN.md, as is (schemas/report.schema.json).
import type { Reporter } from './types.js';

export const jsonReporter: Reporter = (report) => `${JSON.stringify(report, null, 2)}\n`;
