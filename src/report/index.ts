// The reporter table: --format name → reporter (STYLE.md: one file per format, one entry here).
import type { Reporter } from './types.js';
import { jsonReporter } from './json.js';
import { textReporter } from './text.js';

export const reporters: ReadonlyMap<string, Reporter> = new Map<string, Reporter>([
  ['text', textReporter],
  ['json', jsonReporter],
]);

export type { Reporter, ReportContext, FailOn } from './types.js';
export { exitCodeFor, failsRun, wiresharkFilter } from './common.js';
