// Sorting an export's links into seq order in bounded memory: at most `runSize` links are
// held while reading; each full run is sorted and written to a temporary file, and the
// runs are then merged through a heap holding one link per run. A file that fits one run
// never touches the disk.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { LinkRecord } from '../../worker/domain/chain-verify';
import type { SeqSorter } from '../../worker/domain/export-verify';

export const DEFAULT_RUN_SIZE = 100_000;

export interface SpillSorter {
  sort: SeqSorter;
  /** The most links held in memory at once, and how many runs went to disk (for tests). */
  stats: { maxHeld: number; runs: number };
}

type Entry = { link: LinkRecord; from: number };

export function spillSorter(runSize = DEFAULT_RUN_SIZE, directory = tmpdir()): SpillSorter {
  if (!Number.isSafeInteger(runSize) || runSize < 1) throw new RangeError('the run size must be a whole number of at least 1');
  const stats = { maxHeld: 0, runs: 0 };
  const held = (count: number) => (stats.maxHeld = Math.max(stats.maxHeld, count));
  const bySeq = (a: LinkRecord, b: LinkRecord) => a.seq - b.seq;

  async function* sort(links: AsyncIterable<LinkRecord>): AsyncGenerator<LinkRecord> {
    let run: LinkRecord[] = [];
    let scratch: string | undefined;
    const files: string[] = [];
    try {
      for await (const link of links) {
        run.push(link);
        held(run.length);
        if (run.length === runSize) {
          scratch ??= await mkdtemp(path.join(directory, 'audit-verify-'));
          files.push(await spill(scratch, files.length, run.sort(bySeq)));
          run = [];
        }
      }
      if (!files.length) {
        yield* run.sort(bySeq);
        return;
      }
      if (run.length) files.push(await spill(scratch!, files.length, run.sort(bySeq)));
      run = [];
      stats.runs = files.length;
      yield* merge(files, held);
    } finally {
      if (scratch) await rm(scratch, { recursive: true, force: true });
    }
  }
  return { sort, stats };
}

async function spill(directory: string, index: number, run: LinkRecord[]): Promise<string> {
  const file = path.join(directory, `run-${index}.ndjson`);
  await writeFile(file, run.map((link) => JSON.stringify(link)).join('\n') + '\n');
  return file;
}

/** k-way merge of sorted run files: a binary min-heap of each run's next link. */
async function* merge(files: string[], held: (count: number) => void): AsyncGenerator<LinkRecord> {
  const readers = files.map((file) =>
    createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })[Symbol.asyncIterator](),
  );
  const heap = new MinHeap();
  const advance = async (from: number) => {
    const next = await readers[from]!.next();
    if (!next.done && next.value) heap.push({ link: JSON.parse(next.value) as LinkRecord, from });
  };
  try {
    for (let i = 0; i < readers.length; i++) await advance(i);
    while (heap.size) {
      held(heap.size);
      const { link, from } = heap.pop();
      yield link;
      await advance(from);
    }
  } finally {
    for (const reader of readers) await reader.return?.();
  }
}

class MinHeap {
  private items: Entry[] = [];

  get size() {
    return this.items.length;
  }

  push(entry: Entry) {
    const items = this.items;
    items.push(entry);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.link.seq <= items[i]!.link.seq) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }

  pop(): Entry {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length) {
      items[0] = last;
      for (let i = 0; ;) {
        let smallest = i;
        for (const child of [2 * i + 1, 2 * i + 2])
          if (child < items.length && items[child]!.link.seq < items[smallest]!.link.seq) smallest = child;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i]!, items[smallest]!];
        i = smallest;
      }
    }
    return top;
  }
}
