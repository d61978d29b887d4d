// Test support for the PDF's tests (pdf.test.ts, pdf-layout.test.ts): the SAT's samples carry no timbre, and the
// representación impresa needs one to draw; the PDF does not verify it, so a fictitious one serves.
import { emitir, type TipoEmitible } from './comprobantes';
import { leerCsd } from './csd';

export const atributo = (xml: string, nombre: string) => (new RegExp(` ${nombre}="([^"]*)"`).exec(xml) as RegExpExecArray)[1];

/** A sample without TimbreFiscalDigital, stamped with a fictitious one. */
export function conTimbre(xml: string, uuid: string): string {
  const tfd =
    `<tfd:TimbreFiscalDigital xmlns:tfd="http://www.sat.gob.mx/TimbreFiscalDigital" Version="1.1" UUID="${uuid}" ` +
    `FechaTimbrado="2023-06-18T19:22:00" RfcProvCertif="SPR190613I52" SelloCFD="${atributo(xml, 'Sello')}" ` +
    `NoCertificadoSAT="30001000000500003456" SelloSAT="U2VsbG9TQVRkZVBydWViYQ=="/>`;
  return xml.includes('<cfdi:Complemento>')
    ? xml.replace('<cfdi:Complemento>', `<cfdi:Complemento>${tfd}`)
    : xml.replace('</cfdi:Comprobante>', `<cfdi:Complemento>${tfd}</cfdi:Complemento></cfdi:Comprobante>`);
}

/**
 * A request fixture of test/fixtures/cfdi/ (`nomina/incapacidad`) issued as `tipo` by the SAT's test CSD, as the
 * emission tests do (its fecha is 2026-11-20 12:00 Mexico City), with a fictitious timbre. `leer` reads a file of
 * test/fixtures/ (the core itself reads no files).
 */
export async function emitidoDeFixture(leer: (ruta: string) => Uint8Array, tipo: TipoEmitible, fixture: string, uuid: string): Promise<string> {
  const ahora = new Date('2026-11-20T19:00:00Z');
  const { csd } = await leerCsd(leer('EKU9003173C9.cer'), leer('EKU9003173C9.key'), '12345678a', { ahora });
  const emisor = { rfc: 'EKU9003173C9', nombre: 'ESCUELA KEMPER URGATE', regimenFiscal: '601', lugarExpedicion: '42501' };
  const r = await emitir(tipo, JSON.parse(new TextDecoder().decode(leer(`cfdi/${fixture}.json`))), emisor, csd, { ahora });
  if (!r.ok) throw new Error(`${fixture}: ${JSON.stringify(r.errors)}`);
  return conTimbre(r.xml, uuid);
}
