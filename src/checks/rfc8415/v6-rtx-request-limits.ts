// V6-RTX-REQUEST-LIMITS: a Request is retransmitted with IRT REQ_TIMEOUT, MRT REQ_MAX_RT and at most
// REQ_MAX_RC transmissions (RFC 8415 §18.2.2, §15, §7.6). It owns every timing defect of a Request:
// V6-RTX-BACKOFF stands aside for Requests.
import { limitsRule } from '../rtx-common.js';

export const v6RtxRequestLimits = limitsRule({
  event: 'udp:transaction-end', msgType: 3, name: 'Request',
  irt: ['REQ_TIMEOUT', 1], mrt: ['REQ_MAX_RT', 30], mrc: ['REQ_MAX_RC', 10],
});
