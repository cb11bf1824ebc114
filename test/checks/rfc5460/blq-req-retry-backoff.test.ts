// BLQ-REQ-RETRY-BACKOFF (draft-01 §6.1 only): the intervals between a requestor's failed connection
// attempts must grow (exponential back-off up to BULK_LQ_MAX_RETRY), and an attempt should be given up
// after BULK_LQ_CONN_TIMEOUT. Built as real TCP captures and run through analyze() with the draft-01 profile.
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { analyze } from '../../../src/index.js';
import type { Finding } from '../../../src/engine/types.js';
import { BulkScenario, opt } from '../../kit/bulk-scenario.js';
import { captureBytes, mergeRecords } from '../../kit/udp-scenario.js';
import { DRAFT01_CODES, T0, refusedAttempt, unansweredAttempt } from '../../../fixtures/bulk/common.js';

const ID = 'BLQ-REQ-RETRY-BACKOFF';
const DRAFT = { profile: 'draft-01', config: { codes: DRAFT01_CODES } };

const refused = (port: number, at: number, requestor?: string): BulkScenario => refusedAttempt(port, at, { codes: DRAFT01_CODES, requestor });
const unanswered = (port: number, at: number, resends: number[] = []): BulkScenario => unansweredAttempt(port, at, resends, { codes: DRAFT01_CODES });

/** An attempt that connects: a query answered with an empty REPLY, then both ends close. */
function connected(port: number, at: number): BulkScenario {
  const s = new BulkScenario({ start: at, requestor: { port }, codes: DRAFT01_CODES });
  s.query(1, [opt.clientId(), opt.lqQuery(2, [opt.clientId(0x77)])]).emptyReply(1);
  s.tcp.fin('client');
  s.tcp.fin('server');
  return s;
}

async function run(scenarios: BulkScenario[], options: Record<string, unknown> = DRAFT): Promise<Finding[]> {
  const bytes = captureBytes(mergeRecords(...scenarios.map((s) => s.tcp.packets())));
  const report = await analyze([{ stream: Readable.from([bytes]), name: 'attempts' }], options as never);
  return report.findings.filter((f) => f.ruleId === ID);
}

/** The first SYN frame of each attempt, by the order of their start (each refused attempt is SYN + RST). */
const brief = (fs: Finding[]) => fs.map((f) => [f.verdict, f.severity, f.level, f.frames]);

describe(ID, () => {
  it('accepts refused attempts 1, 2, 4, 8 s apart (doubling), then a connection', async () => {
    const starts = [0, 1, 3, 7, 15];
    const fs = await run([...starts.map((t, i) => refused(41000 + i, T0 + t)), connected(41100, T0 + 31)]);
    expect(fs).toEqual([]);
  });

  it('reports refused attempts retried every 5 s: the second interval did not grow', async () => {
    const fs = await run([0, 5, 10, 15].map((t, i) => refused(41000 + i, T0 + t)));
    // Each attempt is two frames (SYN, RST): the SYNs are frames 1, 3, 5, 7.
    expect(brief(fs)).toEqual([['violation', 'error', 'MUST', [1, 3, 5]]]);
    expect(fs[0].message).toBe('Requestor [2001:db8::9] retried its connection to server [2001:db8::1]:547 5 s after its previous failed attempt, which had itself come 5 s after the one before: the interval did not grow, but draft-01 §6.1 requires exponential back-off between attempts, up to BULK_LQ_MAX_RETRY (60 s).');
    expect(fs[0].spec).toEqual({ doc: 'draft-ietf-dhc-dhcpv6-bulk-leasequery-01', section: '6.1' });
  });

  it('reports an interval that shrinks, where it shrinks', async () => {
    const fs = await run([0, 2, 6, 8].map((t, i) => refused(41000 + i, T0 + t)));
    expect(brief(fs)).toEqual([['violation', 'error', 'MUST', [3, 5, 7]]]);
    expect(fs[0].message).toMatch(/ 2 s after its previous failed attempt, which had itself come 4 s after/);
  });

  it('lets the interval stay at BULK_LQ_MAX_RETRY (60 s) once it got there', async () => {
    const fs = await run([0, 16, 48, 108, 168, 228].map((t, i) => refused(41000 + i, T0 + t)));
    expect(fs).toEqual([]);
  });

  it('does not take the kernel\'s SYN resends for retries', async () => {
    // One attempt resending its SYN after 1, 2 and 4 s, given up; the next attempt 20 s after its first SYN.
    const fs = await run([unanswered(41000, T0, [1, 2, 4]), refused(41001, T0 + 20), refused(41002, T0 + 60)]);
    expect(fs).toEqual([]);
  });

  it('judges intervals after an unanswered attempt like those after a refused one', async () => {
    const fs = await run([unanswered(41000, T0, [1]), unanswered(41001, T0 + 10, [1]), unanswered(41002, T0 + 20, [1])]);
    // Frames: each attempt is its SYN and one resend: 1, 2 | 3, 4 | 5, 6.
    expect(brief(fs)).toEqual([['violation', 'error', 'MUST', [1, 3, 5]]]);
  });

  it('starts over after an attempt that connected', async () => {
    const fs = await run([refused(41000, T0), refused(41001, T0 + 5), connected(41002, T0 + 15), refused(41003, T0 + 100), refused(41004, T0 + 101), refused(41005, T0 + 103)]);
    expect(fs).toEqual([]);
  });

  it('stands aside when an attempt is still resending its SYN as the next begins (attempts side by side)', async () => {
    // The first attempt resends its SYN 6 s in, after the second began at 5 s: two requestor processes, or one not waiting.
    const fs = await run([unanswered(41000, T0, [6]), refused(41001, T0 + 5), refused(41002, T0 + 10), refused(41003, T0 + 20)]);
    expect(fs).toEqual([]);
  });

  it('follows each requestor and server apart', async () => {
    const fs = await run([
      refused(41000, T0, '2001:db8::9'), refused(42000, T0 + 2.5, '2001:db8::a'),
      refused(41001, T0 + 5, '2001:db8::9'), refused(42001, T0 + 7.5, '2001:db8::a'),
      refused(41002, T0 + 15, '2001:db8::9'), refused(42002, T0 + 17.5, '2001:db8::a'),
    ]);
    expect(fs).toEqual([]);
  });

  it('starts over after an attempt whose SYN the capture missed but whose SYN-ACK it shows (it connected)', async () => {
    const late = new BulkScenario({ start: T0 + 10, requestor: { port: 41001 }, codes: DRAFT01_CODES });
    late.tcp.startMidConnection(1); // SYN-ACK, ACK: no SYN
    late.tcp.rst('client');
    const fs = await run([refused(41000, T0), late, refused(41002, T0 + 20), refused(41003, T0 + 30)]);
    expect(fs).toEqual([]); // 0 → 20 → 30 would not have grown, but the run was broken at 10 s
    const lost = new BulkScenario({ start: T0 + 10, requestor: { port: 41001 }, codes: DRAFT01_CODES });
    lost.tcp.startMidConnection(3); // joined after the handshake: not an attempt, nothing to tell
    lost.tcp.rst('client');
    const all = await run([refused(41000, T0), refused(41001, T0 + 5), lost, refused(41002, T0 + 10)]);
    expect(brief(all)).toEqual([['violation', 'error', 'MUST', [1, 3, 6]]]);
  });

  it('warns once when one attempt goes on sending SYNs past BULK_LQ_CONN_TIMEOUT (30 s)', async () => {
    // A kernel's default resends at 1, 3, 7, 15, 31 and 63 s: the attempt was not given up after 30 s.
    const fs = await run([unanswered(41000, T0, [1, 2, 4, 8, 16, 32])]);
    expect(brief(fs)).toEqual([['violation', 'warning', 'SHOULD', [1, 7]]]);
    expect(fs[0].message).toBe('Requestor [2001:db8::9] went on sending SYNs to server [2001:db8::1]:547 for 63.006 s in one connection attempt without an answer: draft-01 §6.1 has a requestor ready to give an attempt up after BULK_LQ_CONN_TIMEOUT (30 s).');
    expect(fs[0].connection).toBe('[2001:db8::9]:41000 > [2001:db8::1]:547');
  });

  it('accepts SYN resends up to the timeout, and ones answered by a SYN-ACK in the end', async () => {
    expect(await run([unanswered(41000, T0, [1, 2, 4, 8, 16])])).toEqual([]); // last SYN at 31 s
    const slow = new BulkScenario({ start: T0, requestor: { port: 41001 }, codes: DRAFT01_CODES });
    slow.tcp.retransmit(0, { at: 1, delay: 40 }); // the SYN again 40 s later, before the SYN-ACK
    expect(await run([slow])).toHaveLength(1); // the resend at 40 s came before the server answered
    const answered = new BulkScenario({ start: T0, requestor: { port: 41002 }, codes: DRAFT01_CODES });
    answered.tcp.retransmit(0, { delay: 40 }); // a stray copy of the SYN after the connection is up
    expect(await run([answered])).toEqual([]);
  });

  it('is off in the RFC 5460 profile', async () => {
    expect(await run([0, 5, 10, 15].map((t, i) => refused(41000 + i, T0 + t)), {})).toEqual([]);
  });
});
