// V6-SRV-NO-CACHED-REPLIES: a server answers a retransmitted Request with a Reply built afresh, not the
// octets it sent before (RFC 8415 §18.3.2: SHOULD generate the response again, MUST NOT cache it). Two
// Replies of one server, byte for byte the same, to two transmissions of one Request more than a second
// apart are reported at info: a server that keeps lifetimes unchanged sends the same octets honestly.
// Judged once per Request transaction, on transmissions (copies at relay hops and capture points are
// already one transmission each), and only where the capture shows a real retransmission between them.
import type { Events } from '../../correlate/events.js';
import type { ServerResponse, Transmission, UdpTransaction } from '../../correlate/client-events.js';
import { sameMessage } from '../../correlate/udp-message.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf } from '../client-common.js';
import { seenWhere } from '../rtx-common.js';

const REQUEST = 3;
const REPLY = 7;
/** The catalog's gap (seconds): two identical Replies closer than this are not judged. */
const MIN_GAP = 1;

/** The latest transmission of the request seen at or before `time` (the one an answer then can answer). */
function requestBefore(tx: UdpTransaction, time: number): Transmission | undefined {
  let found: Transmission | undefined;
  for (const q of tx.requests) {
    if (q.time > time) break;
    found = q;
  }
  return found;
}

/** Time of a transmission's latest sighting (its last evidence frame). */
function latest(t: Transmission): number {
  let time = t.time;
  for (const s of t.sightings) if (s.time > time) time = s.time;
  return time;
}

/** The same server: by Server-ID DUID, else (neither has one) by the address it answered from. */
function sameServer(a: ServerResponse, b: ServerResponse): boolean {
  return a.server.duid !== undefined || b.server.duid !== undefined ? a.server.duid === b.server.duid : a.server.address === b.server.address;
}

export const v6SrvNoCachedReplies: RuleModule<Events> = {
  create(ctx) {
    const judge = (tx: UdpTransaction): void => {
      if (tx.msgType !== REQUEST) return;
      const rs = tx.responses;
      if (rs.length < 2) return; // nearly every Request: one Reply
      for (let i = 0; i < rs.length - 1; i++) {
        const a = rs[i];
        if (a.message.msgType !== REPLY || a.damage !== undefined) continue;
        for (let k = i + 1; k < rs.length; k++) {
          const b = rs[k];
          // Trap TRUNC: a cut or malformed Reply shows only part of its octets.
          if (b.message.msgType !== REPLY || b.damage !== undefined) continue;
          if (b.time - a.time <= MIN_GAP || !sameServer(a, b) || !sameMessage(a.message, b.message)) continue;
          // The second answers a retransmission of the Request: another transmission came between them,
          // with a later Elapsed Time (RFC 8415 §21.9). A copy from a second capture point whose clock is
          // skewed keeps its Elapsed Time, and so is no retransmission.
          const qa = requestBefore(tx, a.time);
          const qb = requestBefore(tx, b.time);
          if (!qa || !qb || qa === qb || qa.elapsed === undefined || qb.elapsed === undefined || qb.elapsed <= qa.elapsed) continue;
          // A relay's late delivery of the first Reply is seen only on the client's side of it: the two
          // must have been seen at one place (relay chain) at least.
          if (!seenWhere(a, b)) continue;
          ctx.report({ // RFC 8415 §18.3.2: regenerate, never cache
            messageId: 'identical', frames: framesOf(a, qb, b), time: latest(b), xid: tx.xid,
            client: partyOf(tx.client), server: partyOf(b.server),
            data: { gap: (b.time - a.time).toFixed(2), first: a.frame, second: b.frame },
          });
          return;
        }
      }
    };
    return { 'udp:transaction-end': judge };
  },
};
