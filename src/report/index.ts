// The reporter table: --format name → reporter (STYLE.md: one file per format, one entry here).
import type { Reporter } from './types.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { textReporter } from './text.js';

export const reporters: ReadonlyMap<string, Reporter> = new Map<string, Reporter>([
  ['text', textReporter],
  ['json', jsonReporter],
  ['junit', junitReporter],
  ['html', htmlReporter],
  ['markdown', markdownReporter],
]);

export type { Reporter, ReportContext, ReporterNeeds, FailOn } from './types.js';
export { exitCodeFor, failsRun, wiresharkFilter, escapeXml } from './common.js';
export { ReportDetails, DETAIL_DEFAULTS, type Ladder, type LadderMessage, type DetailLimits } from './details.js';
