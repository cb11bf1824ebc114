// BLQ-SRV-MAX-CONNS: more than BULK_LQ_MAX_CONNS (10) bulk connections open at once to one server is
// noted at info (RFC 5460 §7.1); what counts as open, and when the capture cannot show it.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, SharedCapture, messageIdOf, runRule } from '../../kit/rule-harness.js';
import { loadProfile } from '../../../src/engine/load.js';

const ID = 'BLQ-SRV-MAX-CONNS';

/** `n` connections to the server (port `port`), each asking once and answered (empty REPLY); the answer frames. */
function answered(cap: SharedCapture, n: number, port = 547, first = 41000): { conns: BulkConversation[]; starts: number[] } {
  const conns = Array.from({ length: n }, (_, i) => cap.connection(first + i, { serverPort: port }));
  const starts = conns.map((c, i) => { c.query(i + 1); return c.emptyReply(i + 1); });
  return { conns, starts };
}

/** Each connection asks once more and is answered, then both ends close. */
function carryOnAndClose(conns: BulkConversation[]): void {
  conns.forEach((c, i) => { c.query(100 + i); c.emptyReply(100 + i); });
  for (const c of conns) { c.fin(0); c.fin(1); c.close('fin'); }
}

const run = (cap: SharedCapture, opts: Parameters<typeof runRule>[2] = {}) => runRule(ID, cap.events, opts);
const brief = (cap: SharedCapture, opts: Parameters<typeof runRule>[2] = {}) =>
  run(cap, opts).map((f) => [messageIdOf(ID, f), f.verdict, f.severity, f.frames]);

describe(ID, () => {
  it('accepts ten connections open at once (the default limit)', () => {
    const cap = new SharedCapture();
    carryOnAndClose(answered(cap, 10).conns);
    expect(run(cap)).toEqual([]);
  });

  it('notes eleven open at once, once, at info: the evidence is where each began to count', () => {
    const cap = new SharedCapture();
    const { conns, starts } = answered(cap, 11);
    carryOnAndClose(conns);
    const f = run(cap);
    expect(f.map((x) => [x.ruleId, x.verdict, x.severity, x.level, x.frames])).toEqual([[ID, 'violation', 'info', 'MUST', starts]]);
    expect(f[0].message).toBe('11 bulk leasequery connections to server [2001:db8::1]:547 were open at once, more than BULK_LQ_MAX_CONNS (10), the default limit RFC 5460 §7.1 requires: the server\'s limit was raised (configured?), which the RFC allows.');
    expect(f[0].connection).toBeUndefined();
    expect(f[0].spec).toEqual({ doc: 'RFC 5460', section: '7.1, 5.6' });
  });

  it('reports the moment the limit was first passed, once per server and input', () => {
    const cap = new SharedCapture();
    const { conns, starts } = answered(cap, 13);
    carryOnAndClose(conns);
    const again = answered(cap, 12, 547, 42000);
    carryOnAndClose(again.conns);
    const f = run(cap);
    expect(f.map((x) => [messageIdOf(ID, x), x.frames])).toEqual([['above-default', starts.slice(0, 11)]]);
    expect(f[0].message).toMatch(/^11 bulk leasequery connections/);
  });

  it('counts per server address and port', () => {
    const cap = new SharedCapture();
    const a = answered(cap, 6, 547);
    const b = answered(cap, 6, 5470, 43000);
    carryOnAndClose([...a.conns, ...b.conns]);
    expect(run(cap)).toEqual([]);
  });

  it('does not count connections one after another', () => {
    const cap = new SharedCapture();
    for (let i = 0; i < 15; i++) {
      const c = cap.connection(41000 + i);
      c.query(1); c.emptyReply(1); c.fin(0); c.fin(1); c.close('fin');
    }
    expect(run(cap)).toEqual([]);
  });

  it('keeps counting a connection the requestor half-closed, not one the server closed or reset', () => {
    const half = new SharedCapture();
    const h = answered(half, 10);
    h.conns[0].fin(0); // the requestor's half-close: the server may still owe answers
    const h11 = half.connection(41500);
    h11.query(1);
    const start11 = h11.emptyReply(1);
    carryOnAndClose([...h.conns.slice(1), h11]);
    h.conns[0].fin(1); h.conns[0].close('fin'); // the server's FIN, after the moment: it was open then
    expect(brief(half)).toEqual([['above-default', 'violation', 'info', [...h.starts, start11]]]);

    for (const closer of ['fin', 'rst'] as const) {
      const cap = new SharedCapture();
      const ten = answered(cap, 10);
      if (closer === 'fin') ten.conns[0].fin(1); else ten.conns[0].rst(0);
      const eleventh = cap.connection(41500);
      eleventh.query(1); eleventh.emptyReply(1);
      carryOnAndClose([...ten.conns.slice(1), eleventh]);
      ten.conns[0].close(closer);
      expect(run(cap)).toEqual([]);
    }
  });

  it('counts a connection from the server\'s first answer: not one it never answered, nor one refused with NotAllowed', () => {
    const cap = new SharedCapture();
    const ten = answered(cap, 10);
    const silent = cap.connection(41500);
    silent.query(1); // accepted by TCP, never served
    const refused = cap.connection(41501);
    refused.query(1);
    refused.emptyReply(1, [O.status(10, 'connection limit')]);
    refused.fin(1);
    carryOnAndClose(ten.conns);
    silent.fin(0); silent.fin(1); silent.close('fin');
    refused.fin(0); refused.close('fin');
    expect(run(cap)).toEqual([]);
  });

  it('counts a connection seen only from its middle once the server answers on it', () => {
    const cap = new SharedCapture();
    const ten = answered(cap, 10);
    const mid = cap.connection(41500, { syn: false });
    const start = mid.data(0x77, [O.clientData()]); // a DATA of a query the capture did not see
    carryOnAndClose([...ten.conns, mid]);
    expect(brief(cap)).toEqual([['above-default', 'violation', 'info', [...ten.starts, start]]]);
  });

  it('is inconclusive when a connection counted at the moment shows nothing after it and its end was not captured', () => {
    const cap = new SharedCapture();
    const { conns, starts } = answered(cap, 11);
    carryOnAndClose(conns.slice(1));
    conns[0].captureEnd(); // idle since its answer, still open at the end of the capture
    const f = run(cap);
    expect(f.map((x) => [messageIdOf(ID, x), x.verdict, x.severity, x.frames])).toEqual([['unproven', 'inconclusive', 'info', starts]]);
    expect(f[0].message).toBe('11 bulk leasequery connections to server [2001:db8::1]:547 seemed open at once (more than 10), but 1 of them show nothing after that moment and their end was not captured (a lost FIN or RST, a limit, or the end of the capture), so only 10 are known to have been open.');
  });

  it('after an undecidable moment, judges the next one on its own', () => {
    const cap = new SharedCapture();
    const { conns, starts } = answered(cap, 11);
    conns.slice(1).forEach((c, i) => c.query(200 + i)); // the other ten are still there
    conns[0].close('reused'); // a new SYN on its 4-tuple: how it ended was not captured
    const late = cap.connection(41600);
    late.query(1);
    const lateStart = late.emptyReply(1);
    carryOnAndClose([...conns.slice(1), late]);
    expect(brief(cap)).toEqual([
      ['unproven', 'inconclusive', 'info', starts],
      ['above-default', 'violation', 'info', [...starts.slice(1), lateStart]],
    ]);
  });

  it('takes the last packet before an idle timeout, a later query or a FIN as a sign of life', () => {
    for (const sign of ['timeout', 'query', 'fin'] as const) {
      const cap = new SharedCapture();
      const { conns, starts } = answered(cap, 11);
      carryOnAndClose(conns.slice(1));
      const c = conns[0];
      if (sign === 'timeout') c.close('timeout', [0, 0], c.frame + 1);
      else if (sign === 'query') { c.query(50); c.captureEnd(); } else { c.fin(0); c.captureEnd(); }
      expect(brief(cap)).toEqual([['above-default', 'violation', 'info', starts]]);
    }
  });

  it('takes the limit from the profile (BULK_LQ_MAX_CONNS)', () => {
    const profile = loadProfile('rfc5460');
    profile.timers = { ...profile.timers, BULK_LQ_MAX_CONNS: 3 };
    const cap = new SharedCapture();
    const { conns, starts } = answered(cap, 4);
    carryOnAndClose(conns);
    const f = runRule(ID, cap.events, { profile });
    expect(f.map((x) => [x.verdict, x.frames])).toEqual([['violation', starts]]);
    expect(f[0].message).toMatch(/^4 bulk leasequery connections .* more than BULK_LQ_MAX_CONNS \(3\)/);
  });
});
