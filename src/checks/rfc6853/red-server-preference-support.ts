// RED-SERVER-PREFERENCE-SUPPORT: in a redundant set the servers are told apart by the Preference they
// advertise, one primary at 255 and the others lower (RFC 6853 §5.1, §6). Graded INFO: two servers
// answering one Solicit with the same value, or several servers and none at 255 (inconclusive when the
// capture ended before the client's first RT was over). A malformed Preference option is V6-PREF-OPTION-FORMAT's.
import type { Events } from '../../correlate/events.js';
import type { ServerResponse } from '../../correlate/client-events.js';
import type { RuleModule } from '../../engine/types.js';
import { FIRST_RT_MIN, framesOf, partyOf } from '../client-common.js';

export const redServerPreferenceSupport: RuleModule<Events> = {
  create(ctx) {
    return {
      'udp:transaction-end': (tx) => {
        if (tx.msgType !== 1) return;
        // Most Solicits are answered by fewer than two servers: count before building anything.
        let first: string | undefined;
        let several = false;
        for (const r of tx.responses) {
          const d = r.server.duid;
          if (r.message.msgType !== 2 || d === undefined || (r.preferenceState !== 'ok' && r.preferenceState !== 'absent')) continue;
          if (first === undefined) first = d;
          else if (d !== first) { several = true; break; }
        }
        if (!several) return;
        const byServer = new Map<string, ServerResponse>();
        for (const r of tx.responses) {
          if (r.message.msgType !== 2 || r.server.duid === undefined) continue;
          if (r.preferenceState !== 'ok' && r.preferenceState !== 'absent') continue;
          if (!byServer.has(r.server.duid)) byServer.set(r.server.duid, r);
        }
        const ads = [...byServer.values()];
        const base = { frames: framesOf(...ads), time: Math.max(...ads.map((a) => a.time)), xid: tx.xid, client: partyOf(tx.client) };
        const seen = new Map<number, ServerResponse>();
        for (const a of ads) {
          const other = seen.get(a.preference);
          if (other) {
            ctx.report({ ...base, frames: framesOf(other, a), time: a.time, messageId: 'undifferentiated', data: { pref: a.preference, servers: byServer.size } });
            return;
          }
          seen.set(a.preference, a);
        }
        if (!seen.has(255)) {
          const data = { servers: byServer.size, prefs: ads.map((a) => a.preference).join('/') };
          // The client collects Advertises for its first RT (RFC 8415 §18.2.1): a capture that stops
          // sooner cannot show that no primary answered.
          const after = tx.endTime - tx.requests[0].time;
          if (tx.end !== 'idle' && after < FIRST_RT_MIN) {
            // Cut short by the end of the capture or by the sessions.max-open limit (a limit is no proof).
            const messageId = tx.end === 'limit' ? 'no-primary-limit' : 'no-primary-cut';
            ctx.report({ ...base, messageId, verdict: 'inconclusive', data: { ...data, after: Math.round(after * 1000) } });
          } else {
            ctx.report({ ...base, messageId: 'no-primary', data });
          }
        }
      },
    };
  },
};
