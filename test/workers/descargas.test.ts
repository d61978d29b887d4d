import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../../src/db/client';
import { facturas } from '../../src/db/schema';
import { api, createEmisor, facturaBase, json, waitFor } from '../helpers';

// The download routes name their file from the row's serie and folio. Validation refuses control characters
// there, but rows stored before it (or written by any other path) may hold them: the download must still be a
// 200 with a header the runtime accepts and that says nothing but the file name.

// A header value: printable ASCII, no CR/LF/NUL; exactly the two filename parameters.
const SEGURO = /^attachment; filename="[\x20\x21\x23-\x5b\x5d-\x7e]*"; filename\*=UTF-8''(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})*$/;

const nombreUtf8 = (valor: string) => decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(valor)![1]!);

describe('GET /facturas/{id}/xml, /pdf, /acuse — Content-Disposition from hostile serie and folio', () => {
  it('answers 200 with a safe header for a serie with NUL, CR, LF, a quote and non-ASCII', async () => {
    const { token } = await createEmisor();
    const { id } = await json(await api('POST', '/facturas', { token, body: facturaBase() }));
    const f = await waitFor(async () => {
      const r = await json(await api('GET', `/facturas/${id}`, { token }));
      return r.status === 'timbrada' ? r : null;
    }, 'timbrada');

    const serie = 'A\u0000B\r\nSet-Cookie: x=1"; filename="evil.exe';
    const folio = 'Ñ\n7';
    const db = getDb(env);
    const acuseKey = `test/acuses/${id}.xml`;
    await env.CFDI_BUCKET.put(acuseKey, '<Acuse/>');
    await db.update(facturas).set({ serie, folio, acuse_key: acuseKey }).where(eq(facturas.id, id));
    // The row really holds the characters (D1 does not cut at the NUL), so the routes below see them.
    expect((await db.select().from(facturas).where(eq(facturas.id, id)).get())!.serie).toBe(serie);

    const base = `A_B__Set-Cookie: x=1"; filename="evil.exeÑ_7-${f.uuid}`;
    for (const [ruta, sufijo, tipo] of [
      ['xml', '.xml', 'application/xml'],
      ['pdf', '.pdf', 'application/pdf'],
      ['acuse', '-acuse.xml', 'application/xml'],
    ] as const) {
      const res = await api('GET', `/facturas/${id}/${ruta}`, { token });
      expect(res.status, ruta).toBe(200);
      expect(res.headers.get('Content-Type')).toContain(tipo);
      const valor = res.headers.get('Content-Disposition')!;
      expect(valor, ruta).toMatch(SEGURO);
      expect(nombreUtf8(valor)).toBe(`${base}${sufijo}`);
      expect(valor).toContain(`filename="A_B__Set-Cookie: x=1_; filename=_evil.exe__7-${f.uuid}${sufijo}"`);
      await res.arrayBuffer();
    }
  });
});
