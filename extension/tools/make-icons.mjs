// Draws the extension's icons (no network, no image tools): a blue rounded square with a
// white "log" of three lines and a clock dot. Run: node extension/tools/make-icons.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZES = [16, 32, 48, 96, 128];
const BLUE = [31, 95, 191];

function crc32(buf) {
  let c,
    crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Coverage of a pixel by a shape, 4×4 supersampled. */
function cover(size, x, y, inside) {
  let hit = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (inside((x + (i + 0.5) / 4) / size, (y + (j + 0.5) / 4) / size)) hit++;
  return hit / 16;
}

function roundedSquare(u, v) {
  const r = 0.2,
    m = 0.04;
  const cx = Math.min(Math.max(u, m + r), 1 - m - r),
    cy = Math.min(Math.max(v, m + r), 1 - m - r);
  return (u - cx) ** 2 + (v - cy) ** 2 <= r * r && u >= m && u <= 1 - m && v >= m && v <= 1 - m;
}

function mark(u, v) {
  const bar = (y0, x1) => v >= y0 && v <= y0 + 0.1 && u >= 0.2 && u <= x1;
  const dot =
    (u - 0.72) ** 2 + (v - 0.72) ** 2 <= 0.13 ** 2 &&
    !(
      (u - 0.72) ** 2 + (v - 0.72) ** 2 <= 0.08 ** 2 &&
      !(u >= 0.7 && u <= 0.74 && v >= 0.64 && v <= 0.74) &&
      !(v >= 0.7 && v <= 0.74 && u >= 0.7 && u <= 0.79)
    );
  return bar(0.22, 0.8) || bar(0.42, 0.7) || bar(0.62, 0.5) || dot;
}

function png(size) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      const bg = cover(size, x, y, roundedSquare);
      const fg = cover(size, x, y, (u, v) => roundedSquare(u, v) && mark(u, v));
      const px = 1 + x * 4;
      for (let c = 0; c < 3; c++) row[px + c] = Math.round(BLUE[c] * (1 - fg / Math.max(bg, 1e-9)) + 255 * (fg / Math.max(bg, 1e-9)));
      row[px + 3] = Math.round(255 * bg);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const dir = new URL('../public/icon/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const size of SIZES) writeFileSync(new URL(`${size}.png`, dir), png(size));
console.log(`icons: ${SIZES.join(', ')} px in ${dir.pathname}`);
