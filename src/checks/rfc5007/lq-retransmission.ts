// LQ-RETRANSMISSION: a requestor retransmits a UDP LEASEQUERY under its xid with IRT LQ_TIMEOUT, MRT
// LQ_MAX_RT and at most LQ_MAX_RC transmissions, no MRD (RFC 5007 §4.3.2, §4.1.4; RFC 8415 §15),
// judged per destination when it queries several servers at once (judgeLimits, runsOf).
import { limitsRule } from '../rtx-common.js';

export const lqRetransmission = limitsRule({
  event: 'lq:transaction-end', msgType: 14, name: 'LEASEQUERY',
  irt: ['LQ_TIMEOUT', 1], mrt: ['LQ_MAX_RT', 10], mrc: ['LQ_MAX_RC', 5],
});
