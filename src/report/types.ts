// Reporter contract (STYLE.md habit 7): a pure function from a report to text, chosen by name.
import type { ChalkInstance } from 'chalk';
import type { Report, Severity } from '../engine/types.js';
import type { ReportDetails } from './details.js';

export type FailOn = Severity | 'never';

export interface ReportContext {
  /** Colour decided once by the CLI; a level-0 instance means no colour. */
  chalk: ChalkInstance;
  failOn: FailOn;
  /** Collected during analyze() when the reporter's `needs` asked for it (JUnit scopes, HTML ladders). */
  details?: ReportDetails;
}

/** What a reporter needs collected during analyze() beyond the report itself. */
export interface ReporterNeeds {
  /** Scopes (connections, clients) and the rules evaluated: JUnit. */
  scopes?: boolean;
  /** Ladder diagrams: HTML. */
  ladders?: boolean;
}

export type Reporter = ((report: Report, ctx: ReportContext) => string) & { needs?: ReporterNeeds };
