// Extra data some reporters need beyond the JSON report, collected during analyze() only when asked:
// the scopes judged (bulk connections, clients, leasequery requestors) for JUnit, and bounded ladder
// (sequence) diagrams per bulk connection (RFC 5460 §6.5.1 style) and per client session for HTML.
import type { Events } from '../correlate/events.js';
import type { ClientSession, ServerResponse, Transmission, UdpTransaction, UnknownTypeExchange } from '../correlate/client-events.js';
import type { Party } from '../engine/types.js';
import type { MessageRecord } from '../dhcpv6/types.js';
import type { TcpConnection } from '../net/types.js';

/** One arrow of a ladder. */
export interface LadderMessage {
  /** Frame that carried the message (its last octet for TCP). */
  frame: number;
  /** Every frame that carried it (TCP segments, fragments, relay copies). */
  frames: number[];
  time: number;
  /** Lane index of the sender. */
  from: number;
  /** Lane index of the receiver, or -1 for every server lane (multicast). */
  to: number;
  msgType: number;
  /** Message type name, e.g. LEASEQUERY-DATA. */
  name: string;
  xid?: number;
}

/** A sequence diagram: one bulk connection, one client session or one UDP leasequery exchange. */
export interface Ladder {
  input: number;
  kind: 'bulk' | 'session' | 'leasequery';
  /** The scope findings use: the connection label, or the client's DUID (else address). */
  scope: string;
  title: string;
  /** Lane names, left to right: requestor then server, or client then servers. */
  lanes: string[];
  messages: LadderMessage[];
  /** Messages seen but not drawn (over `report.ladder-messages`). */
  omitted: number;
}

/** Limits of the collected details (named options, STYLE.md habit 6). */
export interface DetailLimits {
  /** `report.ladder-messages`: messages drawn per ladder (default 200); the rest are counted. */
  'report.ladder-messages': number;
  /** `report.ladders`: ladders per report (default 50); further connections/sessions are counted. */
  'report.ladders': number;
  /** `report.scopes`: connections, clients and requestors listed per input (default 200) for JUnit. */
  'report.scopes': number;
}

export const DETAIL_DEFAULTS: Readonly<DetailLimits> = Object.freeze({
  'report.ladder-messages': 200,
  'report.ladders': 50,
  'report.scopes': 200,
});

/** Scopes seen in one input, bounded; `more*` count what did not fit. */
export interface InputScopes {
  connections: string[];
  clients: string[];
  requestors: string[];
  moreConnections: number;
  moreClients: number;
  moreRequestors: number;
}

/** A rule the engine evaluated, with the metadata reporters show. */
export interface EvaluatedRule {
  id: string;
  scope: string;
  summary: string;
}

function partyKey(p: Party): string {
  return p.duid ?? p.address ?? '?';
}

function partyLabel(p: Party): string {
  if (p.duid && p.address) return `${p.address} (DUID ${p.duid})`;
  return p.address ?? (p.duid ? `DUID ${p.duid}` : 'unknown');
}

class BoundedSet {
  readonly items: string[] = [];
  private readonly seen = new Set<string>();
  more = 0;
  private readonly overflow = new Set<string>();
  constructor(private readonly max: number) {}
  add(key: string): void {
    if (this.seen.has(key)) return;
    if (this.items.length < this.max) {
      this.seen.add(key);
      this.items.push(key);
    } else if (this.overflow.size < this.max * 10 && !this.overflow.has(key)) {
      this.overflow.add(key);
      this.more++;
    }
  }
}

/**
 * Collects report details from correlate events. Pass one to analyze({ details }); memory is bounded
 * by the limits, not by the capture.
 */
export class ReportDetails {
  readonly limits: DetailLimits;
  readonly wantLadders: boolean;
  readonly ladders: Ladder[] = [];
  /** Connections / sessions / exchanges not drawn because `report.ladders` was reached. */
  laddersOmitted = 0;
  rules: EvaluatedRule[] = [];
  private readonly scopes: Array<{ connections: BoundedSet; clients: BoundedSet; requestors: BoundedSet }> = [];
  private readonly openBulk = new Map<string, Ladder>();
  private readonly bulkOverflow = new Set<string>();
  /**
   * Hot path (every bulk message): the connection of the previous one, and its ladder (undefined when
   * not drawn). Valid until endInput(), as scopes, open ladders and overflow only grow until then.
   */
  private lastConn: TcpConnection | undefined = undefined;
  private lastInput = -1;
  private lastLadder: Ladder | undefined = undefined;
  private messageName: (t: number) => string = (t) => `MSG_${t}`;

  constructor(opts: { ladders?: boolean; limits?: Partial<DetailLimits> } = {}) {
    this.wantLadders = opts.ladders ?? false;
    this.limits = { ...DETAIL_DEFAULTS, ...(opts.limits ?? {}) };
  }

  /** Called by analyze(): names for message types under the active code points. */
  setMessageNames(fn: (t: number) => string): void {
    this.messageName = fn;
  }

  /** The scopes of one input. */
  scopesOf(input: number): InputScopes {
    const s = this.scopes[input];
    if (!s) return { connections: [], clients: [], requestors: [], moreConnections: 0, moreClients: 0, moreRequestors: 0 };
    return {
      connections: [...s.connections.items], clients: [...s.clients.items], requestors: [...s.requestors.items],
      moreConnections: s.connections.more, moreClients: s.clients.more, moreRequestors: s.requestors.more,
    };
  }

  private inputScopes(input: number): { connections: BoundedSet; clients: BoundedSet; requestors: BoundedSet } {
    let s = this.scopes[input];
    if (!s) {
      const n = this.limits['report.scopes'];
      s = this.scopes[input] = { connections: new BoundedSet(n), clients: new BoundedSet(n), requestors: new BoundedSet(n) };
    }
    return s;
  }

  /** Observes one correlate event (analyze() forwards every event here after the engine). */
  observe<K extends keyof Events>(name: K, event: Events[K], input: number): void {
    switch (name) {
      case 'message': {
        const r = event as MessageRecord;
        if (r.transport === 'tcp' && r.connection) this.bulkMessage(r);
        break;
      }
      case 'session:end': {
        const s = event as ClientSession;
        this.inputScopes(input).clients.add(partyKey(s.client));
        if (this.wantLadders) this.sessionLadder(input, s);
        break;
      }
      case 'udp:transaction-end':
        this.inputScopes(input).clients.add(partyKey((event as UdpTransaction).client));
        break;
      case 'udp:unknown-type-end': // a client seen only through messages of unassigned types is a client too
        this.inputScopes(input).clients.add(partyKey((event as UnknownTypeExchange).client));
        break;
      case 'lq:transaction-end': {
        const t = event as UdpTransaction;
        this.inputScopes(input).requestors.add(partyKey(t.client));
        if (this.wantLadders) this.transactionLadder(input, t);
        break;
      }
      default:
        break;
    }
  }

  /** Input finished: open bulk ladders are final. */
  endInput(input: number): void {
    for (const [k, l] of this.openBulk) if (l.input === input) this.openBulk.delete(k);
    this.bulkOverflow.clear();
    this.lastConn = undefined;
  }

  private bulkMessage(r: MessageRecord): void {
    const conn = r.connection!;
    if (conn !== this.lastConn || r.input !== this.lastInput) {
      this.lastConn = conn;
      this.lastInput = r.input;
      this.lastLadder = this.bulkLadder(r, conn);
    }
    const ladder = this.lastLadder;
    if (ladder === undefined) return;
    if (ladder.messages.length >= this.limits['report.ladder-messages']) {
      ladder.omitted++; // as push() would, without building the arrow
      return;
    }
    const from = r.direction ?? 0;
    this.push(ladder, {
      frame: r.frame, frames: [...r.frames], time: r.time, from, to: from === 0 ? 1 : 0,
      msgType: r.message.msgType, name: this.messageName(r.message.msgType), xid: r.message.xid,
    });
  }

  /** Notes the connection's scope; its ladder, made on its first message, or undefined when not drawn. */
  private bulkLadder(r: MessageRecord, conn: TcpConnection): Ladder | undefined {
    this.inputScopes(r.input).connections.add(conn.label);
    if (!this.wantLadders) return undefined;
    const key = `${r.input}\u0000${conn.id}`;
    let ladder = this.openBulk.get(key);
    if (!ladder) {
      if (this.bulkOverflow.has(key)) return undefined;
      if (this.ladders.length >= this.limits['report.ladders']) {
        this.bulkOverflow.add(key);
        this.laddersOmitted++;
        return undefined;
      }
      ladder = {
        input: r.input, kind: 'bulk', scope: conn.label, title: `bulk connection ${conn.label}`,
        lanes: [`requestor [${conn.client.address}]:${conn.client.port}`, `server [${conn.server.address}]:${conn.server.port}`],
        messages: [], omitted: 0,
      };
      this.ladders.push(ladder);
      this.openBulk.set(key, ladder);
    }
    return ladder;
  }

  private push(ladder: Ladder, m: LadderMessage): void {
    if (ladder.messages.length < this.limits['report.ladder-messages']) ladder.messages.push(m);
    else ladder.omitted++;
  }

  private newLadder(input: number, kind: Ladder['kind'], scope: string, title: string, first: string): Ladder | undefined {
    if (this.ladders.length >= this.limits['report.ladders']) {
      this.laddersOmitted++;
      return undefined;
    }
    const ladder: Ladder = { input, kind, scope, title, lanes: [first], messages: [], omitted: 0 };
    this.ladders.push(ladder);
    return ladder;
  }

  private serverLane(ladder: Ladder, lanes: Map<string, number>, p: Party): number {
    const key = partyKey(p);
    let i = lanes.get(key);
    if (i === undefined) {
      i = ladder.lanes.length;
      ladder.lanes.push(`server ${partyLabel(p)}`);
      lanes.set(key, i);
    }
    return i;
  }

  private addTransaction(ladder: Ladder, lanes: Map<string, number>, t: UdpTransaction, out: LadderMessage[]): void {
    const msg = (x: Transmission, from: number, to: number): LadderMessage => ({
      frame: x.frame, frames: [...x.frames], time: x.time, from, to,
      msgType: x.message.msgType, name: this.messageName(x.message.msgType), xid: x.message.xid,
    });
    // Servers in order of first answer, so lanes read left to right in time.
    const responses = [...t.responses].sort((a, b) => a.frame - b.frame);
    for (const r of responses) this.serverLane(ladder, lanes, r.server);
    for (const x of t.requests) {
      const sid = serverIdOf(x);
      const to = sid !== undefined && lanes.has(sid) ? lanes.get(sid)! : -1;
      out.push(msg(x, 0, to));
    }
    for (const r of responses) out.push(msg(r, this.serverLane(ladder, lanes, (r as ServerResponse).server), 0));
  }

  private sessionLadder(input: number, s: ClientSession): void {
    const ladder = this.newLadder(input, 'session', partyKey(s.client), `client ${partyLabel(s.client)}`, `client ${partyLabel(s.client)}`);
    if (!ladder) return;
    const lanes = new Map<string, number>();
    const out: LadderMessage[] = [];
    this.addTransaction(ladder, lanes, s.solicit, out);
    if (s.request) this.addTransaction(ladder, lanes, s.request, out);
    if (ladder.lanes.length === 1) ladder.lanes.push('servers (no answer captured)');
    out.sort((a, b) => a.frame - b.frame);
    for (const m of out) this.push(ladder, m);
  }

  private transactionLadder(input: number, t: UdpTransaction): void {
    const ladder = this.newLadder(input, 'leasequery', partyKey(t.client), `leasequery from ${partyLabel(t.client)} xid 0x${t.xid.toString(16).padStart(6, '0')}`,
      `requestor ${partyLabel(t.client)}`);
    if (!ladder) return;
    const lanes = new Map<string, number>();
    const out: LadderMessage[] = [];
    this.addTransaction(ladder, lanes, t, out);
    if (ladder.lanes.length === 1) ladder.lanes.push('servers (no answer captured)');
    out.sort((a, b) => a.frame - b.frame);
    for (const m of out) this.push(ladder, m);
  }
}

/** Server-ID (option 2) of a client message as lowercase hex, to draw a Request to its server. */
function serverIdOf(x: Transmission): string | undefined {
  const o = x.message.options.find((op) => op.code === 2);
  if (!o) return undefined;
  let hex = '';
  for (const b of o.data) hex += b.toString(16).padStart(2, '0');
  return hex;
}
