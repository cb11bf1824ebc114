// Helpers shared by reporters: grouping, ordering, Wireshark display filters, severity ranks.
import type { Finding, Report, Severity } from '../engine/types.js';
import type { FailOn } from './types.js';

const RANK: Record<Severity, number> = { error: 3, warning: 2, info: 1 };

/** True when the finding makes the run fail under --fail-on (inconclusive never does). */
export function failsRun(f: Finding, failOn: FailOn): boolean {
  return failOn !== 'never' && f.verdict === 'violation' && RANK[f.severity] >= RANK[failOn];
}

/** Exit code for a report: 1 when a violation is at or above --fail-on, else 0. */
export function exitCodeFor(report: Report, failOn: FailOn): 0 | 1 {
  return report.findings.some((f) => failsRun(f, failOn)) ? 1 : 0;
}

/** Wireshark display filter that shows exactly the evidence frames. */
export function wiresharkFilter(frames: number[]): string {
  return frames.length === 1 ? `frame.number == ${frames[0]}` : `frame.number in {${frames.join(' ')}}`;
}

/** The connection or client session a finding belongs to, as a heading. */
export function scopeOf(f: Finding): string {
  if (f.connection) return `bulk connection ${f.connection}`;
  if (f.client) {
    const who = [f.client.duid ? `DUID ${f.client.duid}` : '', f.client.address ?? ''].filter(Boolean).join(' at ');
    return `client ${who}`;
  }
  return 'capture';
}

/** Groups findings per input, then per scope, keeping the report's stable order. */
export function groupFindings(report: Report): Array<{ input: number; scopes: Array<{ scope: string; findings: Finding[] }> }> {
  const out: Array<{ input: number; scopes: Array<{ scope: string; findings: Finding[] }> }> = [];
  report.inputs.forEach((_, input) => {
    const scopes = new Map<string, Finding[]>();
    for (const f of report.findings) {
      if (f.input !== input) continue;
      const key = scopeOf(f);
      let list = scopes.get(key);
      if (!list) scopes.set(key, (list = []));
      list.push(f);
    }
    out.push({ input, scopes: [...scopes].map(([scope, findings]) => ({ scope, findings })) });
  });
  return out;
}

export function formatXid(xid: number | undefined): string {
  return xid === undefined ? '' : `0x${xid.toString(16).padStart(6, '0')}`;
}
