// RED-STATEFUL-CLIENT: the redundant design assumes clients run stateful DHCPv6 for at least one address
// (RFC 6853 §2 assumption 3, §3 assumption 4, §5.3). A client that, where several servers answer, only
// sent Information-requests, or Solicits without IA_NA, is noted at the end of the input. A later Solicit
// with IA_NA would place it inside the assumptions, so the note is inconclusive: "as far as captured".
// PD-only clients are left alone (§2.1 puts prefix delegation outside the document's scope).
import type { Events } from '../../correlate/events.js';
import type { UdpTransaction } from '../../correlate/client-events.js';
import { hasOption } from '../../dhcpv6/helpers.js';
import type { Party } from '../../engine/types.js';
import type { RuleModule } from '../../engine/types.js';
import { partyOf } from '../client-common.js';

const SOLICIT = 1;
const INFORMATION_REQUEST = 11;
const OPTION_IA_NA = 3;
const OPTION_IA_PD = 25;

/** What settles a client (it is then never judged): bits of one transaction's messages. */
const ASKED_NA = 1; // some message carried an IA_NA: a stateful address client
const ASKED_PD = 2; // some message carried an IA_PD: a PD client, out of RFC 6853's scope (§2.1)
const DAMAGED = 4; // a cut or malformed message may have lost its IA_NA (trap TRUNC)

/**
 * The clients settled so far, as a Bloom filter of their keys (two bits each): fixed memory
 * whatever the number of clients. A false match only takes a client for settled, so it can hide a note,
 * never raise one.
 */
class SettledFilter {
  private readonly bits: Int32Array;
  private readonly mask: number;
  private a = 0;
  private b = 0;
  constructor(kib: number) {
    let words = 1;
    while (words * 4 < kib * 1024) words *= 2;
    this.bits = new Int32Array(words);
    this.mask = words * 32 - 1;
  }
  /**
   * Hashes `key` for has() and add(): FNV-1a over its length and last 16 characters (DUIDs differ at
   * their end: link-layer address, enterprise identifier, UUID), the second bit derived from the first.
   */
  key(key: string): void {
    let h = 0x811c9dc5 ^ key.length;
    for (let i = key.length > 16 ? key.length - 16 : 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    const g = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) | 1;
    this.a = h & this.mask;
    this.b = (h + g) & this.mask;
  }
  has(): boolean {
    const a = this.a;
    const b = this.b;
    return (this.bits[a >>> 5] & (1 << (a & 31))) !== 0 && (this.bits[b >>> 5] & (1 << (b & 31))) !== 0;
  }
  add(): void {
    const a = this.a;
    const b = this.b;
    this.bits[a >>> 5] |= 1 << (a & 31);
    this.bits[b >>> 5] |= 1 << (b & 31);
  }
  clear(): void {
    this.bits.fill(0);
  }
}

/** A client seen sending only messages outside the assumptions so far. */
interface Candidate {
  client: Party;
  frame: number;
  time: number;
  infoRequests: number;
  solicits: number;
}

export const redStatefulClient: RuleModule<Events> = {
  create(ctx) {
    const cap = ctx.options['max-candidates'] as number;
    const settled = new SettledFilter(ctx.options['filter-kib'] as number);
    const candidates = new Map<string, Candidate>();
    let limitReported = false;
    // Whether two servers (by Server-ID) answered anything on this input: the first DUID is kept only.
    let firstServer: string | undefined;
    let several = false;

    const onEnd = (tx: UdpTransaction): void => {
      if (!several) {
        for (let i = 0; i < tx.responses.length; i++) {
          const d = tx.responses[i].server.duid;
          if (d === undefined || d === firstServer) continue;
          if (firstServer === undefined) firstServer = d;
          else { several = true; break; }
        }
      }
      const key = tx.client.duid ?? tx.client.address;
      if (key === undefined) return;
      settled.key(key);
      if (settled.has()) return; // most clients: settled by their first Solicit
      let bits = 0;
      for (let i = 0; i < tx.requests.length; i++) {
        const t = tx.requests[i];
        if (hasOption(t.message, OPTION_IA_NA)) bits |= ASKED_NA;
        if (hasOption(t.message, OPTION_IA_PD)) bits |= ASKED_PD;
        if (t.damage !== undefined) bits |= DAMAGED;
      }
      if (bits !== 0) {
        settled.add();
        candidates.delete(key);
        return;
      }
      if (tx.msgType !== INFORMATION_REQUEST && tx.msgType !== SOLICIT) return;
      let c = candidates.get(key);
      if (c === undefined) {
        const t = tx.requests[0];
        if (candidates.size >= cap) {
          if (!limitReported) {
            limitReported = true;
            ctx.report({ messageId: 'limit', verdict: 'inconclusive', frames: [t.frame], time: t.time, client: partyOf(tx.client), data: { max: cap } });
          }
          return;
        }
        c = { client: partyOf(tx.client) ?? {}, frame: t.frame, time: t.time, infoRequests: 0, solicits: 0 };
        candidates.set(key, c);
      }
      if (tx.msgType === SOLICIT) c.solicits++;
      else c.infoRequests++;
    };

    return {
      'udp:transaction-end': onEnd,
      'capture:end': () => {
        if (several) {
          for (const c of candidates.values()) {
            // RFC 6853 §2 (3), §5.3: at least one address through stateful DHCPv6. Inconclusive: the
            // client may still ask for an address after the capture (or did before it began).
            const messageId = c.solicits === 0 ? 'stateless-only' : 'solicit-without-ia-na';
            ctx.report({
              messageId, verdict: 'inconclusive', frames: [c.frame], time: c.time, client: c.client,
              data: { infoRequests: c.infoRequests, solicits: c.solicits },
            });
          }
        }
        settled.clear();
        candidates.clear();
        limitReported = false;
        firstServer = undefined;
        several = false;
      },
    };
  },
};
