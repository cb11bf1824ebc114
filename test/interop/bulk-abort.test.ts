// A bulk leasequery server aborting a query with a QueryTerminated REPLY (RFC 5460 §5.5, §7.4) or
// rejecting a connection at accept time (§7.1), over real kernel TCP between namespaces, with the
// scripted requestor of bulk-peer.mjs: closing at once after the abort conforms; keeping the connection
// open until the requestor gives up is BLQ-SRV-CLOSE-ON-ABORT; a rejection is BLQ-SRV-REJECT-UNPERMITTED (info).
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Lab, skipReason, sleep } from './harness.js';
import { judge, messages, T, type Seen, type Verdict } from './observe.js';

const skip = skipReason();
if (skip) console.warn(`interop/bulk-abort skipped: ${skip}`);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PEER = fileURLToPath(new URL('./bulk-peer.mjs', import.meta.url));
const SERVER = '2001:db8:1::1';
const REQUESTOR = '2001:db8:1::9';

interface Plan {
  queries: Array<{ xid: number }>; steps: Array<Record<string, unknown>>; serverCloses?: boolean; idleMs?: number;
  /** Instead of bulk-peer's responder: a listener that closes every connection as soon as it accepts it. */
  rejectAll?: boolean;
}

/** A listener on [::]:547 that ends each accepted connection at once (bounded to 20 s). */
const REJECTOR = "setTimeout(() => process.exit(0), 20000); require('node:net').createServer((s) => { s.on('error', () => {}); s.end(); })" +
  ".listen({ host: '::', port: 547 }, () => console.log('listening'));";
interface Run { seen: Seen[]; verdicts: Verdict[]; capture: string; serverFin: number; requestorFin: number }

/** The first FIN frame from `src` in the capture, from tshark (0: none). */
function firstFin(capture: string, src: string): number {
  const out = spawnSync('tshark', ['-r', capture, '-Y', `tcp.flags.fin == 1 && ipv6.src == ${src}`, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' }).stdout;
  return Number(out.split('\n').filter(Boolean)[0] ?? 0);
}

async function run(plan: Plan): Promise<Run> {
  // Only this lab's namespaces and processes are touched: other suites may run beside this one.
  const lab = new Lab('bulk-abort');
  try {
    const br = lab.addBridge('br0', 1280);
    lab.attach('srv', br, { addrs: [`${SERVER}/64`], mtu: 1280, mac: '02:00:00:00:06:01' });
    lab.attach('req', br, { addrs: [`${REQUESTOR}/64`], mtu: 1280, mac: '02:00:00:00:06:09' });
    const planFile = lab.file('plan.json', JSON.stringify({ dist: `${ROOT}dist`, server: SERVER, lifetime: 40, ...plan }));
    const cap = await lab.capture(br);
    const responder = lab.spawn('srv', 'responder', process.execPath, plan.rejectAll ? ['-e', REJECTOR] : [PEER, 'responder', planFile]);
    for (let i = 0; i < 100 && !/listening/.test(responder.log()); i++) await sleep(50);
    if (!/listening/.test(responder.log())) throw new Error(`responder: ${responder.log()}`);
    const requestor = lab.spawn('req', 'requestor', process.execPath, [PEER, 'requestor', planFile]);
    await Promise.race([requestor.exited, sleep(45_000)]);
    await Promise.race([responder.exited, sleep(3_000)]);
    const capture = await cap.stop();
    const seen = await messages(capture);
    const { verdicts } = await judge(capture);
    return { seen, verdicts, capture: cap.describe(), serverFin: firstFin(capture, SERVER), requestorFin: firstFin(capture, REQUESTOR) };
  } finally {
    await lab.close();
  }
}

const replyFrame = (r: Run, xid: number): number => {
  const m = r.seen.find((s) => s.msgType === T.LEASEQUERY_REPLY && s.xid === xid);
  if (!m) throw new Error(`no REPLY for xid ${xid}`);
  return m.frame;
};

describe.skipIf(!!skip)('a bulk server aborting with QueryTerminated over real TCP (scripted peers)', () => {
  beforeAll(() => {
    const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0) console.warn(`tsc reported errors (dist/ still emitted):\n${b.stdout.slice(0, 2000)}`);
  });

  it('QueryTerminated, then the server closes at once: no finding', async () => {
    const r = await run({ queries: [{ xid: 21 }], steps: [{ t: 'error', xid: 21, status: 11 }], serverCloses: true });
    expect(r.serverFin, r.capture).toBeGreaterThan(replyFrame(r, 21));
    expect(r.verdicts).toEqual([]);
  });

  it('QueryTerminated, the server keeps the connection open and the requestor gives up 7 s later: BLQ-SRV-CLOSE-ON-ABORT', async () => {
    const r = await run({ queries: [{ xid: 22 }], steps: [{ t: 'error', xid: 22, status: 11 }], idleMs: 7000 });
    expect(r.requestorFin, r.capture).toBeGreaterThan(replyFrame(r, 22));
    // The server closes only when the requestor has: that close is in time for
    // BLQ-SRV-CLOSE-AFTER-PEER-CLOSE, so the abort rule alone reports.
    expect(r.verdicts).toEqual([{ ruleId: 'BLQ-SRV-CLOSE-ON-ABORT', verdict: 'violation', severity: 'error', frames: [replyFrame(r, 22), r.requestorFin] }]);
  }, 60_000);

  it('the server closes a connection as soon as it accepts it: BLQ-SRV-REJECT-UNPERMITTED (info)', async () => {
    const r = await run({ queries: [], steps: [], rejectAll: true, idleMs: 3000 });
    expect(r.seen, r.capture).toEqual([]);
    expect(r.serverFin, r.capture).toBeGreaterThan(0);
    expect(r.verdicts.map((x) => [x.ruleId, x.verdict, x.severity, x.frames.at(-1)])).toEqual([['BLQ-SRV-REJECT-UNPERMITTED', 'violation', 'info', r.serverFin]]);
  });
});
