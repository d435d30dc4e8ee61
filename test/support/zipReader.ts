import { inflateRawSync } from 'node:zlib';

/** One entry of a zip archive, as its central directory describes it. */
export interface ZipRecord {
  readonly name: string;
  readonly data: Buffer;
  /** The Unix mode (type and permissions) of an archive made on Unix; 0 otherwise. */
  readonly mode: number;
  /** The MS-DOS date (high 16 bits) and time (low 16 bits) it was stored with. */
  readonly dosDateTime: number;
}

/**
 * The entries of a zip archive, read one at a time from its central directory, as a package
 * consumer reads them. Zip64 archives (over 65,535 entries or 4 GiB) are not read.
 */
export function* zipRecords(archive: Buffer): Generator<ZipRecord> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive');
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff) throw new Error('a zip64 archive, which this reader does not read');
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error('broken central directory');
    const madeOnUnix = archive.readUInt8(at + 5) === 3;
    const method = archive.readUInt16LE(at + 10);
    const dosDateTime = (archive.readUInt16LE(at + 14) << 16) | archive.readUInt16LE(at + 12);
    const compressedSize = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const externalAttributes = archive.readUInt32LE(at + 38);
    const localAt = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = localAt + 30 + archive.readUInt16LE(localAt + 26) + archive.readUInt16LE(localAt + 28);
    const raw = archive.subarray(dataAt, dataAt + compressedSize);
    yield {
      name,
      data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw),
      mode: madeOnUnix ? externalAttributes >>> 16 : 0,
      dosDateTime: dosDateTime >>> 0,
    };
    at += 46 + nameLength + extraLength + commentLength;
  }
}

/** The entries of a zip archive by name. */
export function unzip(archive: Buffer): Map<string, Buffer> {
  return new Map([...zipRecords(archive)].map((record) => [record.name, record.data]));
}
