// End to end through analyze(): the RFC 5460 §6.5.1 interleaving example gives no finding, and
// breaking one mission requirement at a time gives exactly that rule.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../src/index.js';
import { BulkScenario, frame, opt } from '../../kit/bulk-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'dhcp6audit-bulk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
async function findings(s: BulkScenario, name: string): Promise<Array<[string, string, number | undefined]>> {
  const p = join(dir, `${name}.pcap`);
  writeFileSync(p, s.pcap());
  const r = await analyze([p]);
  return r.findings.map((f) => [f.ruleId, f.verdict, f.xid]);
}

/** RFC 5460 §6.5.1: two queries (xid 3 and 4) on one connection, answers interleaved. */
function example(): BulkScenario {
  const s = new BulkScenario();
  s.batch('client', [frame(s.codec, 14, 3, [opt.clientId(), opt.lqQuery(2, [opt.clientId(0x77)])]),
    frame(s.codec, 14, 4, [opt.clientId(), opt.lqQuery(2, [opt.clientId(0x78)])])]);
  return s;
}

describe('bulk leasequery end to end', () => {
  it('§6.5.1 interleaved example: no finding', async () => {
    const s = example();
    s.reply(3).reply(4).data(4, 0x81).data(3, 0x82).data(4, 0x83).done(3).done(4).close();
    expect(await findings(s, 'ok')).toEqual([]);
  });

  it('DONE after an empty REPLY: only BLQ-NO-DONE-AFTER-EMPTY', async () => {
    const s = example();
    s.reply(3).emptyReply(4).data(3, 0x82).done(3).done(4).close();
    expect(await findings(s, 'empty')).toEqual([['BLQ-NO-DONE-AFTER-EMPTY', 'violation', 4]]);
  });

  it('DATA with a wrong xid: only BLQ-XID-DATA', async () => {
    const s = example();
    s.reply(3).reply(4).data(5, 0x82).done(3).done(4).close();
    expect(await findings(s, 'xid')).toEqual([['BLQ-XID-DATA', 'violation', 5]]);
  });

  it('CLIENT_LINK in a REPLY: only BLQ-NO-CLIENT-LINK', async () => {
    const s = example();
    s.reply(3, [opt.serverId(), opt.clientId(), opt.clientData(0x70), opt.clientLink()]).reply(4).done(3).done(4).close();
    expect(await findings(s, 'link')).toEqual([['BLQ-NO-CLIENT-LINK', 'violation', 3]]);
  });
});
