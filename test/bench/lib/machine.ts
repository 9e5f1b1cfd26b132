// Facts about the machine and toolchain a benchmark ran on, for the report.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './wrangler';

const version = (pkg: string) => {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version as string;
  } catch {
    return '?';
  }
};

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  workerd: string;
  wrangler: string;
  betterSqlite3: string;
  sqlite: string;
}

export function machineFacts(): Machine {
  let cpu = os.cpus()[0]?.model ?? '?';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    cpu = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? cpu;
  } catch {
    /* not Linux */
  }
  let workerd = version('workerd');
  try {
    workerd += ` (${execFileSync(path.join(ROOT, 'node_modules/.bin/workerd'), ['--version'], { encoding: 'utf8' }).trim()})`;
  } catch {
    /* keep the package version */
  }
  const db = new Database(':memory:');
  const sqlite = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  db.close();
  return {
    cpu,
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    workerd,
    wrangler: version('wrangler'),
    betterSqlite3: version('better-sqlite3'),
    sqlite,
  };
}

export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

export function machineMarkdown(m: Machine): string {
  return [
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, ${m.os}; shared with other engineers' test runs while measuring.`,
    `- Node ${m.node}; wrangler ${m.wrangler}; workerd ${m.workerd}; better-sqlite3 ${m.betterSqlite3} (SQLite ${m.sqlite}).`,
  ].join('\n');
}
