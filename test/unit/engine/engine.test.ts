// Engine behaviours: severity derivation, templates, waivers, caps, one inconclusive per scope,
// profile/config disabling, config errors as one line.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnomalyEvent, Events } from '../../../src/correlate/events.js';
import { Engine, severityOfLevel, fillTemplate } from '../../../src/engine/engine.js';
import { ConfigError, loadConfig, loadProfile, loadRules, validateConfig } from '../../../src/engine/load.js';
import type { Profile, RuleMeta, RuleModule } from '../../../src/engine/types.js';
import { runChecks, type EventTuple } from '../../kit/rule-harness.js';

const profile: Profile = { name: 't', description: 't', codes: {}, timers: {}, disabledRules: ['BLQ-TEST-OFF'] };

function meta(id: string, extra: Partial<RuleMeta> = {}): RuleMeta {
  return {
    id, level: 'MUST', actor: 'server', spec: { doc: 'RFC 5460', section: '5.2' }, summary: 'a test rule here',
    traps: 'none', scope: 'connection',
    messages: {
      plain: 'frame {frame} xid {xid} of {missing}',
      graded: { text: 'graded', severity: 'info' },
      leveled: { text: 'leveled', severity: 'warning', level: 'SHOULD' },
      undecided: 'cannot decide',
    },
    ...extra,
  };
}

/** A check that reports on each anomaly whatever the anomaly's name asks for. */
const echo: RuleModule<Events> = {
  create(ctx) {
    return {
      anomaly(a: AnomalyEvent) {
        const [messageId, verdict] = a.name.split(':');
        ctx.report({
          messageId, data: { frame: a.frames[0], xid: a.xid ?? 0 }, frames: a.frames, time: a.time,
          verdict: verdict === 'i' ? 'inconclusive' : 'violation', xid: a.xid, connection: a.connection,
          client: a.message ? { duid: a.message } : undefined,
        });
      },
    };
  },
};

function an(name: string, frames: number[], extra: Partial<AnomalyEvent> = {}): EventTuple {
  return ['anomaly', { layer: 'tcp', name, message: '', frames, time: frames[frames.length - 1], ...extra }];
}

function engineWith(rules: RuleMeta[], config?: Parameters<typeof validateConfig>[0]): Engine {
  const checks = new Map(rules.map((r) => [r.id, echo] as const));
  return new Engine({ rules, checks, profile, config: config ? validateConfig(config) : undefined });
}

function feed(engine: Engine, events: EventTuple[]): void {
  for (const [n, p] of events) engine.emit(n, p as never);
}

describe('severity', () => {
  it('derives from the level', () => {
    expect(severityOfLevel('MUST')).toBe('error');
    expect(severityOfLevel('MUST NOT')).toBe('error');
    expect(severityOfLevel('SHOULD')).toBe('warning');
    expect(severityOfLevel('SHOULD NOT')).toBe('warning');
    expect(severityOfLevel('MAY')).toBe('info');
    expect(severityOfLevel('INFO')).toBe('info');
  });

  it('takes the template grade, then the rule override, then the level, then the config', () => {
    const e = engineWith([meta('BLQ-TEST-A'), meta('BLQ-TEST-B', { severity: 'warning' })]);
    feed(e, [an('plain', [3]), an('graded', [4]), an('leveled', [5])]);
    const f = e.result().findings;
    expect(f.filter((x) => x.ruleId === 'BLQ-TEST-A').map((x) => [x.frames[0], x.severity, x.level])).toEqual([
      [3, 'error', 'MUST'], [4, 'info', 'MUST'], [5, 'warning', 'SHOULD'],
    ]);
    expect(f.filter((x) => x.ruleId === 'BLQ-TEST-B').map((x) => x.severity)).toEqual(['warning', 'info', 'warning']);

    const c = engineWith([meta('BLQ-TEST-A')], { rules: { 'BLQ-TEST-A': { severity: 'info' } } });
    feed(c, [an('plain', [3]), an('leveled', [5])]);
    expect(c.result().findings.map((x) => x.severity)).toEqual(['info', 'info']);
  });
});

describe('findings', () => {
  it('fills templates, sorts and de-duplicates frames, stamps input and spec', () => {
    const e = engineWith([meta('BLQ-TEST-A')]);
    e.setInput(2);
    feed(e, [an('plain', [9, 4, 9, 7], { xid: 0x123456, connection: 'c1' })]);
    const [f] = e.result().findings;
    expect(f).toMatchObject({
      ruleId: 'BLQ-TEST-A', verdict: 'violation', input: 2, frames: [4, 7, 9], time: 7, xid: 0x123456,
      connection: 'c1', spec: { doc: 'RFC 5460', section: '5.2' },
      message: 'frame 9 xid 1193046 of {missing}',
    });
    expect(fillTemplate('{a}-{b}', { a: 1 })).toBe('1-{b}');
  });

  it('orders by input, first frame, rule id, last frame, message', () => {
    const e = engineWith([meta('BLQ-TEST-B'), meta('BLQ-TEST-A')]);
    e.setInput(1);
    feed(e, [an('plain', [2])]);
    e.setInput(0);
    feed(e, [an('plain', [5, 9]), an('graded', [5, 6]), an('plain', [1])]);
    const order = e.result().findings.map((f) => `${f.input}:${f.ruleId}:${f.frames.join(',')}`);
    expect(order).toEqual([
      '0:BLQ-TEST-A:1', '0:BLQ-TEST-B:1', '0:BLQ-TEST-A:5,6', '0:BLQ-TEST-A:5,9', '0:BLQ-TEST-B:5,6', '0:BLQ-TEST-B:5,9',
      '1:BLQ-TEST-A:2', '1:BLQ-TEST-B:2',
    ]);
  });

  it('throws on a messageId missing from the rule JSON (programmer error)', () => {
    const e = engineWith([meta('BLQ-TEST-A')]);
    expect(() => feed(e, [an('nope', [1])])).toThrow(/unknown messageId 'nope'/);
  });

  it('keeps one inconclusive per rule, scope and xid', () => {
    const e = engineWith([meta('BLQ-TEST-A')]);
    feed(e, [
      an('undecided:i', [1], { xid: 1, connection: 'c1' }), an('undecided:i', [2], { xid: 1, connection: 'c1' }),
      an('undecided:i', [3], { xid: 2, connection: 'c1' }), an('undecided:i', [4], { xid: 1, connection: 'c2' }),
      an('plain', [5], { xid: 1, connection: 'c1' }), an('plain', [6], { xid: 1, connection: 'c1' }),
    ]);
    expect(e.result().findings.map((f) => [f.frames[0], f.verdict])).toEqual([
      [1, 'inconclusive'], [3, 'inconclusive'], [4, 'inconclusive'], [5, 'violation'], [6, 'violation'],
    ]);
  });

  it('caps findings per rule and scope, counting the rest', () => {
    const e = engineWith([meta('BLQ-TEST-A')], { findings: { 'max-per-rule': 2 } });
    const evs: EventTuple[] = [];
    for (let i = 1; i <= 5; i++) evs.push(an('plain', [i], { connection: 'c1' }));
    evs.push(an('plain', [10], { connection: 'c2' }));
    feed(e, evs);
    const r = e.result();
    expect(r.findings.map((f) => f.frames[0])).toEqual([1, 2, 10]);
    expect(r.suppressed).toEqual({ 'BLQ-TEST-A': 3 });
  });

  it('caps findings per rule over the whole run too, remembering nothing beyond the cap', () => {
    // Each rule reports every event (echo): one finding in each of 6 scopes (clients of a big capture),
    // then inconclusive ones with 5 xids; B has a cap of its own, counted apart from A's.
    const e = engineWith([meta('BLQ-TEST-A'), meta('BLQ-TEST-B')], { findings: { 'max-per-rule-total': 3 } });
    const evs: EventTuple[] = [];
    for (let i = 1; i <= 6; i++) evs.push(an('plain', [i], { connection: `c${i}` }));
    for (let i = 1; i <= 5; i++) evs.push(an('undecided:i', [20 + i], { xid: i, connection: 'c1' }));
    feed(e, evs);
    const r = e.result();
    expect(r.findings.filter((f) => f.ruleId === 'BLQ-TEST-A').map((f) => f.frames[0])).toEqual([1, 2, 3]);
    expect(r.findings.filter((f) => f.ruleId === 'BLQ-TEST-B').map((f) => f.frames[0])).toEqual([1, 2, 3]);
    expect(r.suppressed).toEqual({ 'BLQ-TEST-A': 8, 'BLQ-TEST-B': 8 });
    // The keys that count findings stop growing at the cap.
    const inside = e as unknown as { perScope: Map<string, number>; inconclusiveSeen: Set<string> };
    expect(inside.perScope.size).toBe(6); // c1, c2, c3 for each rule
    expect(inside.inconclusiveSeen.size).toBe(0);
  });

  it('defaults the cap to 100', () => {
    const e = engineWith([meta('BLQ-TEST-A')]);
    const evs: EventTuple[] = [];
    for (let i = 1; i <= 105; i++) evs.push(an('plain', [i]));
    feed(e, evs);
    expect(e.result().findings).toHaveLength(100);
    expect(e.result().suppressed['BLQ-TEST-A']).toBe(5);
  });

  it('applies waivers by rule, connection and client', () => {
    const e = engineWith([meta('BLQ-TEST-A'), meta('BLQ-TEST-B')], {
      waivers: [
        { rule: 'BLQ-TEST-A', connection: 'c1', reason: 'known vendor bug' },
        { rule: 'BLQ-TEST-B', client: '000300aa', reason: 'lab box' },
      ],
    });
    feed(e, [
      an('plain', [1], { connection: 'c1' }), an('plain', [2], { connection: 'c2' }),
      an('plain', [3], { message: '000300AA' }), an('plain', [4], { message: '000300bb' }),
    ]);
    expect(e.result().findings.map((f) => `${f.ruleId}:${f.frames[0]}`)).toEqual([
      'BLQ-TEST-B:1', 'BLQ-TEST-A:2', 'BLQ-TEST-B:2', 'BLQ-TEST-A:3', 'BLQ-TEST-A:4', 'BLQ-TEST-B:4',
    ]);
    expect(e.waived()).toEqual({ 'BLQ-TEST-A': 1, 'BLQ-TEST-B': 1 });
  });
});

describe('enabling', () => {
  it('gives no handlers to rules disabled by the profile or the config, and lists the evaluated ones', () => {
    const e = engineWith([meta('BLQ-TEST-A'), meta('BLQ-TEST-OFF'), meta('BLQ-TEST-C')], { rules: { 'BLQ-TEST-C': 'off' } });
    feed(e, [an('plain', [1])]);
    expect(e.result().findings.map((f) => f.ruleId)).toEqual(['BLQ-TEST-A']);
    expect(e.evaluatedRules()).toEqual([{ id: 'BLQ-TEST-A', events: ['anomaly'] }]);

    const on = engineWith([meta('BLQ-TEST-OFF')], { rules: { 'BLQ-TEST-OFF': { enabled: true } } });
    feed(on, [an('plain', [1])]);
    expect(on.result().findings).toHaveLength(1);
  });

  it('merges rule options with defaults and validates them', () => {
    const seen: unknown[] = [];
    const m = meta('BLQ-TEST-A', {
      options: { schema: { type: 'object', properties: { tolerance: { type: 'number', minimum: 0 } }, additionalProperties: false }, defaults: { tolerance: 5 } },
    });
    const spy: RuleModule<Events> = { create(ctx) { seen.push(ctx.options); return {}; } };
    new Engine({ rules: [m], checks: new Map([[m.id, spy]]), profile });
    new Engine({ rules: [m], checks: new Map([[m.id, spy]]), profile, config: { rules: { 'BLQ-TEST-A': { options: { tolerance: 2 } } } } });
    expect(seen).toEqual([{ tolerance: 5 }, { tolerance: 2 }]);
    expect(() => new Engine({ rules: [m], checks: new Map([[m.id, spy]]), profile, config: { rules: { 'BLQ-TEST-A': { options: { tolerance: -1 } } } } }))
      .toThrow(ConfigError);
    expect(() => new Engine({ rules: [m], checks: new Map([[m.id, spy]]), profile, config: { rules: { 'BLQ-NOPE': 'off' } } }))
      .toThrow('config: /rules/BLQ-NOPE names no known rule');
  });
});

describe('config and profiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dhcp6audit-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('reads a valid config', () => {
    const p = write('ok.json', JSON.stringify({
      rules: { 'BLQ-XID-DATA': { severity: 'warning' }, 'BLQ-PORT-DEFAULT': 'off' },
      waivers: [{ rule: 'BLQ-XID-DATA', connection: '[2001:db8::9]:40000 > [2001:db8::1]:547', reason: 'ticket 12' }],
      codes: { 'LEASEQUERY-DONE': 250 }, limits: { 'reassembly.memcap': 1e6 }, findings: { 'max-per-rule': 10 }, dedup: { window: 0.005 },
    }));
    expect(loadConfig(p).rules?.['BLQ-PORT-DEFAULT']).toBe('off');
  });

  it('reports an invalid config as one line naming the path', () => {
    const p = write('config.json', JSON.stringify({ rules: { 'BLQ-XID-DATA': { severity: 'fatal' } } }));
    expect(() => loadConfig(p)).toThrow(ConfigError);
    expect(() => loadConfig(p)).toThrow(`${p}: /rules/BLQ-XID-DATA/severity must be one of error, warning, info`);
    expect(() => validateConfig({ colour: true }, 'c.json')).toThrow("c.json: / has an unknown property 'colour'");
    expect(() => validateConfig({ waivers: [{ rule: 'BLQ-XID-DATA' }] }, 'c.json')).toThrow("c.json: /waivers/0 must have property 'reason'");
    expect(() => validateConfig({ limits: { 'reassembly.memcap': 'big' } }, 'c.json')).toThrow('c.json: /limits/reassembly.memcap must be number');
    const bad = write('bad.json', '{ nope');
    expect(() => loadConfig(bad)).toThrow(/bad\.json: not valid JSON/);
    expect(() => loadConfig(join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read the config file \(ENOENT\)/);
  });

  it('loads the profiles; draft-01 needs its code points', () => {
    const rfc = loadProfile('rfc5460');
    expect(rfc.codes['LEASEQUERY-DONE']).toBe(16);
    expect(rfc.codes['LEASEQUERY-DATA']).toBe(17);
    expect(rfc.timers.BULK_LQ_DATA_TIMEOUT).toBe(300);
    expect(rfc.timers.HOP_COUNT_LIMIT).toBe(8);
    expect(() => loadProfile('draft-01')).toThrow(
      'profile draft-01 needs code points for LEASEQUERY-DONE, LEASEQUERY-DATA, OPTION_RELAY_ID, QueryTerminated',
    );
    expect(() => loadProfile('draft-01', { codes: { 'LEASEQUERY-DONE': 200 } })).toThrow(/needs code points for LEASEQUERY-DATA, OPTION_RELAY_ID, QueryTerminated/);
    const d = loadProfile('draft-01', { codes: { 'LEASEQUERY-DONE': 200, 'LEASEQUERY-DATA': 201, OPTION_RELAY_ID: 202, QueryTerminated: 203 } });
    expect([d.codes['LEASEQUERY-DONE'], d.timers.BULK_LQ_DATA_TIMEOUT, d.codes.LEASEQUERY]).toEqual([200, 30, 14]);
    expect(loadProfile('draft-01', undefined, { forListing: true }).name).toBe('draft-01');
    expect(() => loadProfile('../x')).toThrow("unknown profile '../x' (available: draft-01, rfc5460)");
  });

  it('loads the rule catalog, every rule valid', () => {
    const rules = loadRules();
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('runs the whole registry on no events without findings', () => {
    expect(runChecks([])).toEqual([]);
  });
});

describe('dispatch', () => {
  it('derives message:udp / message:tcp from message, in rule order, and passes other events by name', () => {
    const seen: string[] = [];
    const spy = (id: string, names: Array<keyof Events>): RuleModule<Events> => ({
      create() {
        const h: Record<string, (e: unknown) => void> = {};
        for (const n of names) h[n] = (e) => { seen.push(`${id} ${n} ${(e as { transport?: string }).transport ?? ''}`); };
        return h;
      },
    });
    const rules = [meta('BLQ-TEST-A'), meta('BLQ-TEST-B'), meta('BLQ-TEST-C')];
    const checks = new Map<string, RuleModule<Events>>([
      ['BLQ-TEST-A', spy('A', ['message:tcp', 'anomaly'])],
      ['BLQ-TEST-B', spy('B', ['message', 'message:udp'])],
      ['BLQ-TEST-C', spy('C', ['message:udp', 'message:tcp'])],
    ]);
    const e = new Engine({ rules, checks, profile });
    const record = (transport: 'udp' | 'tcp') => ({ transport }) as unknown as Events['message'];
    e.emit('message', record('udp'));
    e.emit('message', record('tcp'));
    e.emit('message:tcp', record('tcp'));
    e.emit('anomaly', { layer: 'tcp', name: 'x', message: '', frames: [], time: 0 });
    expect(seen).toEqual([
      'B message udp', 'B message:udp udp', 'C message:udp udp',
      'A message:tcp tcp', 'B message tcp', 'C message:tcp tcp',
      'A message:tcp tcp', 'C message:tcp tcp',
      'A anomaly ',
    ]);
    expect(e.evaluatedRules()).toEqual([
      { id: 'BLQ-TEST-A', events: ['message:tcp', 'anomaly'] },
      { id: 'BLQ-TEST-B', events: ['message', 'message:udp'] },
      { id: 'BLQ-TEST-C', events: ['message:udp', 'message:tcp'] },
    ]);
  });
});
