import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crc32, ZipWriter, type ZipEntry, type ZipOptions } from '../../src/lib/zip';

// The ZIP writer against the tools that read ZIPs for a living: Info-ZIP's unzip -t / zipinfo and python's zipfile.

const enc = new TextEncoder();

async function archivo(files: { name: string; data: Uint8Array; method?: 'store' | 'deflate' }[], opts: ZipOptions = {}) {
  const zip = new ZipWriter(opts);
  const partes: Uint8Array[] = [];
  const entries: ZipEntry[] = [];
  let offset = 0;
  for (const f of files) {
    const { bytes, entry } = await zip.file(f.name, f.data, { offset, modified: new Date('2026-11-25T10:30:08Z'), method: f.method });
    for (const b of bytes) (partes.push(b), (offset += b.length));
    entries.push(entry);
  }
  const dirOffset = offset;
  for (const e of entries) {
    const r = zip.centralRecord(e);
    partes.push(r);
    offset += r.length;
  }
  partes.push(zip.end({ entries: entries.length, size: offset - dirOffset, offset: dirOffset }));
  const dir = mkdtempSync(path.join(tmpdir(), 'zip-'));
  const file = path.join(dir, 'a.zip');
  writeFileSync(file, Buffer.concat(partes));
  return file;
}

const unzipT = (file: string) => execFileSync('unzip', ['-t', file], { encoding: 'utf8' });
/** name → bytes (base64), as python's zipfile reads them, with the CRC checked by testzip. */
function python(file: string): Record<string, string> {
  const code = `import zipfile,json,base64,sys
z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
print(json.dumps({i.filename: base64.b64encode(z.read(i)).decode() for i in z.infolist()}))`;
  return JSON.parse(execFileSync('python3', ['-c', code, file], { encoding: 'utf8' }));
}

describe('ZipWriter', () => {
  it('crc32 matches the known check value and continues across chunks', () => {
    expect(crc32(enc.encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(enc.encode('56789'), crc32(enc.encode('1234')))).toBe(0xcbf43926);
  });

  it('writes an archive unzip and python read back byte for byte, stored and deflated, with UTF-8 names', async () => {
    const xml = enc.encode('<?xml version="1.0" encoding="UTF-8"?>\n<cfdi:Comprobante Total="1160.00"/>'.repeat(50));
    const pdf = new Uint8Array(3000).map((_, i) => (i * 7919) % 251);
    const file = await archivo([
      { name: '2026-11/A1-AAAA.xml', data: xml, method: 'deflate' },
      { name: '2026-11/A1-AAAA.pdf', data: pdf },
      { name: 'manifiesto-ñandú.csv', data: enc.encode('uuid,total\r\n') },
      { name: 'vacío.txt', data: new Uint8Array(0), method: 'deflate' },
    ]);
    expect(unzipT(file)).toContain('No errors detected');
    const info = execFileSync('zipinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/defN.*2026-11\/A1-AAAA\.xml/);
    expect(info).toMatch(/stor.*2026-11\/A1-AAAA\.pdf/);
    expect(info).toContain('26-Nov-25 10:30');
    const leidos = python(file);
    expect(Object.keys(leidos)).toEqual(['2026-11/A1-AAAA.xml', '2026-11/A1-AAAA.pdf', 'manifiesto-ñandú.csv', 'vacío.txt']);
    expect(Buffer.from(leidos['2026-11/A1-AAAA.xml']!, 'base64').equals(Buffer.from(xml))).toBe(true);
    expect(Buffer.from(leidos['2026-11/A1-AAAA.pdf']!, 'base64').equals(Buffer.from(pdf))).toBe(true);
    expect(leidos['vacío.txt']).toBe('');
  });

  it('uses ZIP64 records for sizes, offsets and entry counts past the threshold, and the readers follow them', async () => {
    const files = Array.from({ length: 40 }, (_, i) => ({ name: `f/${i}.txt`, data: enc.encode(`archivo ${i} `.repeat(i + 1)), method: i % 2 ? ('deflate' as const) : undefined }));
    const file = await archivo(files, { zip64Threshold: 32 });
    const bytes = readFileSync(file);
    // the ZIP64 end record and its locator are there, and the classic record defers to them
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true);
    const eocd = bytes.subarray(bytes.length - 22);
    expect(eocd.readUInt16LE(10)).toBe(0xffff);
    expect(eocd.readUInt32LE(16)).toBe(0xffffffff);
    expect(unzipT(file)).toContain('No errors detected');
    const leidos = python(file);
    expect(Object.keys(leidos)).toHaveLength(40);
    for (const f of files) expect(Buffer.from(leidos[f.name]!, 'base64').equals(Buffer.from(f.data))).toBe(true);
  });

  it('keeps the classic records when nothing reaches the threshold', async () => {
    const file = await archivo([{ name: 'a.txt', data: enc.encode('hola') }]);
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(false);
    expect(bytes.length).toBe(30 + 5 + 4 + 46 + 5 + 22);
  });
});
