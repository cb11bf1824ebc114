// V6-ELAPSED-TIME: a client reports in Elapsed Time how long it has been trying to complete the
// exchange: present in every client message, 0 in the first transmission, then the hundredths of a
// second since it, rising with each retransmission and saturating at 0xffff (RFC 8415 §21.9, §15,
// §18.2.3-§18.2.8). Presence in Solicit and Request belongs to V6-SOLICIT-CONTENTS / V6-REQUEST-CONTENTS.
import type { Events } from '../../correlate/events.js';
import type { Transmission, UdpTransaction } from '../../correlate/client-events.js';
import type { RuleModule } from '../../engine/types.js';
import { bodyHex, hasOption, scratchOption, transientOption } from '../../dhcpv6/helpers.js';
import { elapsedOf, unwrap } from '../../correlate/udp-message.js';
import { framesOf, partyOf, relayTolerance, sideOf } from '../client-common.js';
import { ELAPSED_MAX, ms, runsOf, seenWhere } from '../rtx-common.js';

/** A Solicit's or Request's Client-ID, read for its hex at once (transientOption). */
const clientIdScratch = scratchOption();

/** Display names of the client message types judged here (RFC 8415 §7.3). */
const NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'Solicit'], [3, 'Request'], [4, 'Confirm'], [5, 'Renew'], [6, 'Rebind'], [8, 'Release'], [9, 'Decline'], [11, 'Information-request'],
]);
/** Types whose Elapsed Time presence this rule judges (RFC 8415 §18.2.3-§18.2.8). */
const PRESENCE: ReadonlySet<number> = new Set([4, 5, 6, 8, 9, 11]);
/** Shortest retransmission timeout of any of these types: 0.9 · 1 s (RFC 8415 §7.6, §15). */
const MIN_RT = 0.9;
/** A value repeated at or above this (600 s) is a client saturating, if not at 0xffff (RFC 8415 §21.9). */
const NEAR_MAX = 60000;
/** Transmissions closer than this are not retransmissions in the timing sense (the copy window). */
const COPY_WINDOW = 0.5;
/**
 * One tick of a client clock with whole-second resolution (dibbler-client): its Elapsed Time is
 * (floor(now) - floor(start)) · 100, a multiple of 100 hundredths up to 1 s off the true time since its
 * first transmission, either way; and it stays the same until the clock ticks (RFC 8415 §21.9 counts
 * hundredths, the catalog's SIDE trap: the client's clock against the capture's).
 */
const CLOCK_STEP = 1;
/** Capture jitter on the client's own link between two of its transmissions (s). */
const LINK_JITTER = 0.02;

/**
 * What a run's values show of the client's clock: `fine` when one is not a whole second; `coarse` when
 * all are whole seconds and one is not 0 (a fine clock gives a whole second one time in a hundred);
 * `unknown` when all are 0.
 */
function resolutionOf(run: readonly Transmission[]): 'fine' | 'coarse' | 'unknown' {
  let nonzero = false;
  for (const t of run) {
    if (t.elapsed === undefined || t.elapsed === ELAPSED_MAX) continue;
    if (t.elapsed % 100 !== 0) return 'fine';
    if (t.elapsed !== 0) nonzero = true;
  }
  return nonzero ? 'coarse' : 'unknown';
}

function num(options: Readonly<Record<string, unknown>>, key: string, fallback: number): number {
  const v = options[key];
  return typeof v === 'number' && v >= 0 ? v : fallback;
}

export const v6ElapsedTime: RuleModule<Events> = {
  create(ctx) {
    const slack = num(ctx.options, 'slack', 0.5);
    const share = num(ctx.options, 'share', 0.1);
    const firstWindow = num(ctx.options, 'firstWindow', 2);
    const relayTol = relayTolerance(ctx.options);
    /** Time of the input's first UDP message: where the capture began (trap MID). */
    let start = NaN;
    /**
     * Client-ID (hex) → when that client's latest Solicit exchange began by its own count (time less
     * Elapsed Time). Entries older than a Request could count from are dropped every `firstWindow`.
     */
    const solicitStart = new Map<string, number>();
    let pruned = -Infinity;
    /**
     * Frames of bare Requests whose small Elapsed Time matches their client's Solicit, decided when seen
     * (the Request's transaction may end minutes later); removed when that transaction ends.
     */
    const fromSolicit = new Set<number>();

    const report = (tx: UdpTransaction, messageId: string, at: Transmission, data: Record<string, string | number>, ...ts: Transmission[]): void => {
      ctx.report({
        messageId, verdict: messageId === 'drift-relayed' || messageId === 'restarted' || messageId === 'same-second' ? 'inconclusive' : 'violation', data: { type: NAMES.get(tx.msgType) ?? String(tx.msgType), side: sideOf(tx), ...data },
        frames: framesOf(...ts), time: at.time, xid: tx.xid, client: partyOf(tx.client),
      });
    };

    return {
      'message:udp': (r) => {
        if (Number.isNaN(start)) start = r.time;
        if (r.time - pruned > firstWindow + slack + relayTol) {
          for (const [k, v] of solicitStart) if (r.time - v > 2 * (firstWindow + slack + relayTol)) solicitStart.delete(k);
          pruned = r.time;
        }
        const type = r.message.msgType;
        if (type === 3 && solicitStart.size !== 0) {
          // RFC 8415 §5.2 calls Solicit…Reply one four-message exchange: a client may count a Request's
          // Elapsed Time from its Solicit.
          const id = transientOption(r.message, 1, clientIdScratch);
          const e = elapsedOf(r.message);
          const s = id === undefined ? undefined : solicitStart.get(bodyHex(id));
          // A whole-second count may be up to a second ahead of the Solicit's start (CLOCK_STEP).
          const step = e !== undefined && e % 100 === 0 ? CLOCK_STEP : 0;
          if (s !== undefined && e !== undefined && e > 0 && Math.abs(r.time - e / 100 - s) <= slack + relayTol + step) fromSolicit.add(r.frame);
          return;
        }
        const msg = type === 1 ? r.message : type === 12 ? unwrap(r.message).inner : undefined; // unwrap: shared with the correlator
        if (msg?.msgType !== 1) return;
        const id = transientOption(msg, 1, clientIdScratch);
        const e = elapsedOf(msg);
        if (id !== undefined && e !== undefined) solicitStart.set(bodyHex(id), r.time - e / 100);
      },
      'capture:end': () => {
        start = NaN;
        solicitStart.clear();
        fromSolicit.clear();
        pruned = -Infinity;
      },
      'udp:transaction-end': (tx) => {
        if (!NAMES.has(tx.msgType)) return;
        // RFC 8415 §18.2.3-§18.2.8: the client includes Elapsed Time.
        if (PRESENCE.has(tx.msgType)) {
          for (const t of tx.requests) {
            // Trap TRUNC: a datagram the snaplen cut, or whose options did not decode whole, may have
            // carried the option past the damage; only a whole, clean sighting shows it absent.
            if (hasOption(t.message, 8) || t.damage !== undefined) continue;
            report(tx, 'missing', t, {}, t);
            break;
          }
        }
        const run = runsOf(tx, MIN_RT, false)[0];
        const first = run[0];
        // RFC 8415 §21.9: 0 in the first transmission. Only judged when the client's link was captured
        // from before that first transmission would have been sent, and the correlator cannot have
        // split the exchange (`firstWindow`, its answered timeout): else earlier ones preceded the capture.
        // A Request counting from its client's Solicit (fromSolicit) is no evidence of a missed Request.
        let counted = false;
        if (tx.msgType === 3 && fromSolicit.size !== 0) {
          for (const t of tx.requests) for (const f of t.frames) if (fromSolicit.delete(f) && t === first) counted = true;
        }
        if (first.elapsed !== undefined && first.elapsed > 0 && first.minDepth === 0 && first.elapsed / 100 <= firstWindow
          && first.time - first.elapsed / 100 > start + slack && !counted) {
          report(tx, 'first-nonzero', first, { elapsed: first.elapsed * 10 }, first);
        }
        /** The one step back that a restart under the same xid explains, if any. */
        let restart: [Transmission, Transmission] | undefined;
        const resolution = resolutionOf(run);
        /** A value repeated before a whole-second clock need have ticked, when the values do not show it finer. */
        let sameSecond: [Transmission, Transmission] | undefined;
        for (let i = 1; i < run.length; i++) {
          const a = run[i - 1];
          const b = run[i];
          // Seen at different places only, the later one may have been held up on its way (trap RELAY).
          if (a.elapsed === undefined || b.elapsed === undefined || b.time - a.time < COPY_WINDOW || !seenWhere(a, b)) continue;
          // RFC 8415 §15: each retransmission updates Elapsed Time.
          if (b.elapsed <= a.elapsed && !(a.elapsed === ELAPSED_MAX && b.elapsed === ELAPSED_MAX)) {
            // A clock counting whole seconds gives the same value until it ticks: less than a second
            // apart (plus jitter; more upstream of the client), a repeat is no proof of a count not
            // updated. Values seen to move in whole seconds explain it; all 0, the capture cannot tell.
            const within = CLOCK_STEP + (a.minDepth === 0 && b.minDepth === 0 ? LINK_JITTER : relayTol);
            if (b.elapsed === a.elapsed && b.elapsed % 100 === 0 && resolution !== 'fine' && b.time - a.time < within) {
              if (resolution === 'unknown') sameSecond ??= [a, b];
              continue;
            }
            const stuck = a.elapsed === b.elapsed && a.elapsed >= NEAR_MAX;
            // Gone back (a client that counts, not one stuck at a value) to what an exchange begun
            // after `a` would carry: the client may have started a new exchange under the same xid (a new
            // xid is only a SHOULD, RFC 8415 §16.1; a client reseeded at boot repeats its xids), as the
            // timing rules assume. Once only: a second step back is no restart.
            if (!stuck && restart === undefined && b.elapsed < a.elapsed && b.time - b.elapsed / 100 >= a.time - slack) {
              restart = [a, b];
              continue;
            }
            report(tx, stuck ? 'saturation' : 'not-increasing', b, { before: a.elapsed * 10, after: b.elapsed * 10, gap: ms(b.time - a.time) }, a, b);
            return;
          }
        }
        if (sameSecond) {
          const [a, b] = sameSecond;
          report(tx, 'same-second', b, { before: a.elapsed! * 10, after: b.elapsed! * 10, gap: ms(b.time - a.time) }, a, b);
          return; // nothing shows how the client counts: its values against the clock say no more
        }
        if (restart) {
          const [a, b] = restart;
          report(tx, 'restarted', b, { before: a.elapsed! * 10, after: b.elapsed! * 10, gap: ms(b.time - a.time) }, a, b);
          return; // the count against the clock would span two exchanges
        }
        // The client's count against the capture's clock, from the first transmission captured (the
        // difference does not depend on earlier transmissions the capture missed).
        const base = run.find((t) => t.elapsed !== undefined);
        if (!base) return;
        for (const b of run) {
          if (b === base || b.elapsed === undefined || b.elapsed === ELAPSED_MAX) continue;
          const measured = b.time - base.time;
          const told = (b.elapsed - base.elapsed!) / 100;
          const bare = base.minDepth === 0 && b.minDepth === 0;
          // Whole-second counts (seen as such) are up to a second off either way (CLOCK_STEP).
          const allowed = Math.max(slack, share * measured) + (bare ? 0 : relayTol) + (resolution === 'coarse' ? CLOCK_STEP : 0);
          if (Math.abs(told - measured) > allowed) {
            // Trap SIDE: upstream of the client, a relay may have held one of them back (seen up to 20 s).
            report(tx, bare ? 'drift' : 'drift-relayed', b, { told: ms(told), measured: ms(measured) }, base, b);
            return;
          }
        }
      },
    };
  },
};
