// BLQ-REQ-RETRY-BACKOFF (draft-01 §6.1) over real kernel TCP between namespaces: a requestor connects
// to port 547 of a host where nothing listens, so the kernel answers each SYN with an RST; it retries
// on a schedule. Evenly spaced retries are the violation, doubling intervals conform. The evidence
// frames are the SYNs as tshark numbers them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/index.js';
import { Lab, cleanStale, skipReason } from './harness.js';

const skip = skipReason();
if (skip) console.warn(`interop/retry skipped: ${skip}`);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER = '2001:db8:1::1';
const DRAFT = { profile: 'draft-01', config: { codes: { 'LEASEQUERY-DONE': 246, 'LEASEQUERY-DATA': 247, OPTION_RELAY_ID: 250, QueryTerminated: 240 } } };

/** The requestor: one connection attempt after each delay (seconds), each from a new port, reporting how it ended. */
const REQUESTOR = `
const net = require('node:net');
const delays = JSON.parse(process.argv[1]);
const sleep = (s) => new Promise((r) => setTimeout(r, s * 1000));
(async () => {
  for (const d of delays) {
    await sleep(d);
    await new Promise((done) => {
      const s = net.connect({ host: '${SERVER}', port: 547 });
      s.on('connect', () => { console.log('connected'); s.destroy(); done(); });
      s.on('error', (e) => { console.log(e.code); done(); });
    });
  }
})();
`;

async function attempts(delays: number[]): Promise<{ findings: Array<[string, string, number[]]>; syns: number[]; rsts: number; log: string }> {
  const lab = new Lab('retry');
  try {
    const br = lab.addBridge('br0');
    lab.attach('srv', br, { addrs: [`${SERVER}/64`], mac: '02:00:00:00:06:01' });
    lab.attach('req', br, { addrs: ['2001:db8:1::9/64'], mac: '02:00:00:00:06:09' });
    const cap = await lab.capture(br);
    const req = lab.spawn('req', 'requestor', process.execPath, ['-e', REQUESTOR, JSON.stringify(delays)]);
    await req.exited;
    const capture = await cap.stop();
    const report = await analyze([capture], DRAFT as never);
    const tshark = (filter: string): number[] => spawnSync('tshark', ['-r', capture, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' })
      .stdout.split('\n').filter(Boolean).map(Number);
    return {
      findings: report.findings.map((f) => [f.ruleId, f.severity, [...f.frames]]),
      syns: tshark('tcp.flags.syn == 1 && tcp.flags.ack == 0'),
      rsts: tshark(`tcp.flags.reset == 1 && ipv6.src == ${SERVER}`).length,
      log: req.log(),
    };
  } finally {
    await lab.close();
  }
}

describe.skipIf(!!skip)('connection retries over real TCP (draft-01 profile)', () => {
  beforeAll(() => {
    cleanStale();
    const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
    if (b.status !== 0) console.warn(`tsc reported errors (dist/ still emitted):\n${b.stdout.slice(0, 2000)}`);
  });
  afterAll(() => cleanStale());

  it('retries every 0.4 s after the kernel refuses: BLQ-REQ-RETRY-BACKOFF on the first three SYNs', async () => {
    const r = await attempts([0.5, 0.4, 0.4, 0.4]);
    expect(r.log.match(/ECONNREFUSED/g)).toHaveLength(4);
    expect(r.syns).toHaveLength(4);
    expect(r.rsts).toBe(4);
    expect(r.findings).toEqual([['BLQ-REQ-RETRY-BACKOFF', 'error', r.syns.slice(0, 3)]]);
  });

  it('retries after 0.2, 0.4, 0.8 and 1.6 s: no finding', async () => {
    const r = await attempts([0.5, 0.2, 0.4, 0.8, 1.6]);
    expect(r.log.match(/ECONNREFUSED/g)).toHaveLength(5);
    expect(r.syns).toHaveLength(5);
    expect(r.findings).toEqual([]);
  });
});
