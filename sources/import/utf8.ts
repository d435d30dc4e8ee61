import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Import files are UTF-8. A byte that is not part of valid UTF-8 would otherwise be read as U+FFFD
 * and stored; instead it is replaced byte for byte (so that every offset stays the file's) and its
 * place is noted, for the row it falls in to be refused with its line.
 */

/** Byte ranges [start, end) of a stream that were not UTF-8, in stream order. */
export class InvalidBytes {
  private readonly ranges: { start: number; end: number }[] = [];
  private head = 0;

  add(start: number, end: number): void {
    const last = this.ranges.at(-1);
    if (last && this.ranges.length > this.head && last.end === start) last.end = end;
    else this.ranges.push({ start, end });
  }

  /** Whether an invalid byte lies in [start, end), without forgetting it. */
  within(start: number, end: number): boolean {
    for (let index = this.head; index < this.ranges.length; index++) {
      const range = this.ranges[index];
      if (!range || range.start >= end) return false;
      if (range.end > start) return true;
    }
    return false;
  }

  /** Whether an invalid byte lies before `offset`; those are forgotten, being read past. */
  takeBefore(offset: number): boolean {
    let found = false;
    while (this.head < this.ranges.length) {
      const range = this.ranges[this.head];
      if (!range || range.start >= offset) break;
      found = true;
      if (range.end > offset) {
        range.start = offset;
        break;
      }
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.ranges.length) {
      this.ranges.splice(0, this.head);
      this.head = 0;
    }
    return found;
  }
}

/**
 * Passes bytes through, replacing each one that is not part of valid UTF-8 with `replacement` (a
 * single ASCII byte) and adding it to `invalid`. A character split between two chunks is whole in
 * the next one.
 */
export class Utf8Check extends Transform {
  readonly invalid = new InvalidBytes();
  /** The start of a character the last chunk ended inside: at most three bytes. */
  private carry: Buffer = Buffer.alloc(0);
  /** Stream offset of the first byte of `carry`. */
  private offset = 0;

  constructor(private readonly replacement: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const complete = completeLength(bytes);
    this.carry = Buffer.from(bytes.subarray(complete));
    const body = bytes.subarray(0, complete);
    const passed = isUtf8(body) ? body : this.repaired(body);
    this.offset += complete;
    done(null, passed);
  }

  override _flush(done: TransformCallback): void {
    // A character the stream ended inside is not UTF-8.
    if (this.carry.length === 0) {
      done();
      return;
    }
    this.invalid.add(this.offset, this.offset + this.carry.length);
    done(null, Buffer.alloc(this.carry.length, this.replacement));
  }

  private repaired(body: Buffer): Buffer {
    const copy = Buffer.from(body);
    for (let index = 0; index < copy.length;) {
      const length = sequenceLength(copy, index);
      if (length > 0) {
        index += length;
        continue;
      }
      copy[index] = this.replacement;
      this.invalid.add(this.offset + index, this.offset + index + 1);
      index++;
    }
    return copy;
  }
}

/** How much of `bytes` ends on a character boundary: the rest starts a character the next chunk completes. */
function completeLength(bytes: Buffer): number {
  for (let index = bytes.length - 1; index >= Math.max(0, bytes.length - 3); index--) {
    const byte = bytes[index] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return bytes.length - index < needed ? index : bytes.length;
  }
  return bytes.length;
}

/** The length of the valid UTF-8 character at `index` (RFC 3629), or 0 when none starts there. */
function sequenceLength(bytes: Buffer, index: number): number {
  const lead = bytes[index] ?? 0;
  if (lead < 0x80) return 1;
  const [length, low, high] =
    lead >= 0xc2 && lead <= 0xdf
      ? [2, 0x80, 0xbf]
      : lead === 0xe0
        ? [3, 0xa0, 0xbf]
        : lead === 0xed
          ? [3, 0x80, 0x9f]
          : lead >= 0xe1 && lead <= 0xef
            ? [3, 0x80, 0xbf]
            : lead === 0xf0
              ? [4, 0x90, 0xbf]
              : lead >= 0xf1 && lead <= 0xf3
                ? [4, 0x80, 0xbf]
                : lead === 0xf4
                  ? [4, 0x80, 0x8f]
                  : [0, 0, 0];
  if (length === 0 || index + length > bytes.length) return 0;
  const second = bytes[index + 1] ?? 0;
  if (second < low || second > high) return 0;
  for (let next = index + 2; next < index + length; next++) if (((bytes[next] ?? 0) & 0xc0) !== 0x80) return 0;
  return length;
}
