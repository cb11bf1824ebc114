// The check registry: rule id → check module. Two owner files keep parallel work apart:
// bulk-rules.ts (RFC 5460 bulk leasequery and DECODE-*), client-rules.ts (RFC 8415, RFC 6853, RFC 5007 over UDP).
import type { RuleModule } from '../engine/types.js';
import type { Events } from '../correlate/events.js';
import { bulkRules } from './bulk-rules.js';
import { clientRules } from './client-rules.js';

export type Check = RuleModule<Events>;

export const checks: ReadonlyMap<string, Check> = new Map<string, Check>([...bulkRules, ...clientRules]);
