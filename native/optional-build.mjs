// `npm ci`/`npm install` in a checkout (the prepare script): build the native addon if a compiler is
// there. Never fails the install: on any failure it prints one line and the core stays on WASM.
// BLOOMCOIN_NO_NATIVE=1 skips it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
if (process.env.BLOOMCOIN_NO_NATIVE === '1') process.exit(0);
if (!existsSync(join(here, 'src'))) process.exit(0); // an installed package ships no addon sources

let gyp;
try {
  gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
} catch {
  console.log('bloomcoin: node-gyp not installed, native addon not built; the core uses WASM');
  process.exit(0);
}
const r = spawnSync(process.execPath, [gyp, 'configure', 'build', '-C', here, '--loglevel=silent'], {
  stdio: ['ignore', 'ignore', 'pipe'],
  timeout: 300_000,
});
if (r.status === 0) console.log('bloomcoin: native addon built (native/build/Release/bloomcoin_native.node)');
else {
  const why = r.error?.message ?? (r.stderr?.toString().trim().split('\n').pop() || `exit ${r.status}`);
  console.log(`bloomcoin: native addon not built (${why.slice(0, 160)}); the core falls back to WASM`);
}
process.exit(0);
