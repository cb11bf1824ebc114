// The rule engine: builds each enabled rule's handlers once, dispatches correlate events to them,
// and turns ctx.report() calls into findings (severity, template text, waivers, per-rule caps,
// at most one inconclusive per rule/scope/xid). DESIGN.md "Verdicts", "Volume", "Profiles".
// Dispatch is the hot path (tens of millions of handler calls on a large capture): handler arrays are
// built once, `message` goes straight to the array of its transport, and emit allocates nothing.
import type { MessageRecord } from '../dhcpv6/types.js';
import type { Events } from '../correlate/events.js';
import { compileOptionSchema, ConfigError, formatAjvError, type RuleSettings, type UserConfig, type Waiver } from './load.js';
import type {
  Finding, Level, Profile, ReportDescriptor, RuleContext, RuleMeta, RuleModule, Severity,
} from './types.js';

export interface EngineOptions {
  rules: RuleMeta[];
  checks: ReadonlyMap<string, RuleModule<Events>>;
  profile: Profile;
  config?: UserConfig;
  /** Called as soon as a finding is kept (live mode). */
  onFinding?: (finding: Finding) => void;
}

/** Default of `findings.max-per-rule`: findings kept per rule and connection/session. */
export const DEFAULT_MAX_PER_RULE = 100;

/**
 * Default of `findings.max-per-rule-total`: findings kept per rule over the whole run. The per-scope cap
 * alone lets a rule that fires once for each of a million clients keep a million findings (and the
 * keys that count them); this bounds what the engine holds, whatever the capture's size.
 */
export const DEFAULT_MAX_PER_RULE_TOTAL = 1000;

/** Severity of a requirement level (DESIGN.md "Severity"). */
export function severityOfLevel(level: Level): Severity {
  switch (level) {
    case 'MUST':
    case 'MUST NOT':
      return 'error';
    case 'SHOULD':
    case 'SHOULD NOT':
      return 'warning';
    default:
      return 'info';
  }
}

/** Fills `{name}` placeholders from data; unknown names stay as written. */
export function fillTemplate(text: string, data: Record<string, string | number> | undefined): string {
  if (!data) return text;
  return text.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(data, key) ? String(data[key]) : whole);
}

type Handler = (event: unknown) => void;

interface ActiveRule {
  meta: RuleMeta;
  severityOverride?: Severity;
  events: string[];
}

function compareFindings(a: Finding, b: Finding): number {
  if (a.input !== b.input) return a.input - b.input;
  const af = a.frames.length ? a.frames[0] : 0;
  const bf = b.frames.length ? b.frames[0] : 0;
  if (af !== bf) return af - bf;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  const al = a.frames.length ? a.frames[a.frames.length - 1] : 0;
  const bl = b.frames.length ? b.frames[b.frames.length - 1] : 0;
  if (al !== bl) return al - bl;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

function waiverMatches(w: Waiver, f: Finding): boolean {
  if (w.rule !== f.ruleId) return false;
  if (w.connection !== undefined && w.connection !== f.connection) return false;
  if (w.client !== undefined) {
    const c = f.client;
    if (!c) return false;
    const wc = w.client.toLowerCase();
    if (c.duid?.toLowerCase() !== wc && c.address?.toLowerCase() !== wc) return false;
  }
  return true;
}

export class Engine {
  /** Handlers by event name, in rule order (built once). */
  private readonly handlers = new Map<string, Handler[]>();
  /**
   * What a `message` of each transport is dispatched to: every rule's `message` handler and its
   * `message:udp` / `message:tcp` one, in rule order (the engine derives the transport events).
   */
  private readonly udpMessage: Handler[] = [];
  private readonly tcpMessage: Handler[] = [];
  private readonly active = new Map<string, ActiveRule>();
  private readonly findings: Finding[] = [];
  private readonly suppressedCounts: Record<string, number> = {};
  private readonly waivedCounts: Record<string, number> = {};
  private readonly perScope = new Map<string, number>();
  /** Findings kept per rule id, against `findings.max-per-rule-total`. */
  private readonly perRule = new Map<string, number>();
  private readonly inconclusiveSeen = new Set<string>();
  private readonly waivers: Waiver[];
  private readonly maxPerRule: number;
  private readonly maxPerRuleTotal: number;
  private readonly onFinding?: (finding: Finding) => void;
  private input = 0;

  constructor(opts: EngineOptions) {
    const { rules, checks, profile, config } = opts;
    this.waivers = config?.waivers ?? [];
    this.maxPerRule = config?.findings?.['max-per-rule'] ?? DEFAULT_MAX_PER_RULE;
    this.maxPerRuleTotal = config?.findings?.['max-per-rule-total'] ?? DEFAULT_MAX_PER_RULE_TOTAL;
    this.onFinding = opts.onFinding;
    const byId = new Map(rules.map((r) => [r.id, r]));

    for (const id of Object.keys(config?.rules ?? {})) {
      if (!byId.has(id)) throw new ConfigError(`config: /rules/${id} names no known rule`);
    }
    for (const w of this.waivers) {
      if (!byId.has(w.rule)) throw new ConfigError(`config: waiver for ${w.rule} names no known rule`);
    }

    const disabled = new Set(profile.disabledRules);
    for (const meta of rules) {
      const check = checks.get(meta.id);
      if (!check) continue; // JSON without code: the catalog test reports it
      const raw = config?.rules?.[meta.id];
      const settings: RuleSettings | undefined = raw === 'off' ? { enabled: false } : raw;
      const enabled = settings?.enabled ?? !disabled.has(meta.id);
      if (!enabled) continue;

      const options: Record<string, unknown> = { ...(meta.options?.defaults ?? {}), ...(settings?.options ?? {}) };
      if (settings?.options) {
        if (!meta.options) throw new ConfigError(`config: /rules/${meta.id}/options: this rule takes no options`);
        const validate = compileOptionSchema(meta.options.schema);
        if (!validate(options)) {
          throw new ConfigError(`config: /rules/${meta.id}/options${formatAjvError(validate.errors).replace(/^\/ /, ' ')}`);
        }
      }

      const rule: ActiveRule = { meta, severityOverride: settings?.severity, events: [] };
      const ctx: RuleContext = {
        id: meta.id,
        meta,
        options: Object.freeze(options),
        profile,
        input: () => this.input,
        report: (d) => this.report(rule, d),
      };
      const created = check.create(ctx) as Record<string, Handler | undefined>;
      for (const name of Object.keys(created)) {
        const h = created[name];
        if (typeof h !== 'function') continue;
        let hs = this.handlers.get(name);
        if (hs === undefined) this.handlers.set(name, (hs = []));
        hs.push(h);
        rule.events.push(name);
      }
      const onAny = created.message;
      const onUdp = created['message:udp'];
      const onTcp = created['message:tcp'];
      if (typeof onAny === 'function') {
        this.udpMessage.push(onAny);
        this.tcpMessage.push(onAny);
      }
      if (typeof onUdp === 'function') this.udpMessage.push(onUdp);
      if (typeof onTcp === 'function') this.tcpMessage.push(onTcp);
      this.active.set(meta.id, rule);
    }
  }

  /** Dispatches one event to every handler registered for it (hot path). */
  emit<K extends keyof Events>(name: K, event: Events[K]): void {
    const hs = name === 'message'
      ? ((event as MessageRecord).transport === 'tcp' ? this.tcpMessage : this.udpMessage)
      : this.handlers.get(name);
    if (hs === undefined) return;
    for (let i = 0; i < hs.length; i++) hs[i](event);
  }

  /** The input (capture index) being read; stamped on findings. */
  setInput(i: number): void {
    this.input = i;
  }

  /** Enabled rules with the events each listens to (the "rules evaluated" view). */
  evaluatedRules(): Array<{ id: string; events: string[] }> {
    return [...this.active.values()].map((r) => ({ id: r.meta.id, events: [...r.events] }));
  }

  /** Findings dropped by waivers, by rule id. */
  waived(): Record<string, number> {
    return { ...this.waivedCounts };
  }

  /** The findings so far, sorted by (input, first frame, rule, last frame, message), and the counts over the caps. */
  result(): { findings: Finding[]; suppressed: Record<string, number> } {
    const findings = [...this.findings].sort(compareFindings);
    return { findings, suppressed: { ...this.suppressedCounts } };
  }

  private report(rule: ActiveRule, d: ReportDescriptor): void {
    const { meta } = rule;
    const template = meta.messages[d.messageId];
    if (template === undefined) {
      throw new Error(`rule ${meta.id} reported unknown messageId '${d.messageId}'`);
    }
    const text = typeof template === 'string' ? template : template.text;
    const level: Level = (typeof template === 'object' && template.level) || meta.level;
    const severity: Severity = rule.severityOverride
      ?? (typeof template === 'object' ? template.severity : undefined)
      ?? meta.severity
      ?? severityOfLevel(level);
    const verdict = d.verdict ?? 'violation';

    const frames = [...d.frames].sort((a, b) => a - b).filter((f, i, a) => i === 0 || a[i - 1] !== f);
    const finding: Finding = {
      ruleId: meta.id, level, severity, verdict,
      message: fillTemplate(text, d.data),
      input: this.input, frames, time: d.time,
      spec: { doc: meta.spec.doc, section: meta.spec.section },
    };
    if (d.xid !== undefined) finding.xid = d.xid;
    if (d.connection !== undefined) finding.connection = d.connection;
    if (d.client !== undefined) finding.client = { ...d.client };
    if (d.server !== undefined) finding.server = { ...d.server };

    for (const w of this.waivers) {
      if (waiverMatches(w, finding)) {
        this.waivedCounts[meta.id] = (this.waivedCounts[meta.id] ?? 0) + 1;
        return;
      }
    }

    const scope = d.scopeKey ?? d.connection ?? d.client?.duid ?? d.client?.address ?? '';
    const scopeKey = `${meta.id}\u0000${this.input}\u0000${scope}`;
    const key = verdict === 'inconclusive' ? `${scopeKey}\u0000${d.xid ?? ''}` : undefined;
    if (key !== undefined && this.inconclusiveSeen.has(key)) return;
    const n = this.perScope.get(scopeKey) ?? 0;
    const total = this.perRule.get(meta.id) ?? 0;
    // Over a cap nothing is remembered but the count, so what the engine holds stays bounded (an
    // inconclusive finding over the cap may be counted again if its scope and xid come back).
    if (n >= this.maxPerRule || total >= this.maxPerRuleTotal) {
      this.suppressedCounts[meta.id] = (this.suppressedCounts[meta.id] ?? 0) + 1;
      return;
    }
    if (key !== undefined) this.inconclusiveSeen.add(key);
    this.perScope.set(scopeKey, n + 1);
    this.perRule.set(meta.id, total + 1);
    this.findings.push(finding);
    this.onFinding?.(finding);
  }
}
