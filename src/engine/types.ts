// Engine contracts: rule metadata (rules/*.json), rule modules (src/checks), findings and the result.
// Rules see the capture only through correlate events and report only through ctx.report().

export type Verdict = 'violation' | 'inconclusive';
export type Severity = 'error' | 'warning' | 'info';
export type Level = 'MUST' | 'MUST NOT' | 'SHOULD' | 'SHOULD NOT' | 'MAY' | 'INFO';

/** Where a requirement is written. */
export interface SpecRef {
  /** e.g. "RFC 5460". */
  doc: string;
  /** e.g. "5.2.2". */
  section: string;
}

/** A party in a UDP exchange. */
export interface Party {
  /** DUID in lowercase hex, when known. */
  duid?: string;
  /** IP address (canonical text), when known. */
  address?: string;
}

/** One judgement, with its evidence. Part of the JSON report contract (DESIGN.md). */
export interface Finding {
  /** Catalog id, uppercase, e.g. BLQ-DONE-AFTER-BINDINGS. */
  ruleId: string;
  level: Level;
  severity: Severity;
  verdict: Verdict;
  /** One clear sentence in our own words. */
  message: string;
  /** Index of the input capture. */
  input: number;
  /** Evidence frames, ascending (1-based, as in Wireshark). */
  frames: number[];
  /** Time of the last evidence frame (seconds since the epoch). */
  time: number;
  /** Transaction id, where one applies. */
  xid?: number;
  /** Bulk findings: `[requestor]:port > [server]:port`. */
  connection?: string;
  /** UDP findings: the client (or requestor). */
  client?: Party;
  /** UDP findings: the server, where known. */
  server?: Party;
  spec: SpecRef;
}

/** Frame accounting and volume figures. dhcpv6Frames + otherFrames + malformedFrames + droppedFrames = frames. */
export interface Stats {
  frames: number;
  dhcpv6Frames: number;
  otherFrames: number;
  malformedFrames: number;
  droppedFrames: number;
  /** Identical IP payloads from the same source within dedup.window, counted once. */
  duplicateFrames: number;
  dhcpv6Messages: number;
  udpTransactions: number;
  bulkConnections: number;
  bulkQueries: number;
  clientSessions: number;
}

/** A message template: plain text, or text with a severity of its own (a graded case of the rule). */
export type MessageTemplate = string | { text: string; severity: Severity; level?: Level };

/** Contents of rules/<spec>/<rule-id>.json (validated against rules/rule.schema.json). */
export interface RuleMeta {
  id: string;
  level: Level;
  /** Overrides the severity derived from the level (the catalog grades some rules WARN/INFO). */
  severity?: Severity;
  /** Who the requirement binds: server, requestor, client, relay, both, checker. */
  actor: string;
  spec: SpecRef;
  /** One line, our own words. */
  summary: string;
  /** The false-positive traps the check guards against, our own words, or "none". */
  traps: string;
  /** What a finding is counted per: message, query, connection, transaction, session, capture. */
  scope: string;
  /** Message templates by id; `{name}` placeholders are filled from report data. */
  messages: Record<string, MessageTemplate>;
  /** Rule options: JSON Schema for them and their defaults. */
  options?: { schema: object; defaults: Record<string, unknown> };
}

/** What a check passes to ctx.report(). */
export interface ReportDescriptor {
  messageId: string;
  data?: Record<string, string | number>;
  frames: number[];
  /** Time of the last evidence frame. */
  time: number;
  verdict?: Verdict;
  xid?: number;
  connection?: string;
  client?: Party;
  server?: Party;
  /**
   * The connection or client session this finding is counted under, for the per-rule cap and the
   * one-inconclusive-per-scope rule. Defaults to connection ?? client.duid ?? client.address ?? ''.
   */
  scopeKey?: string;
}

/** Handed to a check's create(). */
export interface RuleContext {
  readonly id: string;
  readonly meta: RuleMeta;
  /** Rule options: defaults merged with the user's config. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The active profile (code points, timers). */
  readonly profile: Profile;
  /** Index of the input being read. */
  readonly input: () => number;
  report(descriptor: ReportDescriptor): void;
}

/** Contents of rules/profiles/<name>.json, with the user's code points applied. */
export interface Profile {
  name: string;
  description: string;
  /** Code points by name (LEASEQUERY-DONE, LEASEQUERY-DATA, OPTION_RELAY_ID, QueryTerminated, …). */
  codes: Record<string, number>;
  /** Timers and limits by name (BULK_LQ_DATA_TIMEOUT, SOL_TIMEOUT, HOP_COUNT_LIMIT, …), seconds or counts. */
  timers: Record<string, number>;
  /** Rule ids that do not apply under this profile. */
  disabledRules: string[];
  /** Code point names the user must supply in the config (draft-01). */
  requiresCodes?: string[];
}

/** A check module: src/checks/<spec>/<rule-id>.ts exports `create`. */
export interface RuleModule<Events> {
  create(ctx: RuleContext): RuleHandlers<Events>;
}

/** Handlers keyed by correlate event name. */
export type RuleHandlers<Events> = { [K in keyof Events]?: (event: Events[K]) => void };

/** One input's line in the report. */
export interface InputSummary {
  path: string;
  format: string;
  frames: number;
  /** Gzip-compressed input. */
  compressed?: boolean;
  /** The input could not be read at all (exit 2 if no input could be read). */
  error?: string;
}

/** The JSON report (DESIGN.md contract). */
export interface Report {
  tool: { name: 'dhcp6audit'; version: string };
  profile: string;
  inputs: InputSummary[];
  stats: Stats;
  findings: Finding[];
  /** Findings over the per-rule cap, counted by rule id. */
  suppressed: Record<string, number>;
  summary: { error: number; warning: number; info: number; inconclusive: number };
}
