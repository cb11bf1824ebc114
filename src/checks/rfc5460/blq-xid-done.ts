// BLQ-XID-DONE: a LEASEQUERY-DONE carries the xid of a query on its connection (RFC 5460 §5.2, RFC 5007 §4.4.1).
import { unmatchedXidCheck } from '../bulk-util.js';

export const check = unmatchedXidCheck('done');
