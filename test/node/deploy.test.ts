// `wrangler deploy --dry-run` bundles the Worker exactly as a deploy would, without
// uploading: it proves the production bundle builds and stays within the size limit.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('wrangler deploy --dry-run', () => {
  it('bundles the Worker for production', async () => {
    const outdir = await mkdtemp(path.join(tmpdir(), 'audit-trail-dry-run-'));
    const { stdout } = await run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: 'false',
        CLOUDFLARE_CF_FETCH_ENABLED: 'false',
        XDG_CONFIG_HOME: path.join(outdir, 'xdg'),
      },
    });
    expect(stdout).toMatch(/--dry-run: exiting now/);
    expect(stdout).toMatch(/env\.DB \(audit-trail\)\s+D1 Database/);
    const files = await readdir(outdir);
    const bundle = files.find((f) => f.endsWith('.js'));
    expect(bundle).toBeDefined();
    // Workers' paid plan allows 10 MB compressed; stay far below it.
    expect((await stat(path.join(outdir, bundle!))).size).toBeLessThan(3 * 1024 * 1024);
  });
});
