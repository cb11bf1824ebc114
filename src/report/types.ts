// Reporter contract (STYLE.md habit 7): a pure function from a report to text, chosen by name.
import type { ChalkInstance } from 'chalk';
import type { Report, Severity } from '../engine/types.js';

export type FailOn = Severity | 'never';

export interface ReportContext {
  /** Colour decided once by the CLI; a level-0 instance means no colour. */
  chalk: ChalkInstance;
  failOn: FailOn;
}

export type Reporter = (report: Report, ctx: ReportContext) => string;
