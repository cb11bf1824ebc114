// The rule catalog stays in step with the code: every rules/<spec>/<id>.json validates against
// rules/rule.schema.json, sits in the folder of its id prefix, has a registered check, a check file and
// a test file; every registered check has a JSON; every messageId a check reports exists in its JSON.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { checks } from '../src/checks/index.js';
import type { RuleMeta } from '../src/engine/types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rulesDir = join(root, 'rules');
const FOLDER: Record<string, string> = { BLQ: 'rfc5460', LQ: 'rfc5007', V6: 'rfc8415', RED: 'rfc6853', ALQ: 'rfc7653', DECODE: 'decoder' };

function ruleFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'profiles') out.push(...ruleFiles(p));
    } else if (name.endsWith('.json') && name !== 'rule.schema.json') out.push(p);
  }
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(join(rulesDir, 'rule.schema.json'), 'utf8')) as object);
const files = ruleFiles(rulesDir);
const metas = new Map<string, { meta: RuleMeta; file: string }>();
for (const f of files) {
  const meta = JSON.parse(readFileSync(f, 'utf8')) as RuleMeta;
  metas.set(meta.id, { meta, file: f });
}

/** Message ids a check's source reports: literals in `messageId:` expressions and in local report helpers. */
function reportedIds(source: string): string[] {
  const ids = new Set<string>();
  for (const m of source.matchAll(/messageId:\s*([^,}\n]+)/g)) {
    for (const lit of m[1].matchAll(/'([a-z][a-z0-9-]*)'/g)) ids.add(lit[1]);
  }
  for (const m of source.matchAll(/report\([^)]*?'([a-z][a-z0-9-]*)'/g)) ids.add(m[1]);
  ids.delete('inconclusive');
  ids.delete('violation');
  return [...ids];
}

it('has rules', () => {
  expect(files.length).toBeGreaterThan(0);
});

describe('every rule JSON', () => {
  for (const f of files) {
    const rel = relative(root, f);
    it(rel, () => {
      const meta = JSON.parse(readFileSync(f, 'utf8')) as RuleMeta;
      expect(validate(meta), JSON.stringify(validate.errors)).toBe(true);
      const prefix = meta.id.split('-')[0];
      const spec = FOLDER[prefix];
      expect(spec, `unknown id prefix ${prefix}`).toBeDefined();
      const lower = meta.id.toLowerCase();
      expect(rel).toBe(join('rules', spec, `${lower}.json`));
      expect(checks.has(meta.id), `no check registered for ${meta.id}`).toBe(true);
      const src = join(root, 'src', 'checks', spec, `${lower}.ts`);
      expect(existsSync(src), `missing ${relative(root, src)}`).toBe(true);
      expect(existsSync(join(root, 'test', 'checks', spec, `${lower}.test.ts`)), `missing test for ${meta.id}`).toBe(true);
      const used = reportedIds(readFileSync(src, 'utf8'));
      for (const id of used) expect(Object.keys(meta.messages), `${meta.id} reports '${id}'`).toContain(id);
      if (meta.options) {
        const ok = ajv.compile(meta.options.schema)(meta.options.defaults);
        expect(ok, `${meta.id} option defaults do not satisfy its option schema`).toBe(true);
      }
    });
  }
});

it('rules/README.md lists every implemented rule in its table, and nothing else', () => {
  const readme = readFileSync(join(rulesDir, 'README.md'), 'utf8');
  const listed = new Set([...readme.matchAll(/^\| ([A-Z][A-Z0-9]*-[A-Z0-9-]+) \|/gm)].map((m) => m[1]));
  expect([...metas.keys()].filter((id) => !listed.has(id))).toEqual([]);
  expect([...listed].filter((id) => !metas.has(id))).toEqual([]);
});

it('rules/README.md names every catalog requirement without a rule, and no implemented one there', () => {
  // ../shared/spec/requirements.md is the catalog (CI clones it beside the repository): each `#### ID`.
  const catalog = readFileSync(join(root, '..', 'shared', 'spec', 'requirements.md'), 'utf8');
  const ids = [...catalog.matchAll(/^#### ([A-Z][A-Z0-9]*-[A-Z0-9-]+)\b/gm)].map((m) => m[1]);
  expect(ids.length).toBeGreaterThan(100);
  const readme = readFileSync(join(rulesDir, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Catalog requirements without a rule'));
  const named = new Set([...section.matchAll(/\b([A-Z][A-Z0-9]*-[A-Z0-9-]*[A-Z0-9])\b/g)].map((m) => m[1]));
  expect(ids.filter((id) => !metas.has(id) && !named.has(id))).toEqual([]);
  expect([...named].filter((id) => metas.has(id))).toEqual([]);
});

it('every registered check has a rule JSON', () => {
  const missing = [...checks.keys()].filter((id) => !metas.has(id));
  expect(missing).toEqual([]);
});

it('profiles name only known rules and parse', () => {
  for (const name of readdirSync(join(rulesDir, 'profiles'))) {
    const p = JSON.parse(readFileSync(join(rulesDir, 'profiles', name), 'utf8')) as { name: string; disabledRules: string[]; codes: object; timers: object };
    expect(`${p.name}.json`).toBe(name);
    expect(typeof p.codes).toBe('object');
    expect(typeof p.timers).toBe('object');
  }
});
