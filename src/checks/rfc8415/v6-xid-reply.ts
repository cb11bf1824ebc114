// V6-XID-REPLY: a Reply carries the xid of the client message it answers (RFC 8415 §18.3, §16.10).
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { judgeOrphan } from '../client-orphans.js';

export const v6XidReply: RuleModule<Events> = {
  create(ctx) {
    return { 'udp:orphan-response': (o) => { if (o.response.message.msgType === 7) judgeOrphan(ctx, o); } };
  },
};
