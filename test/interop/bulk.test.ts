// Bulk Leasequery (RFC 5460) over real kernel TCP between namespaces: a scripted responder and
// requestor (bulk-peer.mjs), MTU 1280, tiny and large writes; conformant runs and each violation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Lab, cleanStale, skipReason, sleep } from './harness.js';
import { judge, messages, T, type Seen, type Verdict } from './observe.js';

const skip = skipReason();
if (skip) console.warn(`interop/bulk skipped: ${skip}`);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PEER = fileURLToPath(new URL('./bulk-peer.mjs', import.meta.url));
const SERVER = '2001:db8:1::1';

type Step = Record<string, unknown>;
interface Plan { queries: Array<{ xid: number }>; steps: Step[]; pipelined?: boolean; writes?: 'tiny' | 'large'; serverCloses?: boolean }

interface BulkRun {
  seen: Seen[]; verdicts: Verdict[]; tcpSegments: number; maxSegment: number; received: number; capture: string;
  /** Frame of the server's first FIN (0: none), from tshark. */
  serverFin: number;
}

async function runBulk(plan: Plan): Promise<BulkRun> {
  const lab = new Lab('bulk');
  try {
    const br = lab.addBridge('br0', 1280);
    lab.attach('srv', br, { addrs: [`${SERVER}/64`], mtu: 1280, mac: '02:00:00:00:05:01' });
    lab.attach('req', br, { addrs: ['2001:db8:1::9/64'], mtu: 1280, mac: '02:00:00:00:05:09' });
    const full = { dist: `${ROOT}dist`, server: SERVER, lifetime: 40, ...plan };
    const planFile = lab.file('plan.json', JSON.stringify(full));
    const cap = await lab.capture(br);
    const responder = lab.spawn('srv', 'responder', process.execPath, [PEER, 'responder', planFile]);
    for (let i = 0; i < 100 && !/listening/.test(responder.log()); i++) await sleep(50);
    if (!/listening/.test(responder.log())) throw new Error(`responder: ${responder.log()}`);
    const requestor = lab.spawn('req', 'requestor', process.execPath, [PEER, 'requestor', planFile]);
    await Promise.race([requestor.exited, sleep(45_000)]);
    await Promise.race([responder.exited, sleep(3_000)]);
    const log = requestor.log();
    if (process.env.BULK_DEBUG) console.log(`requestor: ${log}\nresponder: ${responder.log()}`);
    const capture = await cap.stop();
    const seen = await messages(capture);
    const { verdicts } = await judge(capture);
    // Segment sizes straight from tcpdump's view of the capture: proof the kernel split the writes.
    const lens = spawnSync('tshark', ['-r', capture, '-Y', 'tcp.len > 0', '-T', 'fields', '-e', 'tcp.len'], { encoding: 'utf8' })
      .stdout.split('\n').filter(Boolean).map(Number);
    const fins = spawnSync('tshark', ['-r', capture, '-Y', `tcp.flags.fin == 1 && ipv6.src == ${SERVER}`, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' })
      .stdout.split('\n').filter(Boolean).map(Number);
    return {
      seen, verdicts, tcpSegments: lens.length, maxSegment: Math.max(0, ...lens), serverFin: fins[0] ?? 0,
      received: Number(/received (\d+)/.exec(log)?.[1] ?? -1),
      capture: cap.describe(),
    };
  } finally {
    await lab.close();
  }
}

const of = (r: BulkRun, type: number, xid?: number): Seen[] => r.seen.filter((s) => s.msgType === type && (xid === undefined || s.xid === xid));
const firstFrame = (r: BulkRun, type: number, xid?: number): number => {
  const m = of(r, type, xid)[0];
  if (!m) throw new Error(`no message type ${type} xid ${xid}`);
  return m.frame;
};
const v = (ruleId: string, severity: string, frames: number[]): Verdict => ({ ruleId, verdict: 'violation', severity, frames });

describe.skipIf(!!skip)('bulk leasequery over real TCP (scripted peers)', () => {
  beforeAll(() => {
    cleanStale();
    const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0) console.warn(`tsc reported errors (dist/ still emitted):\n${b.stdout.slice(0, 2000)}`);
  });
  afterAll(() => cleanStale());

  it('two pipelined queries, interleaved replies, 3000 DATA in tiny NODELAY writes at MTU 1280: no finding', async () => {
    const r = await runBulk({
      pipelined: true, writes: 'tiny',
      queries: [{ xid: 0x010203 }, { xid: 0xa0b0c0 }],
      steps: [{ t: 'reply', xid: 0x010203 }, { t: 'reply', xid: 0xa0b0c0 }, { t: 'interleave', xids: [0x010203, 0xa0b0c0], n: 1500 }, { t: 'done', xid: 0xa0b0c0 }, { t: 'done', xid: 0x010203 }],
    });
    expect(r.received).toBe(2 + 3000 + 2);
    expect(of(r, T.LEASEQUERY_DATA, 0x010203).length, r.capture).toBe(1500);
    expect(of(r, T.LEASEQUERY_DATA, 0xa0b0c0).length, r.capture).toBe(1500);
    expect(of(r, T.LEASEQUERY_DONE).length, r.capture).toBe(2);
    expect(r.maxSegment).toBeLessThanOrEqual(1280 - 40 - 20);
    expect(r.verdicts).toEqual([]);
  });

  it('one query, 4000 DATA in one large write split by the kernel at MSS: no finding', async () => {
    const r = await runBulk({ writes: 'large', queries: [{ xid: 77 }], steps: [{ t: 'reply', xid: 77 }, { t: 'data', xid: 77, n: 4000 }, { t: 'done', xid: 77 }] });
    expect(r.received).toBe(4002);
    expect(of(r, T.LEASEQUERY_DATA, 77).length, r.capture).toBe(4000);
    // 1280 - IPv6 40 - TCP 20 - timestamps 12 = 1208 octets per full segment.
    expect(r.maxSegment).toBe(1208);
    expect(r.verdicts).toEqual([]);
  });

  it('an empty reply, an error reply and QueryTerminated after data: no finding', async () => {
    const r = await runBulk({
      queries: [{ xid: 1 }, { xid: 2 }, { xid: 3 }],
      steps: [{ t: 'empty', xid: 1 }, { t: 'error', xid: 2, status: 9 }, { t: 'reply', xid: 3 }, { t: 'data', xid: 3, n: 5 }, { t: 'done', xid: 3, status: 11 }],
      serverCloses: true, // RFC 5460 §7.4: QueryTerminated, then the server closes
    });
    expect(r.received).toBe(1 + 1 + 1 + 5 + 1);
    expect(r.verdicts).toEqual([]);
  });

  it('DONE after an empty reply: BLQ-NO-DONE-AFTER-EMPTY', async () => {
    const r = await runBulk({ queries: [{ xid: 5 }], steps: [{ t: 'empty', xid: 5 }, { t: 'done', xid: 5 }] });
    expect(r.verdicts).toEqual([v('BLQ-NO-DONE-AFTER-EMPTY', 'error', [firstFrame(r, T.LEASEQUERY_REPLY, 5), firstFrame(r, T.LEASEQUERY_DONE, 5)])]);
  });

  it('DONE after an error reply: BLQ-DONE-NOT-AFTER-ERROR-REPLY only', async () => {
    const r = await runBulk({ queries: [{ xid: 6 }], steps: [{ t: 'error', xid: 6, status: 9 }, { t: 'done', xid: 6 }] });
    expect(r.verdicts).toEqual([v('BLQ-DONE-NOT-AFTER-ERROR-REPLY', 'error', [firstFrame(r, T.LEASEQUERY_REPLY, 6), firstFrame(r, T.LEASEQUERY_DONE, 6)])]);
  });

  it('DATA and DONE with a transaction-id no query used: BLQ-XID-DATA and BLQ-XID-DONE', async () => {
    const r = await runBulk({ queries: [{ xid: 0x111111 }], steps: [{ t: 'reply', xid: 0x111111 }, { t: 'data', xid: 0x111111, n: 2 }, { t: 'data', replyXid: 0x222222, n: 1 }, { t: 'done', xid: 0x111111 }, { t: 'done', replyXid: 0x333333 }] });
    expect(r.verdicts).toEqual([
      v('BLQ-XID-DATA', 'error', [firstFrame(r, T.LEASEQUERY_DATA, 0x222222)]),
      v('BLQ-XID-DONE', 'error', [firstFrame(r, T.LEASEQUERY_DONE, 0x333333)]),
    ]);
  });

  it('a REPLY with a transaction-id no query used: BLQ-XID-REPLY', async () => {
    const r = await runBulk({ queries: [{ xid: 0x444444 }], steps: [{ t: 'reply', replyXid: 0x454545 }, { t: 'done', replyXid: 0x454545 }] });
    // The requestor closes on the unknown DONE (RFC 5460 §5.2.4), which also ends its own query.
    expect(r.verdicts).toEqual([v('BLQ-XID-REPLY', 'error', [firstFrame(r, T.LEASEQUERY_REPLY, 0x454545)])]);
  });

  it('OPTION_CLIENT_LINK in a bulk REPLY: BLQ-NO-CLIENT-LINK', async () => {
    const r = await runBulk({ queries: [{ xid: 8 }], steps: [{ t: 'reply', xid: 8, clientLink: true }, { t: 'data', xid: 8, n: 3 }, { t: 'done', xid: 8 }] });
    expect(r.verdicts).toEqual([v('BLQ-NO-CLIENT-LINK', 'error', [firstFrame(r, T.LEASEQUERY_REPLY, 8)])]);
  });

  it('bindings but no DONE, other query completed, server closes: BLQ-DONE-AFTER-BINDINGS', async () => {
    const r = await runBulk({
      queries: [{ xid: 9 }, { xid: 10 }],
      steps: [{ t: 'reply', xid: 9 }, { t: 'data', xid: 9, n: 10 }, { t: 'reply', xid: 10 }, { t: 'data', xid: 10, n: 3 }, { t: 'done', xid: 10 }],
      serverCloses: true,
    });
    expect(r.verdicts.map((x) => [x.ruleId, x.verdict, x.severity])).toEqual([['BLQ-DONE-AFTER-BINDINGS', 'violation', 'error']]);
    expect(r.verdicts[0].frames[0]).toBe(firstFrame(r, T.LEASEQUERY_REPLY, 9));
  });

  it('bindings and the server closes right after without DONE: BLQ-DONE-AFTER-BINDINGS (possible abort, warning)', async () => {
    const r = await runBulk({ queries: [{ xid: 12 }], steps: [{ t: 'reply', xid: 12 }, { t: 'data', xid: 12, n: 4 }], serverCloses: true });
    expect(r.verdicts.map((x) => [x.ruleId, x.verdict, x.severity])).toEqual([['BLQ-DONE-AFTER-BINDINGS', 'violation', 'warning']]);
  });

  it('the server closes without any answer to the query: BLQ-ERROR-BEFORE-REPLY (info) on the query and the FIN', async () => {
    const r = await runBulk({ queries: [{ xid: 13 }], steps: [], serverCloses: true });
    expect(r.received).toBe(0);
    expect(r.serverFin, r.capture).toBeGreaterThan(firstFrame(r, T.LEASEQUERY, 13));
    expect(r.verdicts).toEqual([v('BLQ-ERROR-BEFORE-REPLY', 'info', [firstFrame(r, T.LEASEQUERY, 13), r.serverFin])]);
  });
});
