import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { facturaPPD, facturaTimbrada } from '../../../test/comprobantes';
import { api, createEmisor, createTenant, expectError, json } from '../../../test/helpers';
import { toBase64 } from '../../cfdi';

// POST /cfdi/verificar: a received CFDI checked without storing anything. The documents are ones the sandbox
// stamped (so the sandbox PAC's certificate verifies their SelloSAT) and the SAT samples in test/fixtures.

const verificar = (token: string, body: string | Uint8Array, type = 'application/xml') =>
  exports.default.fetch(
    new Request('http://hexafac.test/api/hexafac/v1/cfdi/verificar', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': type }, body }),
  );


async function xmlTimbrado(descripcion?: string) {
  const t = await createEmisor();
  const body = facturaPPD();
  if (descripcion) body.conceptos[0]!.descripcion = descripcion;
  const f = await facturaTimbrada(t.token, body);
  const xml = await (await api('GET', `/facturas/${f.id}/xml`, { token: t.token })).text();
  return { ...t, f, xml };
}

describe('POST /cfdi/verificar — happy', () => {
  it('verifies a CFDI the sandbox stamped: Sello, timbre with the sandbox certificate, XSD and rules, and gives it as JSON', async () => {
    const { token, f, xml } = await xmlTimbrado();
    const res = await verificar(token, xml);
    expect(res.status).toBe(200);
    const r = await json(res);
    expect(r).toMatchObject({
      valido: true,
      version: '4.0',
      tipo_de_comprobante: 'I',
      sello: { valido: true, rfc: 'EKU9003173C9', motivo: null },
      timbre: { presente: true, uuid: f.uuid, sello_cfd_coincide: true, sello_sat: 'valido' },
      estructura: { errores: [] },
      reglas: { errores: [] },
      estado_sat: null,
      emisor: { rfc: 'EKU9003173C9' },
      totales: { total: f.total, moneda: 'MXN' },
      complementos: ['tfd:TimbreFiscalDigital'],
    });
    expect(r.cfdi).toMatchObject({ version: '4.0', total: f.total, receptor: { rfc: f.receptor.rfc }, complemento: { timbre_fiscal_digital: { uuid: f.uuid } } });
    expect(r.cfdi.conceptos[0]).toMatchObject({ clave_prod_serv: expect.any(String), valor_unitario: expect.any(String) });
  });

  it('takes the same document as JSON text or base64 and answers the same', async () => {
    const { token, xml } = await xmlTimbrado();
    const comoXml = await json(await verificar(token, xml));
    const comoTexto = await api('POST', '/cfdi/verificar', { token, body: { xml } });
    expect(comoTexto.status).toBe(200);
    expect(await json(comoTexto)).toEqual(comoXml);
    const comoBase64 = await api('POST', '/cfdi/verificar', { token, body: { xml_base64: toBase64(new TextEncoder().encode(xml)) } });
    expect(await json(comoBase64)).toEqual(comoXml);
  });

  it('with a live key the sandbox stamp is not trusted: sello_sat desconocido, never valid', async () => {
    const { xml } = await xmlTimbrado();
    const { token } = await createTenant({ mode: 'live' });
    const r = await json(await verificar(token, xml));
    expect(r.timbre).toMatchObject({ presente: true, sello_sat: 'desconocido' });
    expect(r.sello.valido).toBe(true);
  });

  it('reports a tampered document: the Sello no longer verifies and the totals break the rules of the SAT', async () => {
    const { token, xml } = await xmlTimbrado();
    const r = await json(await verificar(token, xml.replace(/Total="([0-9.]+)"/, 'Total="999999.00"')));
    expect(r.valido).toBe(false);
    expect(r.sello).toMatchObject({ valido: false, motivo: expect.stringContaining('no corresponde') });
    expect(r.reglas.errores.length).toBeGreaterThan(0);
  });

  it('reports what the XSD refuses, with its path, even with a valid Sello elsewhere', async () => {
    const { token, xml } = await xmlTimbrado();
    const r = await json(await verificar(token, xml.replace(/ValorUnitario="([0-9.]+)"/, 'ValorUnitario="1.0000000000000000000000000000000000000001"')));
    expect(r.estructura.errores).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/cfdi:Concepto.*@ValorUnitario$/), code: 'HFX_XSD' })]),
    );
  });

  it('reads a CFDI declared ISO-8859-1 from its bytes', async () => {
    const { token, xml } = await xmlTimbrado('Café, piñón y ¾ de kilo');
    const latin1 = xml.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"');
    const bytes = Uint8Array.from([...latin1].map((ch) => ch.charCodeAt(0)));
    const r = await json(await verificar(token, bytes));
    // the same text, so the same Sello: it still verifies
    expect(r.sello.valido).toBe(true);
    expect(r.cfdi.conceptos[0].descripcion).toBe('Café, piñón y ¾ de kilo');
  });
});

describe('POST /cfdi/verificar — errors', () => {
  it.each([
    ['not XML', 'esto no es XML', 'HFX_XML_MAL_FORMADO', /línea 1, columna 1/],
    ['an attribute name with &', '<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4" a&b="1"/>', 'HFX_XML_MAL_FORMADO', /columna 60/],
    ['-- inside a comment', '<?xml version="1.0"?>\n<!-- a -- b -->\n<a/>', 'HFX_XML_MAL_FORMADO', /línea 2/],
    ['a raw control character', '<a>\u0001</a>', 'HFX_XML_MAL_FORMADO', /U\+0001/],
    ['an undeclared prefix', '<cfdi:Comprobante/>', 'HFX_XML_MAL_FORMADO', /prefijo/],
    ['a CFDI 3.3', '<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/3" Version="3.3"/>', 'HFX_NO_ES_CFDI40', /3\.3/],
    ['another root', '<tfd:TimbreFiscalDigital xmlns:tfd="http://www.sat.gob.mx/TimbreFiscalDigital"/>', 'HFX_NO_ES_CFDI40', /no es un cfdi:Comprobante/],
  ])('%s → 422 with where and why', async (_, body, code, mensaje) => {
    const { token } = await createTenant();
    const e = await expectError(await verificar(token, body), 422, code.slice(4).toLowerCase());
    expect(`${e.message} ${e.details[0].message}`).toMatch(mensaje);
    expect(e.details[0].code).toBe(code);
  });

  it('undecodable bytes → 422 naming the byte', async () => {
    const { token } = await createTenant();
    const e = await expectError(await verificar(token, Uint8Array.from([0x3c, 0x61, 0x3e, 0xe9, 0x3c, 0x2f, 0x61, 0x3e])), 422, 'xml_mal_formado');
    expect(e.message).toMatch(/0xE9/);
  });

  it('JSON without exactly one of xml and xml_base64 → 422; another content type → 415; over 1 MiB → 413', async () => {
    const { token } = await createTenant();
    await expectError(await api('POST', '/cfdi/verificar', { token, body: {} }), 422);
    await expectError(await api('POST', '/cfdi/verificar', { token, body: { xml: '<a/>', xml_base64: 'PGEvPg==' } }), 422);
    await expectError(await api('POST', '/cfdi/verificar', { token, body: { xml: 1 } }), 422);
    await expectError(await verificar(token, '<a/>', 'text/plain'), 415);
    await expectError(await verificar(token, `<a>${'x'.repeat(1024 * 1024)}</a>`), 413);
  });
});

describe('POST /cfdi/verificar — security', () => {
  it('needs a key with cfdi:verificar', async () => {
    await expectError(await verificar('hfx_test_' + 'x'.repeat(43), '<a/>'), 401);
    const { token } = await createTenant({ scopes: ['facturas:read', 'facturas:write'] });
    await expectError(await verificar(token, '<a/>'), 403, 'insufficient_scope');
  });

  it('stores nothing: the same document twice gives the same answer, and another tenant sees no trace of it', async () => {
    const { token, xml } = await xmlTimbrado();
    const antes = await env.DB.prepare('SELECT count(*) AS n FROM hexafac_facturas').first<{ n: number }>();
    const a = await json(await verificar(token, xml));
    const otro = await createTenant();
    const b = await json(await verificar(otro.token, xml));
    expect(b).toEqual(a);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM hexafac_facturas').first<{ n: number }>()).toEqual(antes);
  });
});
