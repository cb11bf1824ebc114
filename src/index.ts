// The programmatic API: analyze(inputs, options) → Report, and decode(inputs, onMessage).
// The CLI is a thin layer over these two functions.

import type { CaptureInput } from './capture/source.js';
import { createCodec, type Dhcpv6Codec, type MessageRecord } from './dhcpv6/index.js';
import { Engine } from './engine/engine.js';
import { ConfigError, loadProfile, loadRules, type UserConfig } from './engine/load.js';
import { OVERRIDABLE } from './dhcpv6/names.js';
import type { Finding, InputSummary, Report, Stats } from './engine/types.js';
import { checks } from './checks/index.js';
import { emptyStats, runInput, type Emit } from './pipeline.js';
import type { AnomalyEvent } from './correlate/events.js';
import { TOOL_VERSION } from './version.js';
import type { ReportDetails } from './report/details.js';

export type { Finding, Report, Stats, InputSummary } from './engine/types.js';
export type { MessageRecord } from './dhcpv6/index.js';
export type { CaptureInput } from './capture/source.js';

export interface AnalyzeOptions {
  /** Profile name under rules/profiles (default rfc5460). */
  profile?: string;
  /** The user's rule configuration (already validated, see loadConfig). */
  config?: UserConfig;
  /** TCP ports that carry bulk leasequery besides 547. */
  bulkPorts?: number[];
  /** Called as soon as a finding is decided (live mode). */
  onFinding?: (finding: Finding) => void;
  /** Progress of the input being read. */
  onProgress?: (input: number, bytesRead: number, totalBytes: number | undefined, frames: number) => void;
  /**
   * Extra data for reporters that need more than the JSON report (JUnit scopes, HTML ladders),
   * filled during the run. Absent: nothing extra is collected and the hot path is unchanged.
   */
  details?: ReportDetails;
  /**
   * Live input (a pipe or an interface): open connections and sessions are closed by their idle
   * timeouts as capture time advances, and by the wall clock while no packet arrives.
   */
  live?: boolean;
}

function toInput(x: string | CaptureInput): CaptureInput {
  return typeof x === 'string' ? { path: x } : x;
}

/**
 * The codec for a profile: only the code points the codec can move (draft-01's "TBD" ones) are
 * passed on; the profile's other names are for the rules. A bad name in the user's config is a ConfigError.
 */
function codecFor(profileCodes: Record<string, number>, config?: UserConfig): Dhcpv6Codec {
  const movable: Record<string, number> = {};
  for (const [name, value] of Object.entries(profileCodes)) if (name in OVERRIDABLE) movable[name] = value;
  try {
    return createCodec({ codes: { ...movable, ...(config?.codes ?? {}) } });
  } catch (e) {
    throw new ConfigError(`config: ${(e as Error).message.replace(/^codes: /, 'codes: ')}`);
  }
}

/** Judges the captures and returns the report (DESIGN.md "check --format json" contract). */
export async function analyze(inputs: Array<string | CaptureInput>, options: AnalyzeOptions = {}): Promise<Report> {
  const profile = loadProfile(options.profile ?? 'rfc5460', options.config);
  const rules = loadRules();
  const engine = new Engine({ rules, checks, profile, config: options.config, onFinding: options.onFinding });
  const codec = codecFor(profile.codes, options.config);
  const details = options.details;
  if (details) {
    const meta = new Map(rules.map((r) => [r.id, r]));
    details.rules = engine.evaluatedRules()
      .map(({ id }) => ({ id, scope: meta.get(id)?.scope ?? 'capture', summary: meta.get(id)?.summary ?? '' }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    details.setMessageNames((t) => codec.messageName(t));
  }
  const stats = emptyStats();
  const lines: InputSummary[] = [];
  const limits = { ...(options.config?.limits ?? {}) };
  for (let i = 0; i < inputs.length; i++) {
    engine.setInput(i);
    const emit: Emit = details
      ? (name, event) => { engine.emit(name, event); details.observe(name, event, i); }
      : (name, event) => engine.emit(name, event);
    lines.push(await runInput({
      input: i, source: toInput(inputs[i]), codec, bulkPorts: options.bulkPorts ?? [], limits,
      codes: { ...profile.codes, ...(options.config?.codes ?? {}) },
      emit, stats, live: options.live,
      onProgress: options.onProgress ? (read, total, frames) => options.onProgress!(i, read, total, frames) : undefined,
    }));
    details?.endInput(i);
  }
  const { findings, suppressed } = engine.result();
  const summary = { error: 0, warning: 0, info: 0, inconclusive: 0 };
  for (const f of findings) {
    if (f.verdict === 'inconclusive') summary.inconclusive++;
    else summary[f.severity]++;
  }
  return {
    tool: { name: 'dhcp6audit', version: TOOL_VERSION },
    profile: profile.name,
    inputs: lines,
    stats,
    findings,
    suppressed,
    summary,
  };
}

/** Decodes every DHCPv6 message of the captures, in frame order, without judging them. */
export async function decode(
  inputs: Array<string | CaptureInput>,
  onMessage: (record: MessageRecord, codec: Dhcpv6Codec) => void,
  options: Pick<AnalyzeOptions, 'profile' | 'config' | 'bulkPorts'> & {
    /** A frame repeating an earlier transmission: it is not decoded again. */
    onDuplicate?: (input: number, frame: number, original: number) => void;
    /** Every capture, network and DHCPv6 anomaly. */
    onAnomaly?: (input: number, anomaly: AnomalyEvent) => void;
  } = {},
): Promise<{ inputs: InputSummary[]; stats: Stats }> {
  const profile = loadProfile(options.profile ?? 'rfc5460', options.config);
  const codec = codecFor(profile.codes, options.config);
  const stats = emptyStats();
  const lines: InputSummary[] = [];
  for (let i = 0; i < inputs.length; i++) {
    lines.push(await runInput({
      input: i, source: toInput(inputs[i]), codec, bulkPorts: options.bulkPorts ?? [],
      limits: { ...(options.config?.limits ?? {}) }, stats, onMessage: (r) => onMessage(r, codec),
      onDuplicate: options.onDuplicate ? (frame, original) => options.onDuplicate!(i, frame, original) : undefined,
      onAnomaly: options.onAnomaly ? (a) => options.onAnomaly!(i, a) : undefined,
    }));
  }
  return { inputs: lines, stats };
}
