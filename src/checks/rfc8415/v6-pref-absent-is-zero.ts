// V6-PREF-ABSENT-IS-ZERO: an Advertise without a Preference option ranks as 0, below any explicit higher value (RFC 8415 §18.2.1).
// The choice of server is judged once (client-common.ts judgeChoice): empty Advertise chosen →
// V6-PREF-IGNORE-EMPTY; pref-255 held → V6-PREF-255-IMMEDIATE; lower-ranked chosen → ABSENT-IS-ZERO / HIGHEST.
import { choiceRule } from '../client-common.js';

export const v6PrefAbsentIsZero = choiceRule('V6-PREF-ABSENT-IS-ZERO');
