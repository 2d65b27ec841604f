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

const skip = (why) => {
  console.log(`bloomcoin: native addon not built (${why.slice(0, 160)}); the core falls back to WASM`);
  process.exit(0);
};
// npm passes its own node-gyp to scripts; outside npm, the devDependency.
let gyp = process.env.npm_config_node_gyp;
if (!gyp || !existsSync(gyp)) {
  try {
    gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    skip('node-gyp not found');
  }
}
const r = spawnSync(process.execPath, [gyp, 'configure', 'build', '-C', here, '--loglevel=silent'], {
  stdio: ['ignore', 'ignore', 'pipe'],
  timeout: 300_000,
});
if (r.status === 0) console.log('bloomcoin: native addon built (native/build/Release/bloomcoin_native.node)');
else skip(r.error?.message ?? `node-gyp exit ${r.status}`);
process.exit(0);
