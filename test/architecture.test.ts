// The module map of docs/design.md as a test: each layer imports only what its row allows, and no two
// layers import each other. Barrels (`index.ts`) are the package's surface and are not checked.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

/** The layer of a file: its folder under src/, or its base name for top-level files. */
const layerOf = (file: string): string => {
  const rel = relative(SRC, file).split('/');
  return rel.length === 1 ? rel[0]!.replace(/\.ts$/, '') : rel[0]!;
};

const GROUND = ['bytes', 'clock', 'bounded-set', 'rate', 'prng', 'svg', 'hostport', 'constants', 'errors'];
const UPPER = ['node', 'api', 'cli', 'config', 'wallet', 'progress', 'sim', 'index'];

/** "knows nothing of": the layers each layer must not import (docs/design.md, Layout). */
const FORBIDDEN: Record<string, string[]> = {
  ...Object.fromEntries(GROUND.map((g) => [g, ['core', 'wire', 'p2p', 'chain', 'mempool', 'sync', 'gossip', 'miner', 'log', ...UPPER]])),
  core: ['wire', 'p2p', 'chain', 'mempool', 'sync', 'gossip', 'miner', 'log', ...UPPER],
  wire: ['core', 'p2p', 'chain', 'mempool', 'sync', 'gossip', 'miner', ...UPPER],
  p2p: ['core', 'chain', 'mempool', 'sync', 'gossip', 'miner', ...UPPER],
  chain: ['wire', 'p2p', 'mempool', 'sync', 'gossip', 'miner', ...UPPER],
  mempool: ['sync', 'gossip', 'miner', ...UPPER],
  sync: ['gossip', 'miner', ...UPPER],
  gossip: ['chain', 'mempool', 'sync', 'miner', ...UPPER],
  miner: ['wire', 'p2p', 'sync', 'gossip', ...UPPER],
  api: ['p2p', 'node', 'cli', 'sim'],
};

/** p2p modules other layers may import: its contract, never the connection or the TCP transport. */
const P2P_CONTRACT = new Set(['p2p/types.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

interface Arrow {
  from: string;
  to: string;
}

const arrows: Arrow[] = sources(SRC)
  .filter((f) => !f.endsWith('/index.ts') && !f.endsWith('src/cli.ts'))
  .flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => ({
      from: file,
      to: normalize(join(dirname(file), (m[1] ?? m[2])!)).replace(/\.js$/, '.ts'),
    })),
  )
  .filter((a) => a.to.startsWith(SRC));

const rel = (f: string): string => relative(SRC, f);

/** The modules a page loads (src/api/console.ts CONSOLE_ASSETS): the browser core and the block checks. */
const BROWSER_ENTRIES = ['core/browser.ts', 'api/block-check.ts'];
/** Imports that load at run time (type-only ones are erased), relative or not. */
const VALUE_IMPORT = /(?:^|\n)\s*(?:import|export)(?!\s+type\b)\b[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The browser entries' run-time import graph: its files, and every specifier that is not a file of src/. */
function browserGraph(): { files: string[]; outside: string[] } {
  const files = new Set<string>();
  const outside: string[] = [];
  const walk = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of readFileSync(join(SRC, file), 'utf8').matchAll(VALUE_IMPORT)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith('.')) walk(normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'));
      else outside.push(`${file} -> ${spec}`);
    }
  };
  BROWSER_ENTRIES.forEach(walk);
  return { files: [...files].sort(), outside };
}

describe('module map (docs/design.md)', () => {
  it('finds the imports it checks', () => {
    expect(arrows.length).toBeGreaterThan(200);
    expect(arrows.some((a) => rel(a.from) === 'sync/manager.ts' && rel(a.to) === 'chain/types.ts')).toBe(true);
  });

  it('no layer imports one its row says it knows nothing of', () => {
    const bad = arrows
      .filter((a) => (FORBIDDEN[layerOf(a.from)] ?? []).includes(layerOf(a.to)))
      .map((a) => `${rel(a.from)} -> ${rel(a.to)}`);
    expect(bad).toEqual([]);
  });

  it('sync, gossip, mempool and miner reach the peer layer only through its contract', () => {
    const bad = arrows
      .filter((a) => ['sync', 'gossip', 'mempool', 'miner'].includes(layerOf(a.from)) && layerOf(a.to) === 'p2p')
      .filter((a) => !P2P_CONTRACT.has(rel(a.to)))
      .map((a) => `${rel(a.from)} -> ${rel(a.to)}`);
    expect(bad).toEqual([]);
  });

  it('no two layers import each other', () => {
    const edges = new Set(arrows.map((a) => `${layerOf(a.from)}>${layerOf(a.to)}`));
    const cycles = [...edges]
      .map((e) => e.split('>') as [string, string])
      .filter(([a, b]) => a !== b && a < b && edges.has(`${b}>${a}`))
      .map(([a, b]) => `${a} <-> ${b}`);
    expect(cycles).toEqual([]);
  });

  it('the browser modules load no Node built-in (no node: or bare import in their graph)', () => {
    const { files, outside } = browserGraph();
    expect(files).toContain('chain/cert.ts');
    expect(files).not.toContain('chain/tx.ts');
    expect(outside).toEqual([]);
  });

  it('the browser graph check sees a node: import where there is one', () => {
    expect([...'import { x } from \'node:crypto\';\nimport type { y } from \'./t.js\';'.matchAll(VALUE_IMPORT)].map((m) => m[1])).toEqual(['node:crypto']);
  });
});

/** Names a module defines for export (not re-exports): `export interface|type|class|function|const|enum X`. */
const DEFINITION = /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:interface|type|class|function\*?|async\s+function|const|let|enum)\s+([A-Za-z_$][\w$]*)/gm;

const definitions = (text: string): string[] => [...text.matchAll(DEFINITION)].map((m) => m[1]!);

/** One public entry with a Node and a browser body (package.json's "browser" condition picks one). */
const PLATFORM_PAIRS: Record<string, string[]> = { loadCore: ['core/browser.ts', 'core/index.ts'] };

describe('one name for one thing (issue 17)', () => {
  it('no exported name is defined in two modules', () => {
    const where = new Map<string, string[]>();
    for (const file of sources(SRC)) for (const n of definitions(readFileSync(file, 'utf8'))) where.set(n, [...(where.get(n) ?? []), rel(file)]);
    expect(where.size).toBeGreaterThan(200);
    const twice = [...where].filter(([n, files]) => files.length > 1 && files.join() !== PLATFORM_PAIRS[n]?.join());
    expect(twice).toEqual([]);
  });

  it('the definition scan sees each kind of export and skips re-exports', () => {
    const text = "export interface A {}\nexport type B = 1;\nexport async function C() {}\nexport const D = 1;\nexport { E } from './e.js';\nexport type { F } from './f.js';";
    expect(definitions(text)).toEqual(['A', 'B', 'C', 'D']);
  });
});
