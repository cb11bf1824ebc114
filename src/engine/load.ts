// Loads the rule catalog (rules/**/*.json), the profiles (rules/profiles/*.json) and the user's
// config (--config, validated with ajv). An invalid config or profile choice is the user's
// (ConfigError: one readable line, exit 2). The rule files ship with the code: test/catalog.test.ts
// validates each against rules/rule.schema.json (and its option schema and defaults), so a run only
// parses them; ajv is loaded when a config needs it, not on every start (it was a third of the
// start-up time, bench/README.md "Sixth pass").
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { Profile, RuleMeta, Severity } from './types.js';

/** The user's configuration file (schemas/config.schema.json). */
export interface UserConfig {
  /** Per rule id: "off", or settings. */
  rules?: Record<string, 'off' | RuleSettings>;
  /** Findings to drop: by rule, optionally only for one connection label or one client (DUID hex or address). */
  waivers?: Waiver[];
  /** Code points by name; draft-01 needs LEASEQUERY-DONE, LEASEQUERY-DATA, OPTION_RELAY_ID, QueryTerminated. */
  codes?: Record<string, number>;
  /** Named limits by dotted kebab-case key (reassembly.memcap, bulk.max-open-queries, …). */
  limits?: Record<string, number>;
  findings?: { 'max-per-rule'?: number; 'max-per-rule-total'?: number };
  /** Duplicate-frame window in seconds (default 0.005). */
  dedup?: { window?: number };
}

export interface RuleSettings {
  enabled?: boolean;
  severity?: Severity;
  options?: Record<string, unknown>;
}

export interface Waiver {
  rule: string;
  connection?: string;
  client?: string;
  reason: string;
}

/** A problem with what the user asked for (config file, profile, code points): one line, exit code 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The package root (the folder holding package.json), found from this file in src/ or dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'rules'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('dhcp6audit: cannot find the package root (package.json with rules/) above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

let ajvInstance: Ajv | undefined;
function ajv(): Ajv {
  if (ajvInstance === undefined) {
    const AjvClass = (createRequire(import.meta.url)('ajv') as { Ajv: typeof Ajv }).Ajv;
    ajvInstance = new AjvClass({ allErrors: true, strict: false });
  }
  return ajvInstance;
}

const compiled = new Map<string, ValidateFunction>();
function schemaValidator(relPath: string): ValidateFunction {
  let v = compiled.get(relPath);
  if (!v) {
    const schema = readJson(join(packageRoot(), relPath)) as Record<string, unknown>;
    const { $id: _id, ...rest } = schema;
    v = ajv().compile(rest);
    compiled.set(relPath, v);
  }
  return v;
}

/** The most telling ajv error as one line: the deepest path, combinator errors last. */
export function formatAjvError(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return 'is invalid';
  const combinator = (e: ErrorObject): boolean => e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if';
  const best = [...errors].sort((a, b) => {
    const ca = combinator(a) ? 1 : 0;
    const cb = combinator(b) ? 1 : 0;
    if (ca !== cb) return ca - cb;
    return b.instancePath.split('/').length - a.instancePath.split('/').length;
  })[0];
  const path = best.instancePath || '/';
  let text: string;
  switch (best.keyword) {
    case 'enum':
      text = `must be one of ${(best.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}`;
      break;
    case 'const':
      text = `must be ${JSON.stringify((best.params as { allowedValue: unknown }).allowedValue)}`;
      break;
    case 'additionalProperties':
      text = `has an unknown property '${(best.params as { additionalProperty: string }).additionalProperty}'`;
      break;
    case 'required':
      text = `must have property '${(best.params as { missingProperty: string }).missingProperty}'`;
      break;
    case 'propertyNames':
      text = `has an invalid property name '${(best.params as { propertyName: string }).propertyName}'`;
      break;
    default:
      text = best.message ?? 'is invalid';
  }
  return `${path} ${text}`;
}

let rulesCache: RuleMeta[] | undefined;

/**
 * Every rule JSON under rules/ (not rule.schema.json, not profiles/), sorted by id; cached. Parsed,
 * not schema-validated (test/catalog.test.ts does that for the files that ship).
 */
export function loadRules(): RuleMeta[] {
  if (rulesCache) return rulesCache;
  const root = join(packageRoot(), 'rules');
  const out: RuleMeta[] = [];
  const seen = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'profiles') walk(p);
        continue;
      }
      if (!name.endsWith('.json') || name === 'rule.schema.json') continue;
      const rel = relative(root, p);
      let value: unknown;
      try {
        value = readJson(p);
      } catch (e) {
        throw new Error(`rules/${rel}: not valid JSON: ${(e as Error).message}`);
      }
      const meta = value as RuleMeta & { $schema?: string };
      if (typeof meta?.id !== 'string') throw new Error(`rules/${rel}: no rule id`);
      delete meta.$schema;
      const other = seen.get(meta.id);
      if (other) throw new Error(`rules/${rel}: rule id ${meta.id} is already defined in rules/${other}`);
      seen.set(meta.id, rel);
      out.push(meta);
    }
  };
  walk(root);
  out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  rulesCache = out;
  return out;
}

/** Names of the profiles under rules/profiles. */
export function profileNames(): string[] {
  return readdirSync(join(packageRoot(), 'rules', 'profiles'))
    .filter((n) => n.endsWith('.json'))
    .map((n) => n.slice(0, -5))
    .sort();
}

/**
 * The named profile with the user's code points applied. Profiles that require code points
 * (draft-01) refuse to run without them, unless `forListing` (the `rules` command).
 */
export function loadProfile(name: string, config?: UserConfig, opts: { forListing?: boolean } = {}): Profile {
  const names = profileNames();
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(name) || !names.includes(name)) {
    throw new ConfigError(`unknown profile '${name}' (available: ${names.join(', ')})`);
  }
  const raw = readJson(join(packageRoot(), 'rules', 'profiles', `${name}.json`)) as Profile;
  const profile: Profile = {
    name: raw.name,
    description: raw.description,
    codes: { ...raw.codes, ...(config?.codes ?? {}) },
    timers: { ...raw.timers },
    disabledRules: [...raw.disabledRules],
  };
  if (raw.requiresCodes) profile.requiresCodes = [...raw.requiresCodes];
  if (!opts.forListing && raw.requiresCodes) {
    const missing = raw.requiresCodes.filter((c) => profile.codes[c] === undefined);
    if (missing.length > 0) {
      throw new ConfigError(
        `profile ${name} needs code points for ${missing.join(', ')} (set them under "codes" in the --config file)`,
      );
    }
  }
  return profile;
}

/** Validates a parsed config object; `source` names it in the error (usually the file path). */
export function validateConfig(value: unknown, source = 'config'): UserConfig {
  const validate = schemaValidator('schemas/config.schema.json');
  if (!validate(value)) throw new ConfigError(`${source}: ${formatAjvError(validate.errors)}`);
  return value as UserConfig;
}

/** Reads and validates the --config file. */
export function loadConfig(path: string): UserConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${path}: cannot read the config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return validateConfig(value, path);
}

/** Compiles a rule's option schema (for the engine's option check). */
export function compileOptionSchema(schema: object): ValidateFunction {
  return ajv().compile(schema);
}
