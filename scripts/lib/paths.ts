// Where things live on disk. Local state stays under .wrangler/ (gitignored), never in the
// home folder.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Everything local and disposable: D1 state, wrangler's own config and logs, demo tokens. */
export const LOCAL_DIR = path.join(REPO_ROOT, '.wrangler');

/** wrangler's default `--persist-to`: local D1 lives here and survives restarts. */
export const DEFAULT_PERSIST_DIR = path.join(LOCAL_DIR, 'state');

/** Secrets of `wrangler dev` (gitignored). */
export const DEV_VARS_FILE = path.join(REPO_ROOT, '.dev.vars');

export const WRANGLER_BIN = path.join(REPO_ROOT, 'node_modules/wrangler/bin/wrangler.js');

/** A path relative to the repository, for printing. */
export function repoRelative(file: string): string {
  return path.relative(REPO_ROOT, file) || '.';
}
