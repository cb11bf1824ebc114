// V6-VAL-UNKNOWN-MSGTYPE: clients and servers discard messages of a type they do not know (RFC 8415
// §16), so a server sends nothing back under the xid of a client message of an unassigned type (above
// HIGHEST_ASSIGNED_MSG_TYPE). The correlator follows such messages and collects what servers sent their
// clients under their xids (UnknownTypeExchange); this judges it once the message is no longer followed.
// The relay half (RFC 8415 §19: forward unknown types) is not judged: see the rule's traps.
import type { ServerResponse, Transmission, UnknownTypeExchange } from '../../correlate/client-events.js';
import type { Events } from '../../correlate/events.js';
import { MESSAGE_NAMES } from '../../dhcpv6/names.js';
import type { RuleModule } from '../../engine/types.js';
import { answerPerServer, framesOf, partyOf, statusOnlyAsSeen } from '../client-common.js';

/** A message type as the findings name it. */
function nameOf(type: number): string {
  return MESSAGE_NAMES.get(type) ?? `message of type ${type}`;
}

/** The transmission an answer followed: the latest one sent before it (the first, if none was). */
function answered(x: UnknownTypeExchange, r: ServerResponse): Transmission {
  let t = x.requests[0];
  for (const q of x.requests) if (q.time <= r.time) t = q;
  return t;
}

export const v6ValUnknownMsgtype: RuleModule<Events> = {
  create(ctx) {
    return {
      'udp:unknown-type-end': (x) => {
        const client = partyOf(x.client);
        const type = String(x.msgType);
        if (x.answers.length === 0 && x.shared.length === 0) {
          // Cut short by sessions.max-unknown: an answer may have come unwatched.
          if (x.end === 'limit') {
            ctx.report({
              messageId: 'limit', verdict: 'inconclusive', frames: framesOf(...x.requests), time: x.endTime, xid: x.xid, client, data: { type },
            });
          }
          return;
        }
        if (x.known !== undefined || x.shared.length > 0) {
          // The client used this xid for a message of a known type too: an answer under it may be that one's.
          const all = [...x.answers, ...x.shared].sort((a, b) => a.frame - b.frame);
          const r = all[0];
          const frames = framesOf(answered(x, r), r);
          if (x.known?.frame !== undefined) frames.unshift(x.known.frame);
          ctx.report({
            messageId: 'shared-xid', verdict: 'inconclusive', frames, time: r.time, xid: x.xid, client, server: partyOf(r.server),
            data: { type, response: nameOf(r.message.msgType), known: nameOf(x.known?.msgType ?? 1) },
          });
          return;
        }
        // Each server's first answer only: its further answers are the same defect.
        for (const r of answerPerServer(x.answers)) {
          // RFC 8415 §16: UnspecFail alone is the answer a server may give a message it finds invalid; an
          // answer the snaplen cut may have been that one, unless its captured part rules it out (trap TRUNC).
          const only = statusOnlyAsSeen(r, 1);
          const messageId = only === 'no' ? 'answered' : only === 'unknown' ? 'damaged-answer' : 'unspecfail';
          ctx.report({
            messageId,
            frames: framesOf(answered(x, r), r), time: r.time, xid: x.xid, client, server: partyOf(r.server),
            data: { type, response: nameOf(r.message.msgType) }, // RFC 8415 §16
          });
        }
      },
    };
  },
};
