#!/usr/bin/env node
// The `bloomcoin` binary (package.json bin → dist/cli.js): runs src/cli/index.ts when executed directly.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from './cli/index.js';

export * from './cli/index.js';

function isEntry(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntry()) {
  main().then((code) => {
    if (code === 0) return;
    process.exitCode = code;
    // a failed start may leave sockets open: exit anyway once stderr has drained
    setTimeout(() => process.exit(code), 200).unref();
  });
}
