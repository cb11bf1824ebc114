// Runs checks through the real engine on hand-made correlate events, without captures:
// runRule(id, events) with one rule enabled, runChecks(events) with every registered rule.
import type { Events } from '../../src/correlate/events.js';
import { Engine } from '../../src/engine/engine.js';
import { loadProfile, loadRules, type UserConfig } from '../../src/engine/load.js';
import type { Finding, Profile, RuleMeta, RuleModule } from '../../src/engine/types.js';
import { checks as registry } from '../../src/checks/index.js';
import type { Dhcpv6Message, Dhcpv6Option, MessageRecord } from '../../src/dhcpv6/types.js';
import type { TcpCloseReason, TcpConnection } from '../../src/net/types.js';
import { BulkCorrelator } from '../../src/correlate/bulk.js';

/** One event: its name and payload. */
export type EventTuple = { [K in keyof Events]: [K, Events[K]] }[keyof Events];

export interface HarnessOptions {
  /** Profile name (default rfc5460) or a ready profile. */
  profile?: string | Profile;
  config?: UserConfig;
  /** Input index stamped on findings (default 0). */
  input?: number;
  /** Replace the catalog (engine tests with made-up rules). */
  rules?: RuleMeta[];
  /** Replace the registry (engine tests with made-up checks). */
  checks?: ReadonlyMap<string, RuleModule<Events>>;
}

function profileOf(opts: HarnessOptions): Profile {
  if (typeof opts.profile === 'object') return opts.profile;
  return loadProfile(opts.profile ?? 'rfc5460', opts.config);
}

/**
 * The correlator's connection and query objects are mutable and shared by every event that names them,
 * while the real pipeline hands each event to the rules as it happens. So a conversation records, with
 * each event, the state they had then, and `run` puts it back before the event is delivered: a rule
 * never sees counters from later in the conversation.
 */
const stateAtEmit = new WeakMap<EventTuple, Array<[object, Record<string, unknown>]>>();

function snapshot(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = Array.isArray(v) ? [...v] : v;
  return out;
}

function record(tuple: EventTuple): EventTuple {
  const ev = tuple[1] as { conn?: object; query?: object };
  const states: Array<[object, Record<string, unknown>]> = [];
  if (ev.conn !== undefined) states.push([ev.conn, snapshot(ev.conn)]);
  if (ev.query !== undefined) states.push([ev.query, snapshot(ev.query)]);
  if (states.length > 0) stateAtEmit.set(tuple, states);
  return tuple;
}

function run(engine: Engine, events: EventTuple[], input: number): Finding[] {
  engine.setInput(input);
  for (const tuple of events) {
    for (const [o, state] of stateAtEmit.get(tuple) ?? []) {
      for (const [k, v] of Object.entries(state)) (o as Record<string, unknown>)[k] = Array.isArray(v) ? [...v] : v;
    }
    engine.emit(tuple[0], tuple[1] as never);
  }
  return engine.result().findings;
}

/** Findings of one rule (it must exist in the catalog and the registry) on these events. */
export function runRule(id: string, events: EventTuple[], opts: HarnessOptions = {}): Finding[] {
  const rules = opts.rules ?? loadRules();
  const meta = rules.find((r) => r.id === id);
  if (!meta) throw new Error(`runRule: no rule ${id} in rules/`);
  const check = (opts.checks ?? registry).get(id);
  if (!check) throw new Error(`runRule: no check registered for ${id}`);
  const engine = new Engine({ rules: [meta], checks: new Map([[id, check]]), profile: profileOf(opts), config: opts.config });
  return run(engine, events, opts.input ?? 0);
}

/** Findings of every registered rule on these events. */
export function runChecks(events: EventTuple[], opts: HarnessOptions = {}): Finding[] {
  const engine = new Engine({ rules: opts.rules ?? loadRules(), checks: opts.checks ?? registry, profile: profileOf(opts), config: opts.config });
  return run(engine, events, opts.input ?? 0);
}

// ---- Bulk leasequery conversations driven through the real BulkCorrelator ----


/** An option from its code, body and sub-options (length computed). */
export function opt(code: number, data: number[] | Uint8Array = [], options?: Dhcpv6Option[]): Dhcpv6Option {
  const bytes = [...Array.from(data as ArrayLike<number>)];
  for (const s of options ?? []) bytes.push(s.code >> 8, s.code & 0xff, s.length >> 8, s.length & 0xff, ...s.data);
  const o: Dhcpv6Option = { code, length: bytes.length, data: Uint8Array.from(bytes) };
  if (options) o.options = options;
  return o;
}

const duid = (b: number): number[] => [0, 3, 0, 1, 0x00, 0x11, 0x22, 0x33, 0x44, b];
const addr = (last: number): number[] => [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last];

/** Option builders for bulk leasequery tests. */
export const O = {
  clientId: (b = 0x55): Dhcpv6Option => opt(1, duid(b)),
  serverId: (b = 0x01): Dhcpv6Option => opt(2, duid(b)),
  status: (code: number, text = ''): Dhcpv6Option => opt(13, [code >> 8, code & 0xff, ...Buffer.from(text)]),
  iaaddr: (last = 0x10, prefix: number[] = [0x20, 0x01, 0x0d, 0xb8]): Dhcpv6Option =>
    opt(5, [...prefix, ...addr(last).slice(prefix.length), 0, 0, 0x0e, 0x10, 0, 0, 0x1c, 0x20]),
  cltTime: (): Dhcpv6Option => opt(46, [0, 0, 0, 60]),
  /** OPTION_CLIENT_DATA for one client. */
  clientData: (client = 0x77, extra: Dhcpv6Option[] = []): Dhcpv6Option =>
    opt(45, [], [opt(1, duid(client)), O.iaaddr(client), O.cltTime(), ...extra]),
  clientLink: (): Dhcpv6Option => opt(48, addr(1)),
  relayId: (): Dhcpv6Option => opt(53, duid(0x99)),
  remoteId: (len = 8): Dhcpv6Option => opt(37, Array.from({ length: len }, (_, i) => (i < 4 ? 0 : i))),
  /** OPTION_LQ_QUERY: query-type, link-address (:: when omitted) and query-options. */
  lqQuery: (type: number, link: number[] = new Array(16).fill(0), sub: Dhcpv6Option[] = []): Dhcpv6Option =>
    opt(44, [type, ...link], sub),
  addr,
  opt,
};

export interface ConversationOptions {
  /** The SYN was captured (default true). */
  syn?: boolean;
  serverPort?: number;
  time0?: number;
  /** The requestor's port (default 40000): several connections from one requestor. */
  requestorPort?: number;
  /** Several connections in one capture: they share this event list and frame clock (see SharedCapture). */
  shared?: SharedCapture;
}

/**
 * What several BulkConversations of one capture share: the events in frame order and the frame/time
 * clock, so their messages interleave as on the wire. Each conversation opens at the shared clock.
 */
export class SharedCapture {
  readonly events: EventTuple[] = [];
  frame = 0;
  time = 1_700_000_000;
  private nextId = 1;
  /** A new connection from requestor port `port` (conversation options as for BulkConversation). */
  connection(port: number, opts: Omit<ConversationOptions, 'shared' | 'requestorPort'> = {}, limits: Record<string, unknown> = {}): BulkConversation {
    return new BulkConversation({ ...opts, requestorPort: port, shared: this }, limits, this.nextId++);
  }
}

/**
 * A bulk leasequery connection scripted message by message; each call is one frame (numbered from 1,
 * or `at` to jump) and feeds the real correlator. `events` are what the engine would receive.
 */
export class BulkConversation {
  readonly events: EventTuple[];
  readonly conn: TcpConnection;
  private readonly bulk: BulkCorrelator;
  private readonly clock: { frame: number; time: number };

  constructor(opts: ConversationOptions = {}, limits: Record<string, unknown> = {}, id = 1) {
    const serverPort = opts.serverPort ?? 547;
    const port = opts.requestorPort ?? 40000;
    this.clock = opts.shared ?? { frame: 0, time: opts.time0 ?? 1_700_000_000 };
    this.events = opts.shared?.events ?? [];
    const syn = opts.syn ?? true;
    // Alone, the connection opens at frame 1 and its first message is frame 1 too; in a shared capture
    // the opening (its SYN) takes a frame of its own.
    const first = opts.shared ? ++this.clock.frame : 1;
    this.conn = {
      id, label: `[2001:db8::9]:${port} > [2001:db8::1]:${serverPort}`,
      client: { address: '2001:db8::9', port }, server: { address: '2001:db8::1', port: serverPort },
      synSeen: syn, midStream: !syn, detectedBy: 'port', firstFrame: first, firstTime: this.time,
      synAckFrame: syn ? first : 0, lastSynFrame: syn ? first : 0, lastSynTime: syn ? this.time : 0,
    };
    this.bulk = new BulkCorrelator((name, ev) => { this.events.push(record([name, ev] as EventTuple)); }, limits);
    this.bulk.open(this.conn, first, this.time);
  }

  /** The frame of the last step (shared with the other connections of a SharedCapture). */
  get frame(): number { return this.clock.frame; }
  set frame(f: number) { this.clock.frame = f; }
  get time(): number { return this.clock.time; }
  set time(t: number) { this.clock.time = t; }

  private next(at?: number, dt = 0.01): [number, number] {
    this.frame = at ?? this.frame + 1;
    this.time += dt;
    return [this.frame, this.time];
  }

  /** Any message from one end (dir 0 requestor, 1 server). Returns the frame. */
  send(dir: 0 | 1, msgType: number, xid: number, options: Dhcpv6Option[], at?: number, dt?: number): number {
    const [frame, time] = this.next(at, dt);
    const message: Dhcpv6Message = {
      msgType, format: 'client-server', xid, options, anomalies: [],
      length: 4 + options.reduce((n, o) => n + 4 + o.length, 0),
    };
    const fromReq = dir === 0;
    const record: MessageRecord = {
      input: 0, frame, frames: [frame], time, transport: 'tcp',
      src: fromReq ? this.conn.client.address : this.conn.server.address,
      dst: fromReq ? this.conn.server.address : this.conn.client.address,
      srcPort: fromReq ? this.conn.client.port : this.conn.server.port,
      dstPort: fromReq ? this.conn.server.port : this.conn.client.port,
      hopLimit: 64, message, connection: this.conn, direction: dir,
    };
    this.events.push(['message', record]);
    this.bulk.message(record);
    return frame;
  }

  /** LEASEQUERY (default: by client-id, with a Client-ID). */
  query(xid: number, options: Dhcpv6Option[] = [O.clientId(), O.lqQuery(2, undefined, [O.clientId(0x77)])], at?: number): number {
    return this.send(0, 14, xid, options, at);
  }
  /** LEASEQUERY-REPLY: with one client's data unless options are given. */
  reply(xid: number, options: Dhcpv6Option[] = [O.serverId(), O.clientId(), O.clientData()], at?: number): number {
    return this.send(1, 15, xid, options, at);
  }
  /** An empty LEASEQUERY-REPLY (no status, no CLIENT_DATA). */
  emptyReply(xid: number, extra: Dhcpv6Option[] = [], at?: number): number {
    return this.send(1, 15, xid, [O.serverId(), O.clientId(), ...extra], at);
  }
  data(xid: number, options: Dhcpv6Option[] = [O.clientData(0x78)], at?: number): number {
    return this.send(1, 17, xid, options, at);
  }
  done(xid: number, options: Dhcpv6Option[] = [], at?: number): number {
    return this.send(1, 16, xid, options, at);
  }
  gap(dir: 0 | 1, size = 100, at?: number): number {
    const [frame, time] = this.next(at);
    this.bulk.gap(this.conn, dir, size, frame, time);
    return frame;
  }
  desync(dir: 0 | 1, name = 'dhcpv6.bulk.bad_size', at?: number): number {
    const [frame, time] = this.next(at);
    this.bulk.desync(this.conn, dir, { name, message: 'framing lost' }, frame, time);
    return frame;
  }
  resync(dir: 0 | 1, skipped = 10, at?: number): number {
    const [frame, time] = this.next(at);
    this.bulk.resync(this.conn, dir, skipped, frame, time);
    return frame;
  }
  fin(dir: 0 | 1, at?: number, dt?: number): number {
    const [frame, time] = this.next(at, dt);
    this.bulk.fin(this.conn, dir, frame, time);
    return frame;
  }
  rst(dir: 0 | 1, at?: number, dt?: number): number {
    const [frame, time] = this.next(at, dt);
    this.bulk.rst(this.conn, dir, frame, time);
    return frame;
  }
  /** Ends the connection; 'fin' and 'rst' should follow fin()/rst() calls. Returns the closing frame. */
  close(reason: TcpCloseReason, pending: [number, number] = [0, 0], at?: number, dt?: number): number {
    const frame = at ?? (reason === 'fin' || reason === 'rst' ? this.frame : this.frame + 1);
    this.frame = frame;
    this.time += dt ?? 0.01;
    this.bulk.close(this.conn, reason, frame, this.time, pending);
    return frame;
  }
  /** Both FINs (requestor first) and the close. Returns the last frame. */
  finish(): number {
    this.fin(0);
    this.fin(1);
    return this.close('fin');
  }
  /** The capture ends (at the next frame number unless given). */
  captureEnd(at?: number, dt?: number): number {
    return this.close('capture-end', [0, 0], at ?? this.frame, dt);
  }
  /** Pass-through for limits/advance tests. */
  get correlator(): BulkCorrelator {
    return this.bulk;
  }
}

/** A finding reduced to what rule tests assert: [ruleId, verdict, severity, frames, xid]. */
export function brief(f: Finding): [string, string, string, number[], number | undefined] {
  return [f.ruleId, f.verdict, f.severity, f.frames, f.xid];
}

/** runRule on a conversation's events, reduced with brief(). */
export function judge(id: string, c: { events: EventTuple[] }, opts?: HarnessOptions): Array<ReturnType<typeof brief>> {
  return runRule(id, c.events, opts).map(brief);
}

/**
 * The message id of a finding of rule `id`, found by matching its text against the rule's templates
 * (placeholders match anything): findings carry the text only.
 */
export function messageIdOf(id: string, f: Finding): string | undefined {
  const meta = loadRules().find((r) => r.id === id);
  if (!meta) return undefined;
  for (const [key, t] of Object.entries(meta.messages)) {
    const text = typeof t === 'string' ? t : t.text;
    const re = new RegExp(`^${text.split(/\{[a-zA-Z0-9]+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
    if (re.test(f.message)) return key;
  }
  return undefined;
}
