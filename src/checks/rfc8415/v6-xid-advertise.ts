// V6-XID-ADVERTISE: an Advertise carries the xid of the Solicit it answers (RFC 8415 §18.3.9, §16.3).
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { judgeOrphan } from '../client-orphans.js';

export const v6XidAdvertise: RuleModule<Events> = {
  create(ctx) {
    return { 'udp:orphan-response': (o) => { if (o.response.message.msgType === 2) judgeOrphan(ctx, o); } };
  },
};
