// Bulk leasequery captures that lost segments where only TCP bookkeeping shows it (RFC 9293 §3.4),
// or that missed a connection's end before its 4-tuple was reused: through analyze(), from reassembly
// to the rules. What the capture could not see makes the rules that depend on it inconclusive
// (RFC 5460 §5.2.1, §5.2.2, §6.5), never a violation.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../src/index.js';
import type { Finding } from '../../../src/engine/types.js';
import { BulkScenario } from '../../kit/bulk-scenario.js';
import { writePcap } from '../../kit/pcap-writer.js';

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

describe('a new connection on the same addresses and ports', () => {
  /** The first connection: query 1 answered REPLY, DATA, DONE (frames 1-11), at 1700000000. */
  const first = (): BulkScenario => new BulkScenario().query(1).reply(1).data(1, 5).done(1);
  /** A later connection from the same port with new initial sequence numbers; it reuses xid 1. */
  const second = (): BulkScenario => new BulkScenario({ start: 1700000100, isn: [900000, 7000000] })
    .query(1).reply(1).data(1, 6).done(1).query(2).emptyReply(2).close();
  async function both(name: string, a: BulkScenario): Promise<Finding[]> {
    const p = join(dir, `${name}.pcap`);
    writeFileSync(p, writePcap({ linkType: 1, records: [...a.tcp.packets(), ...second().tcp.packets()] }));
    const r = await analyze([p]);
    expect(r.stats.bulkConnections).toBe(2);
    return r.findings;
  }

  it("after a close whose server FIN was lost: the new SYN starts a new connection, its answers are its own", async () => {
    const a = first().close();
    a.tcp.drop(a.tcp.segments.length - 2); // the server's FIN
    // Only the FIN's own sequence number, acknowledged by the requestor, is missing from the first connection;
    // that lost FIN is the server's close after the requestor's, so BLQ-SRV-CLOSE-AFTER-PEER-CLOSE cannot judge it.
    expect(brief(await both('reuse-fin-lost', a))).toEqual([
      ['DECODE-TCP', 'violation', [10, 14], undefined],
      ['BLQ-SRV-CLOSE-AFTER-PEER-CLOSE', 'inconclusive', [12, 15], undefined],
    ]);
  });

  it('after a connection whose end was not captured at all: no xid reuse across the two', async () => {
    expect(await both('reuse-no-close', first())).toEqual([]);
  });

  it('a query still streaming when the new connection began is inconclusive, not closed without DONE', async () => {
    const a = new BulkScenario().query(1).reply(1).data(1, 5); // 4 query, 6 REPLY, 8 DATA
    const f = await both('reuse-streaming', a);
    expect(brief(f)).toEqual([['BLQ-DONE-AFTER-BINDINGS', 'inconclusive', [6, 8, 10], 1]]);
    expect(f[0].message).toBe('a new connection on the same addresses and ports began before the LEASEQUERY-DONE of xid 1 was seen (its REPLY returned bindings); how this connection ended was not captured');
  });

  it('a retransmitted SYN after a SYN-ACK whose SYN was not captured is the same connection', async () => {
    const s = new BulkScenario();
    s.tcp.retransmit(0, { at: 2 }); // SYN-ACK lost on its way: the requestor sends its SYN again
    s.tcp.retransmit(1, { at: 3 }); // and the server its SYN-ACK
    s.tcp.drop(0); // the first SYN was not captured
    s.query(1).reply(1).data(1, 5).done(1).close();
    const p = join(dir, 'syn-rtx-after-synack.pcap');
    writeFileSync(p, s.pcap());
    const r = await analyze([p]);
    expect(r.stats.bulkConnections).toBe(1);
    expect(r.findings).toEqual([]);
  });

  it('a retransmitted SYN is the same connection', async () => {
    const s = new BulkScenario();
    s.tcp.retransmit(0, { at: 1 });
    s.query(1).reply(1).data(1, 5).done(1).close();
    const p = join(dir, 'syn-rtx.pcap');
    writeFileSync(p, s.pcap());
    const r = await analyze([p]);
    expect(r.stats.bulkConnections).toBe(1);
    expect(r.findings).toEqual([]);
  });
});

describe('TCP keep-alives', () => {
  it('a keep-alive with one garbage octet before the next sequence number is no conflicting overlap', async () => {
    const s = new BulkScenario().query(1).reply(1).data(1, 5).done(1);
    for (const from of ['client', 'server'] as const) {
      const last = [...s.tcp.segments].reverse().find((g) => g.from === from)!;
      s.tcp.segments.push({ ...last, seq: (last.seq + last.payload.length - 1) >>> 0, payload: new Uint8Array([0]), psh: false, delay: 60 });
      s.tcp.ack(from === 'client' ? 'server' : 'client');
    }
    s.query(2).emptyReply(2).close();
    expect(await run('keepalive', s)).toEqual([]);
  });

  it('a one-octet retransmission elsewhere that differs is still a conflict', async () => {
    const s = new BulkScenario().query(1).reply(1).data(1, 5).done(1);
    const reply = s.tcp.segments[5];
    s.tcp.segments.push({ ...reply, seq: (reply.seq + 10) >>> 0, payload: new Uint8Array([reply.payload[10] ^ 0xff]), delay: 1 });
    s.close();
    expect(brief(await run('one-octet-conflict', s))).toEqual([['DECODE-TCP', 'violation', [12], undefined]]);
  });
});
