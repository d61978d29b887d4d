import Decimal from 'decimal.js';
import qrcode from 'qrcode-generator';

/**
 * The verification URL the QR of a CFDI 4.0 representación impresa encodes, per the Anexo 20
 * "Especificación técnica del código de barras bidimensional a incorporar en la representación impresa":
 *   https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx?id=…&re=…&rr=…&tt=…&fe=…
 * - id: the folio fiscal (UUID of the TimbreFiscalDigital), 36 characters.
 * - re / rr: RFC of the emisor / receptor; an "&" in an RFC is written as "&amp;" (the SAT's rule, as
 *   the XML writes it), other characters (Ñ) as they are.
 * - tt: the Total, at most 25 positions (18 integers, ".", 6 decimals) without non-significant zeros;
 *   an integer total keeps one decimal zero ("1000" → "1000.0", "1000.50" → "1000.5").
 * - fe: the last 8 characters of the emisor's Sello (Comprobante/@Sello, equal to TFD/@SelloCFD).
 */
export function urlVerificacionSat(args: {
  uuid: string;
  rfcEmisor: string;
  rfcReceptor: string;
  total: string;
  sello: string;
}): string {
  const rfc = (r: string) => r.replace(/&/g, '&amp;');
  const seisDecimales = new Decimal(args.total).toFixed(6, Decimal.ROUND_HALF_UP);
  const tt = seisDecimales.replace(/0+$/, '').replace(/\.$/, '.0');
  return (
    'https://verificacfdi.facturaelectronica.sat.gob.mx/default.aspx' +
    `?id=${args.uuid}&re=${rfc(args.rfcEmisor)}&rr=${rfc(args.rfcReceptor)}&tt=${tt}&fe=${args.sello.slice(-8)}`
  );
}

/** Dark/light modules of the QR code of `texto` (UTF-8, error correction M), row by row. */
export function modulosQr(texto: string): boolean[][] {
  const qr = qrcode(0, 'M');
  // The library's byte mode takes one char per byte: hand it the UTF-8 bytes so an Ñ survives.
  qr.addData(String.fromCharCode(...new TextEncoder().encode(texto)), 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, fila) => Array.from({ length: n }, (_, col) => qr.isDark(fila, col)));
}
