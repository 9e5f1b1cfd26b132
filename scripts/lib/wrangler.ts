// Running wrangler from Node: quiet, offline and non-interactive, with its config and logs
// kept inside the repository instead of the home folder.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { LOCAL_DIR, REPO_ROOT, WRANGLER_BIN } from './paths';

export function wranglerEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    XDG_CONFIG_HOME: path.join(LOCAL_DIR, 'xdg'),
    // Answers confirmation prompts with their default and turns off the hotkey bar.
    CI: 'true',
    FORCE_COLOR: '0',
  };
}

export interface WranglerRun {
  output: string;
}

/** Runs one wrangler command to completion; rejects with its output if it fails. */
export function runWrangler(args: string[]): Promise<WranglerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER_BIN, ...args], {
      cwd: REPO_ROOT,
      env: wranglerEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ output });
      else reject(new Error(`wrangler ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${output.trim()}`));
    });
  });
}
