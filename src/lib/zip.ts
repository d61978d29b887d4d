// A streaming ZIP writer: it never holds the archive, only builds the records around each file, so a caller can
// write an archive of any size in slices (src/jobs/exportar.ts writes one across many queue messages). Each file's
// CRC-32 and sizes are known before its local header (the caller has its bytes), so there are no data descriptors;
// the central directory records are handed back to the caller to keep wherever it likes until the end.
// ZIP64 (APPNOTE 6.3.10 §4.5.3, §4.3.14–16) is used where a value does not fit: sizes or offsets ≥ 4 GiB, 65,535
// entries or more. `zip64Threshold` lowers that limit so tests can exercise it without writing gigabytes.

const enc = new TextEncoder();
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
/** Bit 11: the name is UTF-8. */
const FLAG_UTF8 = 0x0800;
const VERSION_ZIP64 = 45;
const VERSION_DEFAULT = 20;

export type ZipMethod = 'store' | 'deflate';
const METHOD_CODE: Record<ZipMethod, number> = { store: 0, deflate: 8 };

export interface ZipOptions {
  /** Values at or above it go to ZIP64 fields (default 0xFFFFFFFF; entry counts use min(this, 0xFFFF)). */
  zip64Threshold?: number;
}

/** What the central directory needs to know of an entry written earlier. */
export interface ZipEntry {
  name: string;
  method: ZipMethod;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Offset of its local header from the start of the archive. */
  offset: number;
  /** Modification time as the archive shows it (wall-clock fields are taken as they are). */
  modified: Date;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309) of `data`, continuing from `crc` (the CRC of what came before; 0 to start). */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** Raw DEFLATE (RFC 1951), as a ZIP entry with method 8 holds it. */
export async function deflateRaw(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

class Bytes {
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private pos = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }
  u16(v: number) {
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
    return this;
  }
  u32(v: number) {
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
    return this;
  }
  u64(v: number) {
    this.view.setBigUint64(this.pos, BigInt(v), true);
    this.pos += 8;
    return this;
  }
  bytes(b: Uint8Array) {
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }
  done(): Uint8Array {
    if (this.pos !== this.buf.length) throw new Error(`zip: record is ${this.pos} bytes, expected ${this.buf.length}`);
    return this.buf;
  }
}

/** MS-DOS date and time (2-second precision, 1980–2107). */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

export class ZipWriter {
  private readonly limit: number;
  private readonly entryLimit: number;

  constructor(opts: ZipOptions = {}) {
    this.limit = opts.zip64Threshold ?? MAX32;
    this.entryLimit = Math.min(this.limit, MAX16);
  }

  private big = (v: number) => v >= this.limit;

  /** The local file header of an entry whose (compressed) data follows it directly. */
  localHeader(e: ZipEntry): Uint8Array {
    const name = enc.encode(e.name);
    const zip64 = this.big(e.size) || this.big(e.compressedSize);
    const { time, date } = dosDateTime(e.modified);
    const r = new Bytes(30 + name.length + (zip64 ? 20 : 0))
      .u32(0x04034b50)
      .u16(zip64 ? VERSION_ZIP64 : VERSION_DEFAULT)
      .u16(FLAG_UTF8)
      .u16(METHOD_CODE[e.method])
      .u16(time)
      .u16(date)
      .u32(e.crc32)
      .u32(zip64 ? MAX32 : e.compressedSize)
      .u32(zip64 ? MAX32 : e.size)
      .u16(name.length)
      .u16(zip64 ? 20 : 0)
      .bytes(name);
    if (zip64) r.u16(0x0001).u16(16).u64(e.size).u64(e.compressedSize);
    return r.done();
  }

  /** The entry's central directory record. */
  centralRecord(e: ZipEntry): Uint8Array {
    const name = enc.encode(e.name);
    // §4.5.3: only the values that overflow are in the extra field, in this order.
    const extra = [this.big(e.size) && e.size, this.big(e.compressedSize) && e.compressedSize, this.big(e.offset) && e.offset].filter(
      (v): v is number => v !== false,
    );
    const extraLength = extra.length ? 4 + 8 * extra.length : 0;
    const { time, date } = dosDateTime(e.modified);
    const version = extra.length ? VERSION_ZIP64 : VERSION_DEFAULT;
    const r = new Bytes(46 + name.length + extraLength)
      .u32(0x02014b50)
      .u16((3 << 8) | version) // made by: UNIX, so unzip honours the permissions below
      .u16(version)
      .u16(FLAG_UTF8)
      .u16(METHOD_CODE[e.method])
      .u16(time)
      .u16(date)
      .u32(e.crc32)
      .u32(this.big(e.compressedSize) ? MAX32 : e.compressedSize)
      .u32(this.big(e.size) ? MAX32 : e.size)
      .u16(name.length)
      .u16(extraLength)
      .u16(0) // comment
      .u16(0) // disk
      .u16(0) // internal attributes
      .u32((0o100644 << 16) >>> 0) // a regular file, rw-r--r--
      .u32(this.big(e.offset) ? MAX32 : e.offset)
      .bytes(name);
    if (extra.length) {
      r.u16(0x0001).u16(8 * extra.length);
      for (const v of extra) r.u64(v);
    }
    return r.done();
  }

  /**
   * What closes the archive, written right after the central directory: the ZIP64 end record and its locator
   * when any value needs them, then the classic end record.
   */
  end(dir: { entries: number; size: number; offset: number }): Uint8Array {
    const zip64 = dir.entries >= this.entryLimit || this.big(dir.size) || this.big(dir.offset);
    const r = new Bytes((zip64 ? 56 + 20 : 0) + 22);
    if (zip64) {
      r.u32(0x06064b50)
        .u64(44) // size of the rest of this record
        .u16((3 << 8) | VERSION_ZIP64)
        .u16(VERSION_ZIP64)
        .u32(0)
        .u32(0)
        .u64(dir.entries)
        .u64(dir.entries)
        .u64(dir.size)
        .u64(dir.offset);
      r.u32(0x07064b50)
        .u32(0)
        .u64(dir.offset + dir.size) // where the ZIP64 end record starts
        .u32(1);
    }
    const entries = zip64 && dir.entries >= this.entryLimit ? MAX16 : dir.entries;
    r.u32(0x06054b50)
      .u16(0)
      .u16(0)
      .u16(entries)
      .u16(entries)
      .u32(zip64 && this.big(dir.size) ? MAX32 : dir.size)
      .u32(zip64 && this.big(dir.offset) ? MAX32 : dir.offset)
      .u16(0);
    return r.done();
  }

  /** One file's local header and data, and its entry for the central directory. */
  async file(name: string, data: Uint8Array, opts: { offset: number; modified: Date; method?: ZipMethod }): Promise<{ bytes: Uint8Array[]; entry: ZipEntry }> {
    const method = opts.method ?? 'store';
    const stored = method === 'deflate' ? await deflateRaw(data) : data;
    const entry: ZipEntry = { name, method, crc32: crc32(data), compressedSize: stored.length, size: data.length, offset: opts.offset, modified: opts.modified };
    return { bytes: [this.localHeader(entry), stored], entry };
  }
}
