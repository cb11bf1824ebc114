// Reads what real software did from a capture (our decoder, checked against tshark elsewhere) and
// judges it with analyze(): the two halves every interop expectation is built from.
import { analyze, decode, type Report } from '../../src/index.js';
import type { Dhcpv6Message, Dhcpv6Option } from '../../src/dhcpv6/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** One relay level (Relay-forward or Relay-reply header) of a relayed message. */
export interface RelayLevel {
  msgType: number;
  hopCount: number;
  linkAddress: string;
  peerAddress: string;
  /** Interface-ID (18) of this level, hex; undefined when absent. */
  interfaceId?: string;
  /** Option codes of this level, in wire order. */
  codes: number[];
}

/** One DHCPv6 message as seen on the wire, reduced to what the expectations need. */
export interface Seen {
  frame: number;
  time: number;
  transport: 'udp' | 'tcp';
  src: string;
  dst: string;
  msgType: number;
  xid?: number;
  /** Server-ID (hex) of the message, or of the innermost relayed message. */
  serverId?: string;
  clientId?: string;
  preference?: number;
  /** For relay messages: the innermost message's type. */
  inner?: number;
  /** For relay messages: the innermost message's transaction-id. */
  innerXid?: number;
  /** For relay messages: every relay level, the outermost first. */
  relays?: RelayLevel[];
  /** Option codes at the message's top level. */
  codes: number[];
  /** Addresses in IA_NA (3) / IAADDR (5) options of the (innermost) message. */
  iaAddrs: string[];
  /** Status code of the message's top-level Status Code option. */
  status?: number;
  /** Codes the (innermost) message's Option Request option lists; undefined when it has none. */
  oro?: number[];
}

function addr(b: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(((b[i] << 8) | b[i + 1]).toString(16));
  return parts.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

const find = (opts: Dhcpv6Option[], code: number): Dhcpv6Option | undefined => opts.find((o) => o.code === code);

/** The relay levels around a message, the outermost first (empty for a client/server message). */
function relayLevels(m: Dhcpv6Message): RelayLevel[] {
  const out: RelayLevel[] = [];
  let cur: Dhcpv6Message | undefined = m;
  for (let i = 0; i < 8 && cur?.format === 'relay'; i++) {
    const ifid = find(cur.options, 18);
    out.push({
      msgType: cur.msgType, hopCount: cur.hopCount ?? -1, linkAddress: cur.linkAddress ?? '', peerAddress: cur.peerAddress ?? '',
      interfaceId: ifid ? hex(ifid.data) : undefined, codes: cur.options.map((o) => o.code),
    });
    cur = find(cur.options, 9)?.message;
  }
  return out;
}

function innermost(m: Dhcpv6Message): Dhcpv6Message {
  let cur = m;
  for (let i = 0; i < 8 && cur.format === 'relay'; i++) {
    const relayed = cur.options.find((o) => o.code === 9)?.message;
    if (!relayed) break;
    cur = relayed;
  }
  return cur;
}

/** Every DHCPv6 message of the capture, in frame order. */
export async function messages(file: string, bulkPorts?: number[]): Promise<Seen[]> {
  const out: Seen[] = [];
  await decode([file], (r) => {
    const inner = innermost(r.message);
    const pref = find(inner.options, 7);
    const sid = find(inner.options, 2);
    const cid = find(inner.options, 1);
    out.push({
      frame: r.frame, time: r.time, transport: r.transport, src: r.src, dst: r.dst,
      msgType: r.message.msgType, xid: r.message.xid,
      serverId: sid ? hex(sid.data) : undefined,
      clientId: cid ? hex(cid.data) : undefined,
      preference: pref && pref.data.length === 1 ? pref.data[0] : undefined,
      inner: r.message.format === 'relay' ? inner.msgType : undefined,
      innerXid: r.message.format === 'relay' ? inner.xid : undefined,
      relays: r.message.format === 'relay' ? relayLevels(r.message) : undefined,
      codes: r.message.options.map((o) => o.code),
      iaAddrs: inner.options.filter((o) => o.code === 3).flatMap((o) => (o.options ?? []).filter((x) => x.code === 5 && x.data.length >= 16).map((x) => addr(x.data))),
      status: ((st) => (st && st.data.length >= 2 ? (st.data[0] << 8) | st.data[1] : undefined))(find(inner.options, 13)),
      oro: ((o) => (o ? Array.from({ length: o.data.length >> 1 }, (_, i) => (o.data[2 * i] << 8) | o.data[2 * i + 1]) : undefined))(find(inner.options, 6)),
    });
  }, { bulkPorts });
  return out;
}

/** A finding reduced to what a test asserts. */
export interface Verdict {
  ruleId: string;
  verdict: string;
  severity: string;
  frames: number[];
}

/**
 * The correlator's copy window (sessions.copy-window): sightings of one datagram at most this far apart,
 * at both sides of a relay, are one transmission; a relay that passes it on later (a loaded machine)
 * leaves its copy a transmission of its own.
 */
export const COPY_WINDOW = 0.5;

/**
 * The frames of one transmission as the correlator groups them: the first message `pick` selects, and
 * the ones it selects within COPY_WINDOW after it (the same message at the other side of a relay).
 * `pick` must select one message (type, xid, sender) seen at several places.
 */
export function transmissionFrames(seen: Seen[], pick: (m: Seen) => boolean): number[] {
  const all = seen.filter(pick);
  return all.filter((m) => m.time - all[0].time <= COPY_WINDOW).map((m) => m.frame);
}

/**
 * The V6-SOLICIT-CONTENTS / V6-REQUEST-CONTENTS findings the lab's RFC 3315-era clients earn, read from
 * the capture: none of ISC dhclient 4.4, WIDE dhcp6c 20080615 and dibbler-client 1.0 requests SOL_MAX_RT
 * (82), which RFC 8415 §18.2.1 / §18.2.2 require in every Solicit and Request since RFC 7083 (dhclient's
 * ORO lists 23, 24, 39 and 31 or the like; dhcp6c and dibbler-client, configured to request nothing, send
 * no ORO at all, which RFC 3315 allowed and RFC 8415 does not). dhcpcd requests it and earns none. One
 * error per Solicit or Request transaction (client DUID, type, xid), on its first transmission and the
 * copies of it seen within 0.5 s (the other side of a relay); retransmissions (1 s and more later) are
 * the same defect and add nothing. Checked against tshark -V on captures kept with KEEP_LAB=1.
 */
export function solMaxRtFindings(seen: Seen[]): Verdict[] {
  const out: Verdict[] = [];
  const first = new Map<string, { time: number; verdict?: Verdict }>();
  for (const m of seen) {
    const type = m.inner ?? m.msgType;
    if (m.transport !== 'udp' || (type !== T.SOLICIT && type !== T.REQUEST)) continue;
    const key = `${type}|${m.inner !== undefined ? m.innerXid : m.xid}|${m.clientId ?? m.src}`;
    const f = first.get(key);
    if (f) {
      if (f.verdict && m.time - f.time <= COPY_WINDOW) f.verdict.frames.push(m.frame);
      continue;
    }
    const lacks = m.oro === undefined || !m.oro.includes(82);
    const verdict = lacks ? { ruleId: type === T.SOLICIT ? 'V6-SOLICIT-CONTENTS' : 'V6-REQUEST-CONTENTS', verdict: 'violation', severity: 'error', frames: [m.frame] } : undefined;
    if (verdict) out.push(verdict);
    first.set(key, { time: m.time, verdict });
  }
  return out;
}

/**
 * The V6-PREF-COLLECT-FIRST-RT violation a capture of the client's own link shows (RFC 8415 §18.2.1): the
 * client's first Request, with no pref-255 Advertise before it, sent less than the first RT (1 s, less
 * the rule's 0.05 s tolerance) after its first Solicit there. dibbler-client 1.0 times in whole seconds (as
 * its Elapsed Time shows, V6-ELAPSED-TIME): it requests at its clock's first tick with an Advertise in
 * hand, so an Advertise that arrives after a tick, as when a relay on a loaded machine holds the Solicit
 * or the Advertise half a second, is requested before 1 s has passed. Frames: that Solicit and its copies
 * within the copy window, every Advertise of its xid seen before the Request, and that Request and its
 * copies. The lab captures from before the client starts, so its first Solicit is its first transmission.
 * Empty when the client's link was not captured (the rule's relay-side tolerance is looser).
 */
export function collectFirstRtFindings(seen: Seen[]): Verdict[] {
  const sol = seen.find((m) => m.msgType === T.SOLICIT);
  const req = sol && seen.find((m) => m.msgType === T.REQUEST && m.time >= sol.time);
  if (!sol || !req || req.time - sol.time >= 1 - 0.05) return [];
  const type = (m: Seen): number => m.inner ?? m.msgType;
  const xid = (m: Seen): number | undefined => (m.inner !== undefined ? m.innerXid : m.xid);
  const adverts = seen.filter((m) => type(m) === T.ADVERTISE && xid(m) === sol.xid && m.time <= req.time);
  if (adverts.length === 0 || adverts.some((m) => m.preference === 255)) return [];
  const frames = [
    ...transmissionFrames(seen, (m) => type(m) === T.SOLICIT && xid(m) === sol.xid),
    ...adverts.map((m) => m.frame),
    ...transmissionFrames(seen, (m) => type(m) === T.REQUEST && xid(m) === req.xid),
  ].sort((a, b) => a - b);
  return [{ ruleId: 'V6-PREF-COLLECT-FIRST-RT', verdict: 'violation', severity: 'error', frames }];
}

/** Findings sorted as `judge` sorts them (rule id, then first frame). */
export function sortedVerdicts(v: Verdict[]): Verdict[] {
  return [...v].sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : (a.frames[0] ?? 0) - (b.frames[0] ?? 0)));
}

/** analyze() on one capture; returns the report and its findings in a stable order. */
export async function judge(file: string, bulkPorts?: number[]): Promise<{ report: Report; verdicts: Verdict[] }> {
  const report = await analyze([file], { bulkPorts });
  const verdicts = report.findings
    .map((f) => ({ ruleId: f.ruleId, verdict: f.verdict, severity: f.severity, frames: [...f.frames] }))
    .sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : (a.frames[0] ?? 0) - (b.frames[0] ?? 0)));
  return { report, verdicts };
}

/** Message type numbers used by the expectations. */
export const T = {
  SOLICIT: 1, ADVERTISE: 2, REQUEST: 3, CONFIRM: 4, RENEW: 5, REBIND: 6, REPLY: 7, RELEASE: 8,
  INFORMATION_REQUEST: 11, RELAY_FORW: 12, RELAY_REPL: 13, LEASEQUERY: 14, LEASEQUERY_REPLY: 15,
  LEASEQUERY_DONE: 16, LEASEQUERY_DATA: 17,
} as const;

/** A compact line per message, for diagnostics when an expectation fails. */
export function listing(seen: Seen[]): string {
  return seen.map((s) => `${s.frame} ${s.time.toFixed(6)} ${s.src} > ${s.dst} t${s.msgType}${s.inner ? `/${s.inner}` : ''} xid=${s.xid ?? '-'} pref=${s.preference ?? '-'} sid=${s.serverId ?? '-'}`).join('\n');
}

/** A report's findings, one line each (rule, frames, message), for a failed expectation's text. */
export function findingLines(report: Report): string {
  return report.findings.map((f) => `${f.ruleId} ${f.frames.join(',')}: ${f.message}`).join('\n');
}
