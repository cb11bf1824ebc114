// The tool's version, as written in package.json (kept in step by test/unit/version.test.ts).
export const TOOL_VERSION = '0.1.0';
