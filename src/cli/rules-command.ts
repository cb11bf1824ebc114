// `dhcp6audit rules [ID]`: the catalog as a table or JSON, or one rule explained with its traps.
import type { ChalkInstance } from 'chalk';
import type { Profile, RuleMeta } from '../engine/types.js';

export function renderRules(
  rules: RuleMeta[], profile: Profile, id: string | undefined, format: 'text' | 'json', chalk: ChalkInstance,
): string {
  const enabled = (r: RuleMeta): boolean => !profile.disabledRules.includes(r.id);
  const sorted = [...rules].sort((a, b) => a.id.localeCompare(b.id));
  if (id) {
    const rule = sorted.find((r) => r.id === id.toUpperCase());
    if (!rule) {
      const near = sorted.filter((r) => r.id.includes(id.toUpperCase().split('-')[0])).slice(0, 5).map((r) => r.id);
      throw new RuleNotFoundError(`no rule '${id}'${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`);
    }
    if (format === 'json') return `${JSON.stringify({ ...rule, enabled: enabled(rule) }, null, 2)}\n`;
    const lines = [
      chalk.bold(rule.id),
      `${rule.level} · actor: ${rule.actor} · ${rule.spec.doc} §${rule.spec.section} · scope: ${rule.scope}` +
        ` · ${enabled(rule) ? 'enabled' : 'disabled'} in profile ${profile.name}`,
      '',
      rule.summary,
      '',
      chalk.bold('Traps (what would make a naive check raise a false alarm):'),
      rule.traps,
      '',
      chalk.bold('Findings it can report:'),
      ...Object.entries(rule.messages).map(([mid, t]) =>
        `  ${mid}: ${typeof t === 'string' ? t : `${t.text} [${t.severity}]`}`),
    ];
    if (rule.options) lines.push('', chalk.bold('Options (defaults):'), `  ${JSON.stringify(rule.options.defaults)}`);
    return `${lines.join('\n')}\n`;
  }
  if (format === 'json') {
    return `${JSON.stringify(sorted.map((r) => ({
      id: r.id, level: r.level, actor: r.actor, spec: r.spec, summary: r.summary, enabled: enabled(r),
    })), null, 2)}\n`;
  }
  const rows = sorted.map((r) => [r.id, r.level, r.actor, `${r.spec.doc} §${r.spec.section}`, enabled(r) ? 'yes' : 'no', r.summary]);
  const head = ['RULE', 'LEVEL', 'ACTOR', 'SECTION', 'ON', 'SUMMARY'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return `${[chalk.bold(fmt(head)), ...rows.map(fmt)].join('\n')}\n${sorted.length} rules · profile ${profile.name}\n`;
}

export class RuleNotFoundError extends Error {}
