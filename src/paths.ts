// Where the package's own files are, whether running from src/ (vitest), dist/ or dist-bench/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The directory holding bloomcoin's package.json (found by walking up from this module). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj) && (JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'bloomcoin') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find bloomcoin's package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** The package version from package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The package's version, from its package.json (one definition: the node's USER_AGENT and the CLI's --version). */
export const VERSION: string = packageVersion();
