// V6-PREF-OPTION-FORMAT: the Preference option is one octet and appears at most once; it belongs in
// Advertise, anywhere else it means nothing (RFC 8415 §21.8, §21). Judged once per transmission.
import type { Events } from '../../correlate/events.js';
import type { ServerResponse } from '../../correlate/client-events.js';
import type { Party, RuleModule } from '../../engine/types.js';
import { partyOf } from '../client-common.js';

export const v6PrefOptionFormat: RuleModule<Events> = {
  create(ctx) {
    const judge = (r: ServerResponse, xid: number, client: Party | undefined): void => {
      let messageId: string | undefined;
      if (r.preferenceState === 'malformed') messageId = 'bad-length'; // RFC 8415 §21.8: option-len 1
      else if (r.preferenceState === 'multiple') messageId = 'multiple'; // RFC 8415 §21: singleton
      else if (r.preferenceState === 'ok' && r.message.msgType !== 2) messageId = 'not-advertise';
      if (!messageId) return;
      const o = r.message.options.find((x) => x.code === 7)!;
      ctx.report({
        messageId, frames: r.frames, time: r.time, xid, client: partyOf(client), server: partyOf(r.server),
        data: { length: o.length, type: r.message.msgType === 7 ? 'Reply' : r.message.msgType === 15 ? 'LEASEQUERY-REPLY' : 'Advertise' },
      });
    };
    return {
      'udp:transaction-end': (tx) => { for (const r of tx.responses) judge(r, tx.xid, tx.client); },
      'lq:transaction-end': (tx) => { for (const r of tx.responses) judge(r, tx.xid, tx.client); },
      'udp:orphan-response': (o) => judge(o.response, o.xid, o.clientDuid !== undefined ? { duid: o.clientDuid, address: o.clientAddress } : { address: o.clientAddress }),
    };
  },
};
