// Bulk leasequery captures that lost segments where only TCP bookkeeping shows it (RFC 9293 §3.4):
// through analyze(), from reassembly to the rules. A loss the capture proves must make the rules
// that depend on the lost octets inconclusive (RFC 5460 §5.2.1, §5.2.2), never a violation.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../src/index.js';
import type { Finding } from '../../../src/engine/types.js';
import { BulkScenario } from '../../kit/bulk-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'dhcp6audit-loss-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(name: string, s: BulkScenario): Promise<Finding[]> {
  const p = join(dir, `${name}.pcap`);
  writeFileSync(p, s.pcap());
  return (await analyze([p])).findings;
}
const brief = (f: Finding[]): Array<[string, string, number[], number | undefined]> => f.map((x) => [x.ruleId, x.verdict, x.frames, x.xid]);
const NO_ACK = { ack: false };

/** Query, REPLY with bindings, one DATA, DONE, orderly close; no pure ACKs between the messages. */
function unacked(): BulkScenario {
  const s = new BulkScenario(); // 1 SYN, 2 SYN-ACK, 3 ACK
  s.query(1, undefined, NO_ACK).reply(1, undefined, NO_ACK).data(1, 5, NO_ACK).done(1, [], NO_ACK); // 4-7
  return s.close();
}

describe('a SYN-ACK missing from the capture', () => {
  it('the first acknowledgment places the server octets: a lost REPLY is a gap, the DATA after it inconclusive', async () => {
    const s = unacked();
    s.tcp.drop(4); // the REPLY
    s.tcp.drop(1); // the SYN-ACK
    // frames: 1 SYN, 2 ACK, 3 query, 4 DATA, 5 DONE, 6 requestor FIN (acknowledges the REPLY's octets)
    expect(brief(await run('synack-reply', s))).toEqual([
      ['BLQ-DATA-AFTER-REPLY', 'inconclusive', [3, 6], 1],
      ['DECODE-TCP', 'violation', [4, 6], undefined],
    ]);
  });

  it('with nothing else lost the exchange is judged as usual', async () => {
    const s = unacked();
    s.tcp.drop(1);
    expect(await run('synack', s)).toEqual([]);
  });
});

describe('an RST after octets the capture lost', () => {
  it("the server's RST sequence number shows its lost DONE: BLQ-DONE-AFTER-BINDINGS is inconclusive", async () => {
    const s = new BulkScenario();
    s.query(1).reply(1).data(1, 5).done(1, [], NO_ACK); // 4 query, 6 REPLY, 8 DATA, 10 DONE
    s.tcp.rst('server');
    s.tcp.drop(9); // the DONE
    expect(brief(await run('rst-done', s))).toEqual([
      ['BLQ-DONE-AFTER-BINDINGS', 'inconclusive', [6, 8, 10], 1],
      ['DECODE-TCP', 'violation', [8, 10], undefined],
    ]);
  });

  it("the requestor's RST acknowledges the lost DONE: the loss is reported (the requestor's abort decides nothing)", async () => {
    const s = new BulkScenario();
    s.query(1).reply(1).data(1, 5).done(1, [], NO_ACK);
    s.tcp.rst('client');
    s.tcp.drop(9);
    const f = await run('rst-ack-done', s);
    expect(brief(f)).toEqual([['DECODE-TCP', 'violation', [8, 10], undefined]]);
    expect(f[0].message).toBe('tcp.gap: 6 octets from the server were not captured after frame 8 (known at frame 10)');
  });

  it('an RST right after a captured DONE: nothing lost, no finding', async () => {
    const s = new BulkScenario();
    s.query(1).reply(1).data(1, 5).done(1, [], NO_ACK);
    s.tcp.rst('server');
    expect(await run('rst-ok', s)).toEqual([]);
  });

  it('a server that really closed without DONE is still reported', async () => {
    const s = new BulkScenario();
    s.query(1).reply(1).data(1, 5, NO_ACK);
    s.tcp.rst('server');
    const f = await run('rst-no-done', s);
    expect(brief(f)).toEqual([['BLQ-DONE-AFTER-BINDINGS', 'violation', [6, 8, 9], 1]]);
  });
});
