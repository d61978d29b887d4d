// Test support for the PDF's tests (pdf.test.ts, pdf-layout.test.ts): the SAT's samples carry no timbre, and the
// representación impresa needs one to draw; the PDF does not verify it, so a fictitious one serves.

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
