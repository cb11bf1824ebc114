// Server selection by real clients against two and four real servers with chosen Preference values
// and answer delays (RFC 8415 §18.2.1/§18.2.9/§21.8, RFC 6853 §3): expectations read from the captures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Lab, cleanStale, have, skipReason } from './harness.js';
import { CLIENT_BIN, SERVER_BIN, type ClientKind } from './peers.js';
import { runSelection, type SelectionRun, type ServerSpec } from './scenario.js';
import { T, findingLines, listing, solMaxRtFindings, type Verdict } from './observe.js';

const skip = skipReason();
if (skip) console.warn(`interop/preference skipped: ${skip}`);

const EXAMPLES = fileURLToPath(new URL('./examples/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Evidence helpers over one run. */
class View {
  constructor(readonly r: SelectionRun) {}
  private first(type: number, pred: (s: SelectionRun['seen'][number]) => boolean = () => true): number {
    const m = this.r.seen.find((s) => s.transport === 'udp' && s.msgType === type && pred(s));
    if (!m) throw new Error(`no message of type ${type} in the capture:\n${listing(this.r.seen)}`);
    return m.frame;
  }
  get solicit(): number { return this.first(T.SOLICIT); }
  get request(): number { return this.first(T.REQUEST); }
  adv(i: number): number { return this.first(T.ADVERTISE, (s) => s.src === this.r.serverAddr(i)); }
  /** The Advertises of the given servers, in frame order. */
  advs(...i: number[]): number[] { return i.map((x) => this.adv(x)).sort((a, b) => a - b); }
  /** Server-ID of server i, from its Advertise. */
  sid(i: number): string | undefined { return this.r.seen.find((s) => s.msgType === T.ADVERTISE && s.src === this.r.serverAddr(i))?.serverId; }
  /** Index of the server the first Request names. */
  get chosen(): number {
    const req = this.r.seen.find((s) => s.msgType === T.REQUEST);
    for (let i = 0; i < 8; i++) if (req && this.sid(i) === req.serverId) return i;
    return -1;
  }
  /**
   * V6-PREF-COLLECT-FIRST-RT when the first Request came before the client's first RT (1 s, less the
   * rule's default tolerance of 0.05 s, compared on the same capture times the rule uses). dibbler-client
   * was seen on CI to send its Request 5 ms after a Solicit that left 1.2 ms before a whole second, and
   * about 1 s after it otherwise: its collection timer seems to count whole seconds. So the finding is
   * real when it comes, and the test expects it exactly when the timing calls for it.
   */
  get earlyRequest(): Verdict[] {
    const sol = this.r.seen.find((s) => s.transport === 'udp' && s.msgType === T.SOLICIT);
    const req = this.r.seen.find((s) => s.transport === 'udp' && s.msgType === T.REQUEST);
    if (!sol || !req || req.time - sol.time >= 1.0 - 0.05) return [];
    const advs = this.r.seen.filter((s) => s.transport === 'udp' && s.msgType === T.ADVERTISE && s.time <= req.time).map((s) => s.frame);
    return advs.length > 0 ? [error('V6-PREF-COLLECT-FIRST-RT', [sol.frame, ...advs, req.frame])] : [];
  }
  /** Every Reply that carries a Preference option (RFC 8415 gives it meaning only in an Advertise). */
  get replyPrefs(): Verdict[] {
    return this.r.seen.filter((s) => s.msgType === T.REPLY && s.preference !== undefined).map((s) => info('V6-PREF-OPTION-FORMAT', [s.frame]));
  }
}

const info = (ruleId: string, frames: number[]): Verdict => ({ ruleId, verdict: 'violation', severity: 'info', frames });
const error = (ruleId: string, frames: number[]): Verdict => ({ ruleId, verdict: 'violation', severity: 'error', frames });
const sorted = (v: Verdict[]): Verdict[] => [...v].sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : (a.frames[0] ?? 0) - (b.frames[0] ?? 0)));

interface Scenario {
  name: string;
  client: ClientKind;
  servers: ServerSpec[];
  /** Index of the server the client must end up with, or several acceptable ones. */
  chosen: number[];
  expect: (v: View) => Verdict[];
  /** Writes the committed example report. */
  example?: boolean;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'dhclient waits the first RT and takes the higher preference (dhcpd 10, kea 200)',
    client: 'dhclient',
    servers: [{ kind: 'dhcpd', pref: 10 }, { kind: 'kea', pref: 200 }],
    chosen: [1],
    // Two distinct preferences and none at 255: RFC 6853's primary/secondary pattern is not in use.
    expect: (v) => [info('RED-SERVER-PREFERENCE-SUPPORT', v.advs(0, 1)), ...v.replyPrefs],
  },
  {
    name: 'dhclient with equal preferences (kea 50, dhcpd 50) may take either',
    client: 'dhclient',
    servers: [{ kind: 'kea', pref: 50 }, { kind: 'dhcpd', pref: 50 }],
    chosen: [0, 1],
    expect: (v) => [info('RED-SERVER-PREFERENCE-SUPPORT', v.advs(0, 1)), ...v.replyPrefs],
  },
  {
    name: 'dhclient requests at once when a delayed pref-255 Advertise arrives (dhcpd 255 +300 ms, kea 100)',
    client: 'dhclient',
    servers: [{ kind: 'dhcpd', pref: 255, delayMs: 300 }, { kind: 'kea', pref: 100 }],
    chosen: [0],
    expect: (v) => [...v.replyPrefs],
  },
  {
    name: 'dhcpcd requests the first Advertise within milliseconds (dibbler 10, dhcpd 200 +100 ms)',
    client: 'dhcpcd',
    servers: [{ kind: 'dibbler', pref: 10 }, { kind: 'dhcpd', pref: 200, delayMs: 100 }],
    chosen: [0],
    // RFC 8415 §18.2.1: without a pref-255 Advertise the client collects for the whole first RT.
    expect: (v) => [
      error('V6-PREF-COLLECT-FIRST-RT', [v.solicit, v.adv(0), v.request]),
      info('RED-SERVER-PREFERENCE-SUPPORT', v.advs(0, 1)),
      ...v.replyPrefs,
    ],
    example: true,
  },
  {
    name: 'dhcpcd taking a pref-255 Advertise at once conforms (dhcpd 255, kea 20 +100 ms)',
    client: 'dhcpcd',
    servers: [{ kind: 'dhcpd', pref: 255 }, { kind: 'kea', pref: 20, delayMs: 100 }],
    chosen: [0],
    expect: (v) => [...v.replyPrefs],
  },
  {
    name: 'dhcp6c waits the first RT for a later, higher Advertise (dhcpd 50, kea 200 +500 ms)',
    client: 'dhcp6c',
    servers: [{ kind: 'dhcpd', pref: 50 }, { kind: 'kea', pref: 200, delayMs: 500 }],
    chosen: [1],
    expect: (v) => [info('RED-SERVER-PREFERENCE-SUPPORT', v.advs(0, 1)), ...v.replyPrefs],
  },
  {
    name: 'dhcp6c against four servers takes the pref-255 one (dhcp6s 255, dhcpd none, kea 7, dibbler 200)',
    client: 'dhcp6c',
    servers: [{ kind: 'dhcp6s', pref: 255 }, { kind: 'dhcpd' }, { kind: 'kea', pref: 7 }, { kind: 'dibbler', pref: 200 }],
    chosen: [0],
    expect: (v) => [...v.replyPrefs],
  },
  {
    name: 'dibbler-client against four servers takes the highest (dhcpd 3, kea 9, dibbler 100, dhcp6s 40)',
    client: 'dibbler',
    servers: [{ kind: 'dhcpd', pref: 3 }, { kind: 'kea', pref: 9 }, { kind: 'dibbler', pref: 100 }, { kind: 'dhcp6s', pref: 40 }],
    chosen: [2],
    expect: (v) => [info('RED-SERVER-PREFERENCE-SUPPORT', v.advs(0, 1, 2, 3)), ...v.earlyRequest, ...v.replyPrefs],
  },
  {
    name: 'dibbler-client with no Preference configured (dhcpd sends none, dibbler-server sends 0)',
    client: 'dibbler',
    servers: [{ kind: 'dhcpd' }, { kind: 'dibbler' }],
    chosen: [0, 1],
    // Absent counts as 0 (RFC 8415 §18.2.9): both rank equal.
    expect: (v) => [info('RED-SERVER-PREFERENCE-SUPPORT', v.advs(0, 1)), ...v.earlyRequest, ...v.replyPrefs],
  },
  {
    name: 'dhcp6c takes kea 20 over dnsmasq, which sends Preference 0 unless authoritative',
    client: 'dhcp6c',
    servers: [{ kind: 'dnsmasq' }, { kind: 'kea', pref: 20 }],
    chosen: [1],
    // On a shared link dnsmasq's Advertise comes about 100 ms after the Solicit (under 1 ms when relayed),
    // kea's at once; dnsmasq then discards the Request naming kea.
    expect: (v) => [info('RED-SERVER-PREFERENCE-SUPPORT', v.advs(0, 1)), ...v.replyPrefs],
  },
];

const missing = (s: Scenario): string | undefined =>
  [CLIENT_BIN[s.client], ...s.servers.map((x) => SERVER_BIN[x.kind])].find((b) => !have(b));

describe.skipIf(!!skip)('server selection by real clients', () => {
  beforeAll(() => {
    cleanStale();
    const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    if (!existsSync(`${ROOT}dist/cli/index.js`) && b.status !== 0) throw new Error(`build failed: ${b.stdout}`);
  });
  afterAll(() => cleanStale());

  for (const s of SCENARIOS) {
    it(s.name, async (ctx) => {
      const gone = missing(s);
      if (gone) ctx.skip(`${gone} is not installed`);
      const lab = new Lab('pref');
      try {
        const r = await runSelection(lab, s.servers, [s.client]);
        const v = new View(r);
        const why = `\n${listing(r.seen.filter((m) => m.transport === 'udp'))}\n${findingLines(r.report)}`;
        // The exchange completed: a Reply with the lease from the chosen server.
        expect(s.chosen, `chosen server${why}`).toContain(v.chosen);
        expect(r.seen.some((m) => m.msgType === T.REPLY && m.src === r.serverAddr(v.chosen)), `reply${why}`).toBe(true);
        // Every other server discards the Request that names the chosen one (RFC 8415 §16.4).
        expect(r.seen.filter((m) => m.msgType === T.REPLY && m.src !== r.serverAddr(v.chosen)).map((m) => m.frame), `replies${why}`).toEqual([]);
        // Besides the scenario's own: the RFC 3315-era clients' Solicits and Requests lack SOL_MAX_RT (observe.ts).
        expect(r.verdicts, why).toEqual(sorted([...s.expect(v), ...solMaxRtFindings(r.seen)]));
        if (s.example) checkExample(r);
      } finally {
        await lab.close();
      }
    });
  }
});

/** The committed example: capture, text report and findings of the dhcpcd scenario. */
function checkExample(r: SelectionRun): void {
  const findings = r.verdicts.map(({ ruleId, verdict, severity }) => ({ ruleId, verdict, severity }));
  if (process.env.UPDATE_EXAMPLES) {
    mkdirSync(EXAMPLES, { recursive: true });
    copyFileSync(r.capture, `${EXAMPLES}preference.pcap`);
    const text = spawnSync(process.execPath, [`${ROOT}bin/dhcp6audit.js`, 'check', '--no-color', '--fail-on', 'never', 'preference.pcap'], { cwd: EXAMPLES, encoding: 'utf8' });
    writeFileSync(`${EXAMPLES}preference-report.txt`, text.stdout);
    writeFileSync(`${EXAMPLES}preference-findings.json`, JSON.stringify(findings, null, 2) + '\n');
  }
  // Captures of real software differ in timestamps and frame numbers from run to run: compare findings.
  const committed = JSON.parse(readFileSync(`${EXAMPLES}preference-findings.json`, 'utf8'));
  expect(findings).toEqual(committed);
  for (const f of committed) expect(readFileSync(`${EXAMPLES}preference-report.txt`, 'utf8')).toContain(f.ruleId);
}
