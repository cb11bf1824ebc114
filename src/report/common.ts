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

/** The key a finding is counted under: its connection, else its client's DUID, else address ('' = capture). */
export function scopeKey(f: Finding): string {
  return f.connection ?? f.client?.duid ?? f.client?.address ?? '';
}

// XML 1.0 Char production: tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF.
const XML_ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for XML/HTML content and attribute values, dropping characters XML 1.0 forbids. */
/**
 * A capture time (seconds since the epoch) as ISO 8601 text. A pcapng interface may declare a
 * resolution that puts its timestamps beyond what a Date holds (±8.64e12 s): those are written as
 * the number of seconds.
 */
export function captureTimeText(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? `${seconds} s after the epoch` : d.toISOString();
}

export function escapeXml(text: string): string {
  return text.replace(XML_ILLEGAL, '').replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;');
}

/** Plural helper: `3 frames`, `1 frame`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** One line of frame accounting and volume figures. */
export function statsLine(s: Report['stats']): string {
  return `${plural(s.frames, 'frame')} (${s.dhcpv6Frames} DHCPv6, ${s.otherFrames} other, ${s.malformedFrames} malformed, ` +
    `${s.droppedFrames} dropped${s.duplicateFrames ? `, ${s.duplicateFrames} duplicate` : ''}) · ${plural(s.dhcpv6Messages, 'message')} · ` +
    `${plural(s.bulkConnections, 'bulk connection')}, ${plural(s.bulkQueries, 'query', 'queries')} · ` +
    `${plural(s.clientSessions, 'client session')}, ${plural(s.udpTransactions, 'UDP transaction')}`;
}

/** Where a rule is judged, for per-scope test cases: bulk connections, DHCP clients, leasequery requestors, or the whole input. */
export function ruleScopeKind(ruleId: string): 'connection' | 'client' | 'requestor' | 'input' {
  if (ruleId.startsWith('BLQ-QT-NOT-OVER-UDP')) return 'requestor';
  // Judged per relay (Relay-forwards over UDP) and per server (its connections together): one case per input.
  if (ruleId === 'BLQ-RELAYID-IN-RELAYFORW' || ruleId === 'BLQ-SRV-MAX-CONNS') return 'input';
  if (ruleId.startsWith('BLQ-')) return 'connection';
  if (ruleId.startsWith('LQ-')) return 'requestor';
  if (ruleId.startsWith('V6-') || ruleId.startsWith('RED-')) return 'client';
  return 'input';
}

/** Verdict + severity as one word: error, warning, info or inconclusive. */
export function gradeOf(f: Finding): Severity | 'inconclusive' {
  return f.verdict === 'inconclusive' ? 'inconclusive' : f.severity;
}
