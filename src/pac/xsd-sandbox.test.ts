import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { emitirCfdi, fromBase64, leerCsd, parseXml, sellarCfdi, validateXsd, verificarCfdi, type Csd } from '../cfdi';
import { facturaBase } from '../../test/factura-base';
import { SandboxPac } from './sandbox';

// The sandbox PAC refuses, as a real PAC does, a CFDI that is not well-formed XML or breaks the SAT's XSD (code 301),
// here inside workerd where the check runs in production. The XSD-invalid ones are sealed again after the change,
// so their Sello is good and only the schema can catch them.

const EMISOR = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };
let csd: Csd;
let sellado: string;

beforeAll(async () => {
  ({ csd } = await leerCsd(fromBase64(env.TEST_CSD_CER), fromBase64(env.TEST_CSD_KEY), '12345678a'));
  const r = await emitirCfdi(facturaBase(), EMISOR, csd);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  sellado = r.xml;
});

const pac = () => new SandboxPac({ keyPem: env.SANDBOX_PAC_KEY_PEM, certPem: env.SANDBOX_PAC_CERT_PEM, store: env.CFDI_BUCKET });
const OPCIONES = { referencia: 'xsd-sandbox', cuenta: 'xsd-sandbox' };

/** `xml` with `de` replaced by `a` (which must be there), sealed again with the test CSD. */
async function resellado(de: RegExp, a: string): Promise<string> {
  expect(sellado).toMatch(de);
  const xml = await sellarCfdi(sellado.replace(de, a), csd);
  expect((await verificarCfdi(xml)).sello.valido).toBe(true);
  return xml;
}

describe('sandbox PAC: the SAT XSD and well-formedness (301)', () => {
  it('stamps a valid CFDI, and what it returns is valid too', async () => {
    const r = await pac().timbrar(sellado, OPCIONES);
    if (!r.ok) throw new Error(JSON.stringify(r.errores));
    expect(validateXsd(parseXml(r.timbre.xml))).toEqual([]);
  });

  it('refuses a CFDI that is not well-formed XML', async () => {
    for (const malo of [sellado.replace('Nombre="', 'Nombre="\u0001'), sellado.replace('Nombre="', 'Nombre="&#xFFFF;'), sellado.replace('</cfdi:Conceptos>', '')]) {
      const r = await pac().timbrar(malo, OPCIONES);
      expect(r).toMatchObject({ ok: false, tipo: 'rechazo', errores: [{ code: '301' }] });
      expect(!r.ok && r.errores[0].message).toMatch(/XML mal formado/);
    }
  });

  const CASOS: [string, RegExp, string, RegExp][] = [
    ['more decimals than fractionDigits', /Cantidad="2"/, 'Cantidad="2.0000001"', /cfdi:Concepto\/@Cantidad.*6 decimales/],
    ['Receptor before Emisor', /(<cfdi:Emisor[^>]*\/>)(<cfdi:Receptor[^>]*\/>)/, '$2$1', /cfdi:Receptor no permitido aquí; se esperaba .* o Emisor/],
    ['an attribute the schema does not declare', /<cfdi:Concepto /, '<cfdi:Concepto Color="rojo" ', /@Color.*no está permitido/],
    ['an element the schema does not declare', /<cfdi:Conceptos>/, '<cfdi:Conceptos><cfdi:Nota/>', /cfdi:Nota no permitido aquí/],
    ['a required attribute missing', / ValorUnitario="[^"]*"/, '', /Falta el atributo requerido ValorUnitario/],
    ['a pattern broken', /DomicilioFiscalReceptor="42501"/, 'DomicilioFiscalReceptor="4250A"', /DomicilioFiscalReceptor.*\[0-9\]\{5\}/],
  ];
  for (const [caso, de, a, mensaje] of CASOS) {
    it(`refuses a sealed CFDI with ${caso}`, async () => {
      const r = await pac().timbrar(await resellado(de, a), OPCIONES);
      if (r.ok) throw new Error('stamped');
      expect(r.tipo).toBe('rechazo');
      expect(r.errores.every((e) => e.code === '301')).toBe(true);
      expect(r.errores.map((e) => e.message).join('\n')).toMatch(mensaje);
    });
  }
});
