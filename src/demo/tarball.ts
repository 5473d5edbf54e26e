import { gzipSync } from 'node:zlib';

/**
 * A minimal ustar writer, enough for npm package tarballs: regular files only, every path under
 * `package/`. Written by hand so the demo registry needs no tar dependency; the output is
 * deterministic (fixed mtime, sorted entries, gzip without a timestamp), so a package's integrity is
 * the same on every run and lockfiles generated against one registry stay valid against the next.
 */

const BLOCK = 512;
/** npm's own fixed mtime for reproducible tarballs (1985-10-26T08:15:00Z). */
const FIXED_MTIME = 499162500;

/** Builds a gzipped npm tarball from a map of package-relative paths to contents. */
export function createPackageTarball(files: Readonly<Record<string, string | Uint8Array>>): Buffer {
  const chunks: Buffer[] = [];
  for (const path of Object.keys(files).sort()) {
    const content = files[path];
    if (content === undefined) continue;
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    chunks.push(tarHeader(`package/${path}`, data.length), data, Buffer.alloc(padding(data.length)));
  }
  // Two empty blocks mark the end of the archive.
  chunks.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}

/** The 512-byte ustar header of one regular file. */
export function tarHeader(path: string, size: number): Buffer {
  const header = Buffer.alloc(BLOCK);
  const { prefix, name } = splitPath(path);
  header.write(name, 0, 100, 'utf8');
  writeOctal(header, 0o644, 100, 8); // mode
  writeOctal(header, 0, 108, 8); // uid
  writeOctal(header, 0, 116, 8); // gid
  writeOctal(header, size, 124, 12);
  writeOctal(header, FIXED_MTIME, 136, 12);
  header.fill(0x20, 148, 156); // the checksum counts its own field as spaces
  header.write('0', 156, 1, 'latin1'); // typeflag: regular file
  header.write('ustar\u000000', 257, 8, 'latin1'); // magic "ustar\0" and version "00"
  header.write(prefix, 345, 155, 'utf8');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  header.write(`${checksum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return header;
}

function writeOctal(header: Buffer, value: number, offset: number, length: number): void {
  header.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'latin1');
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** ustar keeps long paths as a prefix (≤155 bytes) and a name (≤100 bytes), split at a slash. */
function splitPath(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let index = path.indexOf('/'); index !== -1; index = path.indexOf('/', index + 1)) {
    const prefix = path.slice(0, index);
    const name = path.slice(index + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { prefix, name };
  }
  throw new Error(`path too long for a ustar header: ${path}`);
}
