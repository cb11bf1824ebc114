#!/usr/bin/env node
// Shim: runs the built CLI. All logic lives in src/cli (compiled to dist/cli); runCli runs it in a
// worker thread whose young generation is sized at start (src/cli/thread.ts).
import { runCli } from '../dist/cli/thread.js';

process.exitCode = await runCli(process.argv.slice(2));
