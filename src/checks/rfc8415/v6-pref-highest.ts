// V6-PREF-HIGHEST: the client prefers the usable Advertise with the highest preference (RFC 8415 §18.2.9).
// The choice of server is judged once (client-common.ts judgeChoice): empty Advertise chosen →
// V6-PREF-IGNORE-EMPTY; pref-255 held → V6-PREF-255-IMMEDIATE; lower-ranked chosen → ABSENT-IS-ZERO / HIGHEST.
import { choiceRule } from '../client-common.js';

export const v6PrefHighest = choiceRule('V6-PREF-HIGHEST');
