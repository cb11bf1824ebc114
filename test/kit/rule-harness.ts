// Runs checks through the real engine on hand-made correlate events, without captures:
// runRule(id, events) with one rule enabled, runChecks(events) with every registered rule.
import type { Events } from '../../src/correlate/events.js';
import { Engine } from '../../src/engine/engine.js';
import { loadProfile, loadRules, type UserConfig } from '../../src/engine/load.js';
import type { Finding, Profile, RuleMeta, RuleModule } from '../../src/engine/types.js';
import { checks as registry } from '../../src/checks/index.js';

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

function run(engine: Engine, events: EventTuple[], input: number): Finding[] {
  engine.setInput(input);
  for (const [name, payload] of events) engine.emit(name, payload as never);
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
