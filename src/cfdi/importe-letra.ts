import Decimal from 'decimal.js';

/**
 * "Importe con letra" as Mexican invoices print it: the integer part in Spanish words, the cents as
 * NN/100 and the currency, e.g. "MIL DOSCIENTOS TREINTA Y CUATRO PESOS 56/100 M.N.".
 * The amount is a decimal string (thousands commas allowed); the integer part is handled as a BigInt
 * so no precision is lost, and the cents are rounded half-up to two places with decimal.js.
 */

interface NombreMoneda {
  singular: string;
  plural: string;
  sufijo: string;
}

// Only currencies whose noun is masculine: the apocope "UN"/"VEINTIÚN" below assumes it.
const MONEDAS: Record<string, NombreMoneda> = {
  MXN: { singular: 'PESO', plural: 'PESOS', sufijo: 'M.N.' },
  USD: { singular: 'DÓLAR', plural: 'DÓLARES', sufijo: 'USD' },
  EUR: { singular: 'EURO', plural: 'EUROS', sufijo: 'EUR' },
  CAD: { singular: 'DÓLAR CANADIENSE', plural: 'DÓLARES CANADIENSES', sufijo: 'CAD' },
};

const UNIDADES = [
  'CERO', 'UNO', 'DOS', 'TRES', 'CUATRO', 'CINCO', 'SEIS', 'SIETE', 'OCHO', 'NUEVE',
  'DIEZ', 'ONCE', 'DOCE', 'TRECE', 'CATORCE', 'QUINCE', 'DIECISÉIS', 'DIECISIETE', 'DIECIOCHO', 'DIECINUEVE',
  'VEINTE', 'VEINTIUNO', 'VEINTIDÓS', 'VEINTITRÉS', 'VEINTICUATRO', 'VEINTICINCO', 'VEINTISÉIS', 'VEINTISIETE',
  'VEINTIOCHO', 'VEINTINUEVE',
];
const DECENAS = ['', '', '', 'TREINTA', 'CUARENTA', 'CINCUENTA', 'SESENTA', 'SETENTA', 'OCHENTA', 'NOVENTA'];
const CENTENAS = [
  '', 'CIENTO', 'DOSCIENTOS', 'TRESCIENTOS', 'CUATROCIENTOS', 'QUINIENTOS', 'SEISCIENTOS', 'SETECIENTOS',
  'OCHOCIENTOS', 'NOVECIENTOS',
];

/** 1..999. `apocope`: the number precedes a masculine noun (MIL, MILLONES, PESOS): UNO → UN. */
function centenas(n: number, apocope: boolean): string {
  if (n === 100) return 'CIEN';
  const partes: string[] = [];
  const c = Math.floor(n / 100);
  const resto = n % 100;
  if (c > 0) partes.push(CENTENAS[c]);
  if (resto > 0) {
    let palabra: string;
    if (resto < 30) palabra = UNIDADES[resto];
    else {
      const u = resto % 10;
      palabra = DECENAS[Math.floor(resto / 10)] + (u > 0 ? ` Y ${UNIDADES[u]}` : '');
    }
    if (apocope) palabra = palabra.replace(/VEINTIUNO$/, 'VEINTIÚN').replace(/UNO$/, 'UN');
    partes.push(palabra);
  }
  return partes.join(' ');
}

/** 1..999,999: "MIL", not "UN MIL"; "VEINTIÚN MIL". */
function miles(n: number, apocope: boolean): string {
  const m = Math.floor(n / 1000);
  const resto = n % 1000;
  const partes: string[] = [];
  if (m === 1) partes.push('MIL');
  else if (m > 1) partes.push(`${centenas(m, true)} MIL`);
  if (resto > 0) partes.push(centenas(resto, apocope));
  return partes.join(' ');
}

/** Long scale as used in Mexico: MILLÓN = 10^6, BILLÓN = 10^12, "MIL MILLONES" = 10^9. */
const ESCALAS: Array<{ valor: bigint; singular: string; plural: string }> = [
  { valor: 10n ** 12n, singular: 'BILLÓN', plural: 'BILLONES' },
  { valor: 10n ** 6n, singular: 'MILLÓN', plural: 'MILLONES' },
];

function enLetras(n: bigint, apocope: boolean): string {
  if (n === 0n) return 'CERO';
  for (const escala of ESCALAS) {
    if (n >= escala.valor) {
      const cuantos = n / escala.valor;
      const resto = n % escala.valor;
      const cabeza = cuantos === 1n ? `UN ${escala.singular}` : `${enLetras(cuantos, true)} ${escala.plural}`;
      return resto === 0n ? cabeza : `${cabeza} ${enLetras(resto, apocope)}`;
    }
  }
  return miles(Number(n), apocope);
}

export function importeConLetra(total: string, moneda: string): string {
  const limpio = total.replace(/,/g, '').trim();
  if (!/^\d+(\.\d+)?$/.test(limpio)) throw new Error(`importeConLetra: importe inválido "${total}"`);
  const redondeado = new Decimal(limpio).toFixed(2, Decimal.ROUND_HALF_UP);
  const [entero, centavos] = redondeado.split('.');
  const n = BigInt(entero);
  if (n >= 10n ** 18n) throw new Error(`importeConLetra: importe fuera de rango "${total}"`);

  const nombre = MONEDAS[moneda];
  if (!nombre) return `${enLetras(n, false)} ${centavos}/100 ${moneda}`;
  const palabras = enLetras(n, true);
  const sustantivo = n === 1n ? nombre.singular : nombre.plural;
  // "UN MILLÓN DE PESOS", "DOS MILLONES DE PESOS": a bare scale word takes "DE" before the noun.
  const de = /(MILLÓN|MILLONES|BILLÓN|BILLONES)$/.test(palabras) ? ' DE' : '';
  return `${palabras}${de} ${sustantivo} ${centavos}/100 ${nombre.sufijo}`;
}
