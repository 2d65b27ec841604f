// The files a page needs to run the browser core, for a server (e.g. the node's API) that serves
// them: each path is relative to the package root, so serve them under one prefix with the same
// layout and the entry's default .wasm URL (../../build/core.wasm) resolves by itself.
import { join } from 'node:path';
import { packageRoot } from '../paths.js';

/** The browser entry's module graph (closed under imports; a test checks it) and the .wasm it loads. */
export const BROWSER_CORE_ASSETS = [
  'dist/core/browser.js',
  'dist/core/wasm-bind.js',
  'dist/core/wasm-url.js',
  'dist/core/errors.js',
  'dist/core/reference.js',
  'dist/core/reference/sha256.js',
  'dist/core/reference/kuramoto.js',
  'dist/core/reference/phase.js',
  'dist/errors.js',
  'dist/constants.js',
  'build/core.wasm',
] as const;
export type BrowserCoreAsset = (typeof BROWSER_CORE_ASSETS)[number];

/** The file behind a package-relative asset path and its content type, or undefined if it is not one. */
export function browserCoreAsset(path: string): { file: string; contentType: string } | undefined {
  if (!(BROWSER_CORE_ASSETS as readonly string[]).includes(path)) return undefined;
  return {
    file: join(packageRoot(), path),
    contentType: path.endsWith('.wasm') ? 'application/wasm' : 'text/javascript; charset=utf-8',
  };
}
