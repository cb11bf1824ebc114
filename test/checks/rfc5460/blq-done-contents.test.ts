// BLQ-DONE-CONTENTS: DONE carries at most a status code.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-DONE-CONTENTS';

describe(ID, () => {
  it('accepts an empty DONE and one with an error status', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.done(1); c.query(2); c.reply(2); c.done(2, [O.status(11, 'shutting down')]);
    expect(judge(ID, c)).toEqual([]);
  });

  it('warns about other options', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.done(1, [O.serverId(), O.status(0)]);
    const f = judge(ID, c);
    expect(f).toEqual([[ID, 'violation', 'warning', [3], 1]]);
  });

  it('accepts OPTION_LQ_BASE_TIME (RFC 7653 §8.4, §9.3)', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.done(1, [O.status(11), O.opt(100, [0x2f, 0, 0, 0])]);
    expect(judge(ID, c)).toEqual([]);
  });

  it('does not judge a misplaced DONE', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.done(1, [O.serverId()]);
    expect(judge(ID, c)).toEqual([]);
  });
});
