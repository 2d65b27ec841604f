// The package as an embedder gets it: `npm pack`, install the tarball into an empty project, then
// ESM, CommonJS and strict-TypeScript consumers, the footprint, the core without the node's
// dependencies, and the browser entry in headless Chromium. (One pack+install, ~10 s, for all.)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceCore } from '../src/core/reference.js';
import { SHA256_VECTORS } from './vectors/index.js';

const ROOT = process.cwd();
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const TSC = join(ROOT, 'node_modules', 'typescript', 'lib', 'tsc.js');
// Bitcoin's genesis header; its sha256d in raw byte order, and as Bitcoin displays it (reversed).
const GENESIS_HEADER = SHA256_VECTORS.genesis.header;
const GENESIS_DISPLAY = SHA256_VECTORS.genesis.display;
const PHASES = Array.from({ length: 64 }, (_, i) => (i * 0.37) % 6.2);
const NODE_ONLY_DEPS = ['pino', 'pino-pretty', 'classic-level', 'memory-level', 'cli-progress', 'commander', 'prom-client'];

let dir: string;
let files: string[];
const pkg = (): string => join(dir, 'node_modules', 'bloomcoin');
const run = (file: string): string => execFileSync(process.execPath, [file], { cwd: dir, timeout: 30_000, encoding: 'utf8' });
const duBytes = (p: string): number => {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  return readdirSync(p).reduce((s, f) => s + duBytes(join(p, f)), 0);
};

// What each consumer prints: the genesis hash as displayed, r of PHASES, and the ABI version.
const CONSUMER_BODY = `
  const core = await loadCore();
  const hash = core.sha256d(Uint8Array.from(Buffer.from('${GENESIS_HEADER}', 'hex')));
  const r = core.orderParameter(Float64Array.from(${JSON.stringify(PHASES)})).r;
  console.log(JSON.stringify({ hash: Buffer.from(hash).reverse().toString('hex'), r, backend: core.backend }));
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bloom-pkg-'));
  // dist/ and build/ are fresh from pretest; --ignore-scripts so packing does not rebuild them.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    timeout: 60_000,
    encoding: 'utf8',
  });
  const info = (JSON.parse(out) as { filename: string; files: { path: string }[] }[])[0]!;
  files = info.files.map((f) => f.path);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  execFileSync(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', `./${info.filename}`],
    { cwd: dir, timeout: 180_000, stdio: 'pipe' },
  );
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('ships the built outputs, the LICENSE and nothing of the build machine', () => {
    expect(files).toContain('LICENSE');
    expect(files).toContain('build/core.wasm');
    expect(files).toContain('build/core-scalar.wasm');
    expect(files).toContain('dist/core/index.js');
    expect(files).toContain('dist/core/browser.js');
    expect(files.filter((f) => f.endsWith('.wat') || f.startsWith('native/') || f.endsWith('.map') || f.startsWith('assembly/'))).toEqual([]);
    expect(readFileSync(join(pkg(), 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect((JSON.parse(readFileSync(join(pkg(), 'package.json'), 'utf8')) as { license: string }).license).toBe('MIT');
  });

  it('installs into an empty project in under 25 MB, without the compiler toolchain', () => {
    const mb = duBytes(join(dir, 'node_modules')) / 2 ** 20;
    expect(mb).toBeLessThan(25);
    expect(existsSync(join(dir, 'node_modules', 'assemblyscript'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules', 'binaryen'))).toBe(false);
  });
});

describe('consumers of the installed package', () => {
  it('ESM: loadCore() gives the genesis hash; bloomcoin/wasm gives the bytes loadCore({ wasm }) takes', () => {
    writeFileSync(
      join(dir, 'esm.mjs'),
      `import { loadCore, CORE_ABI_VERSION } from 'bloomcoin/core';
       import { coreWasmUrl } from 'bloomcoin/wasm';
       import { readFile } from 'node:fs/promises';
       ${CONSUMER_BODY}
       const again = await loadCore({ wasm: await readFile(new URL(coreWasmUrl)) });
       if (Buffer.from(again.sha256d(new Uint8Array(0))).toString('hex').slice(0, 8) !== '5df6e0e2') throw new Error('bytes path');
       if (CORE_ABI_VERSION !== 1) throw new Error('abi');`,
    );
    const got = JSON.parse(run('esm.mjs')) as { hash: string; r: number; backend: string };
    expect(got.hash).toBe(GENESIS_DISPLAY);
    expect(got.backend).toBe('wasm');
    expect(got.r).toBeCloseTo(createReferenceCore().orderParameter(Float64Array.from(PHASES)).r, 12);
  });

  it('CommonJS: import() of bloomcoin/core from a .cjs file', () => {
    writeFileSync(join(dir, 'cjs.cjs'), `(async () => { const { loadCore } = await import('bloomcoin/core'); ${CONSUMER_BODY} })();`);
    expect((JSON.parse(run('cjs.cjs')) as { hash: string }).hash).toBe(GENESIS_DISPLAY);
  });

  // Last in this file: it removes the node's dependencies from the temp project.
  it("without the node's dependencies: bloomcoin/core still loads, and strict tsc (node16, bundler, no @types/node) passes", () => {
    for (const d of NODE_ONLY_DEPS) rmSync(join(dir, 'node_modules', d), { recursive: true, force: true });
    expect(existsSync(join(dir, 'node_modules', 'pino'))).toBe(false);
    writeFileSync(join(dir, 'core-only.mjs'), `import { loadCore } from 'bloomcoin/core'; ${CONSUMER_BODY}`);
    expect((JSON.parse(run('core-only.mjs')) as { hash: string }).hash).toBe(GENESIS_DISPLAY);

    writeFileSync(
      join(dir, 'consumer.mts'),
      `import { loadCore, CorePool, CoreAbiError, type Core, type OrderParameter } from 'bloomcoin/core';
       import { coreWasmUrl } from 'bloomcoin/wasm';
       export async function check(bytes: Uint8Array): Promise<number> {
         const core: Core = await loadCore({ wasm: bytes });
         const o: OrderParameter = core.orderParameter(new Float64Array(64));
         const pool: CorePool = await CorePool.create({ threads: 1 });
         await pool.close();
         return o.r + coreWasmUrl.length + (new CoreAbiError('core-abi-mismatch', 'y').code.length);
       }`,
    );
    for (const [name, module, resolution] of [
      ['node16', 'node16', 'node16'],
      ['bundler', 'esnext', 'bundler'],
    ] as const) {
      const cfg = `tsconfig.${name}.json`;
      writeFileSync(
        join(dir, cfg),
        JSON.stringify({
          compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module, moduleResolution: resolution, types: [], skipLibCheck: false },
          files: ['consumer.mts'],
        }),
      );
      expect(existsSync(join(dir, 'node_modules', '@types', 'node'))).toBe(false);
      const out = (() => {
        try {
          return execFileSync(process.execPath, [TSC, '-p', cfg], { cwd: dir, timeout: 60_000, encoding: 'utf8' });
        } catch (err) {
          return String((err as { stdout?: string }).stdout ?? err);
        }
      })();
      expect(out, `tsc with moduleResolution ${resolution}`).toBe('');
    }
  }, 120_000);
});

describe('the browser entry in headless Chromium', () => {
  let server: Server;
  beforeAll(async () => {
    // Serves the temp project statically, as a page's server (or the node's API) would serve the package.
    server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      const file = join(dir, path === '/' ? 'index.html' : path);
      if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) return void res.writeHead(404).end();
      const types: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    writeFileSync(
      join(dir, 'index.html'),
      `<!doctype html><script type="importmap">{"imports":{"bloomcoin/core":"/node_modules/bloomcoin/dist/core/browser.js"}}</script>
       <script type="module">
         import { loadCore } from 'bloomcoin/core';
         const hex = (u) => Array.from(u, (b) => b.toString(16).padStart(2, '0')).join('');
         const h = '${GENESIS_HEADER}';
         const header = Uint8Array.from(h.match(/../g), (x) => parseInt(x, 16));
         try {
           const core = await loadCore();
           const viaResponse = await loadCore({ wasm: await fetch('/node_modules/bloomcoin/build/core.wasm') });
           window.result = { hash: hex(core.sha256d(header).reverse()), again: hex(viaResponse.sha256d(header).reverse()),
             r: core.orderParameter(Float64Array.from(${JSON.stringify(PHASES)})).r, hasProcess: typeof process !== 'undefined' };
         } catch (err) { window.result = { error: String(err) }; }
       </script>`,
    );
  });
  afterAll(async () => {
    await new Promise((ok) => server?.close(ok));
  });

  it('loads bloomcoin/core from the package and matches the genesis hash and the reference r', async () => {
    if (!CHROMIUM) throw new Error('Chromium not found at /usr/bin/chromium: apt-get install -y chromium (.ci/run does this)');
    const profile = mkdtempSync(join(tmpdir(), 'bloom-chromium-'));
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: profile,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'],
      timeout: 20_000,
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { timeout: 20_000 });
      await page.waitForFunction('window.result !== undefined', { timeout: 20_000 });
      const got = (await page.evaluate('window.result')) as { hash: string; again: string; r: number; hasProcess: boolean; error?: string };
      expect(got.error).toBeUndefined();
      expect(got.hash).toBe(GENESIS_DISPLAY);
      expect(got.again).toBe(GENESIS_DISPLAY);
      expect(got.hasProcess).toBe(false);
      expect(got.r).toBeCloseTo(createReferenceCore().orderParameter(Float64Array.from(PHASES)).r, 12);
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 60_000);
});
