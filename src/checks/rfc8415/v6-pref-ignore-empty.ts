// V6-PREF-IGNORE-EMPTY: an Advertise offering no addresses and no prefixes plays no part in server selection (RFC 8415 §18.2.9).
// The choice of server is judged once (client-common.ts judgeChoice): empty Advertise chosen →
// V6-PREF-IGNORE-EMPTY; pref-255 held → V6-PREF-255-IMMEDIATE; lower-ranked chosen → ABSENT-IS-ZERO / HIGHEST.
import { choiceRule } from '../client-common.js';

export const v6PrefIgnoreEmpty = choiceRule('V6-PREF-IGNORE-EMPTY');
