// A FIN inside a message (RFC 5460 §5.1 framing): through analyze(), from TCP reassembly to the
// rules. The sender's own close breaks the frame (BLQ-FRAME-SIZE); a server answer to the cut query's
// xid is not proof of a foreign xid; loss, a snaplen that cut the FIN segment, an RST or the capture's
// end inside a message are not a framing violation.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../src/index.js';
import type { Finding } from '../../../src/engine/types.js';
import { BulkScenario, frame, opt } from '../../kit/bulk-scenario.js';
import { writePcap } from '../../kit/pcap-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'dhcp6audit-cut-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(name: string, bytes: Uint8Array): Promise<Finding[]> {
  const p = join(dir, `${name}.pcap`);
  writeFileSync(p, bytes);
  const r = await analyze([p]);
  expect(r.stats.frames).toBeGreaterThan(0);
  return r.findings;
}
const brief = (f: Finding[]): Array<[string, string, number[], number | undefined]> => f.map((x) => [x.ruleId, x.verdict, x.frames, x.xid]);

/** The framed LEASEQUERY with xid 2 (55 octets with its message-size). */
function query2(s: BulkScenario): Uint8Array {
  return frame(s.codec, 14, 2, [opt.clientId(), opt.lqQuery(2, [opt.clientId(0x77)])]);
}

/** One complete query, then the first 10 octets of query 2 and the requestor's FIN; the server answers both. */
function requestorCut(): BulkScenario {
  const s = new BulkScenario();
  s.query(1).reply(1).data(1, 5).done(1); // frames 4-11: query, ack, reply, ack, data, ack, done, ack
  s.raw('client', query2(s).subarray(0, 10)); // frame 12, ack 13
  s.tcp.fin('client'); // frame 14, ack 15
  s.reply(2).data(2, 6).done(2); // reply at frame 16
  s.tcp.fin('server');
  return s;
}

describe('a FIN inside a bulk leasequery message', () => {
  it('requestor: BLQ-FRAME-SIZE cites the part-message and the FIN; the REPLY to its xid is only inconclusive', async () => {
    const f = await run('requestor', requestorCut().pcap());
    expect(brief(f)).toEqual([
      ['BLQ-FRAME-SIZE', 'violation', [12, 14], undefined],
      ['BLQ-XID-REPLY', 'inconclusive', [16], 2],
    ]);
    expect(f[0].message).toBe('the requestor closed its direction (FIN) after only 10 of the 55 octets framed by message-size 53 (msg-type 14, xid 2): the message was cut short');
    expect(f[1].message).toBe("LEASEQUERY-REPLY with xid 2 matches no query seen, but the requestor's last message had this xid, and its FIN cut that message short");
  });

  it('requestor, cut before its xid: an answer with any unknown xid is inconclusive', async () => {
    const s = new BulkScenario();
    s.query(1).reply(1).data(1, 5).done(1);
    s.raw('client', query2(s).subarray(0, 4)); // size, type and one xid octet
    s.tcp.fin('client');
    s.reply(7);
    s.tcp.fin('server');
    const f = await run('before-xid', s.pcap());
    expect(brief(f)).toEqual([['BLQ-FRAME-SIZE', 'violation', [12, 14], undefined], ['BLQ-XID-REPLY', 'inconclusive', [16], 7]]);
    expect(f[0].message).toContain('after only 4 of the 55 octets framed by message-size 53 (msg-type 14)');
    expect(f[1].message).toContain("the requestor's FIN cut its last message short before its xid");
  });

  it('requestor cut with a known xid: an answer with another unknown xid is still a violation', async () => {
    const s = new BulkScenario();
    s.query(1).reply(1).data(1, 5).done(1);
    s.raw('client', query2(s).subarray(0, 10));
    s.tcp.fin('client');
    s.reply(9);
    s.tcp.fin('server');
    expect(brief(await run('other-xid', s.pcap()))).toEqual([['BLQ-FRAME-SIZE', 'violation', [12, 14], undefined], ['BLQ-XID-REPLY', 'violation', [16], 9]]);
  });

  it('server: a DATA cut by its FIN is a framing violation, and the query it streamed ended without DONE', async () => {
    const s = new BulkScenario();
    s.query(1).reply(1).data(1, 5); // data at frame 8, ack 9
    const d = frame(s.codec, s.codec.codes['LEASEQUERY-DATA'], 1, [opt.clientData(6)]);
    s.raw('server', d.subarray(0, d.length - 3)); // frame 10, ack 11
    s.tcp.fin('server'); // frame 12
    s.tcp.fin('client');
    const f = await run('server', s.pcap());
    expect(brief(f).find((x) => x[0] === 'BLQ-FRAME-SIZE')).toEqual(['BLQ-FRAME-SIZE', 'violation', [10, 12], undefined]);
    expect(f.find((x) => x.ruleId === 'BLQ-FRAME-SIZE')!.message).toMatch(/^the server closed its direction \(FIN\) after only \d+ of the \d+ octets framed by message-size \d+ \(msg-type 17, xid 1\)/);
    expect(brief(f).find((x) => x[0] === 'BLQ-DONE-AFTER-BINDINGS')?.[1]).toBe('violation');
  });

  it('no finding when octets before the FIN were lost, an RST ends the message, or the capture ends inside it', async () => {
    const lost = requestorCut();
    lost.tcp.drop(11); // frame 12, the part-message, never captured (the server's ACK shows it was sent)
    const f = await run('lost', lost.pcap());
    expect(f.filter((x) => x.ruleId === 'BLQ-FRAME-SIZE')).toEqual([]);
    expect(brief(f).find((x) => x[0] === 'BLQ-XID-REPLY')).toEqual(['BLQ-XID-REPLY', 'inconclusive', [15], 2]);

    const reset = new BulkScenario();
    reset.query(1).reply(1).data(1, 5).done(1);
    reset.raw('client', query2(reset).subarray(0, 10));
    reset.tcp.rst('client');
    expect(await run('rst', reset.pcap())).toEqual([]);

    const ended = new BulkScenario();
    ended.query(1).reply(1).data(1, 5).done(1);
    ended.raw('client', query2(ended).subarray(0, 10), { ack: false });
    expect((await run('ended', ended.pcap())).filter((x) => x.ruleId === 'BLQ-FRAME-SIZE')).toEqual([]);
  });

  it('a snaplen that cut the segment carrying the last octets and the FIN: a gap, not a cut message', async () => {
    const s = new BulkScenario();
    s.query(1).reply(1).data(1, 5).done(1);
    s.raw('client', query2(s), { ack: false }); // frame 12: the whole query 2 …
    s.tcp.segments[s.tcp.segments.length - 1].fin = true; // … with the FIN
    s.reply(2).data(2, 6).done(2);
    s.tcp.fin('server');
    const records = s.tcp.packets();
    const r = records[11];
    records[11] = { ...r, data: r.data.subarray(0, r.data.length - 20), origLength: r.data.length } as typeof r;
    const f = await run('snaplen', writePcap({ linkType: 1, records }));
    expect(f.filter((x) => x.ruleId === 'BLQ-FRAME-SIZE')).toEqual([]);
    expect(brief(f)).toEqual([['DECODE-TCP', 'violation', [12, 13], undefined], ['BLQ-XID-REPLY', 'inconclusive', [13], 2]]);
    expect(f[0].message).toBe('tcp.gap: 20 octets from the client were not captured after frame 12 (known at frame 13)');
  });

  it('a LEASEQUERY segment missing from the capture, then the REPLY that acknowledges it: the loss is known first', async () => {
    const s = new BulkScenario();
    s.query(1).reply(1).data(1, 5).done(1);
    s.raw('client', query2(s), { ack: false }); // frame 12, dropped below
    s.reply(2).done(2);
    s.close();
    s.tcp.drop(11);
    const f = await run('lost-query', s.pcap());
    expect(brief(f)).toEqual([['DECODE-TCP', 'violation', [4, 12], undefined], ['BLQ-XID-REPLY', 'inconclusive', [12], 2]]);
  });
});
