// The environment of a spawned `bloomcoin`: HOME in the test's temp dir (the default data dir and its
// bloomcoin.json live under it) and no BLOOMCOIN_* option variables from the shell that runs the tests.
import { CONFIG_KEYS, OPTION_OF, envName } from '../../src/config.js';

const OPTION_VARS = new Set([...CONFIG_KEYS.map((k) => envName(OPTION_OF[k])), envName('config')]);

export function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!OPTION_VARS.has(k)) env[k] = v;
  return { ...env, HOME: home, ...extra };
}
