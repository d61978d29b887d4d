// RFC (Registro Federal de Contribuyentes) validation as the SAT defines it: 12 characters for a
// persona moral, 13 for a persona física, a valid date of constitution/birth and the check digit
// (dígito verificador, módulo 11). Pure: runs in workerd and Node alike.

export const RFC_PUBLICO_EN_GENERAL = 'XAXX010101000';
export const RFC_EXTRANJERO = 'XEXX010101000';
export const NOMBRE_PUBLICO_EN_GENERAL = 'PUBLICO EN GENERAL';

export type Persona = 'fisica' | 'moral';

/** The rule an RFC broke, in the order they are checked. */
export type ReglaRfc = 'longitud' | 'formato' | 'fecha' | 'digito_verificador';

export type ResultadoRfc =
  | { valido: true; rfc: string; persona: Persona; generico: boolean }
  | { valido: false; regla: ReglaRfc; mensaje: string };

// Letters of the name part (Ñ and & appear in real RFCs), then YYMMDD, then the homoclave
// (two characters) and the check digit (0–9 or A), as in the CFDI 4.0 XSD pattern.
const FORMATO: Record<Persona, RegExp> = {
  moral: /^[A-ZÑ&]{3}[0-9]{6}[A-Z0-9]{2}[0-9A]$/,
  fisica: /^[A-ZÑ&]{4}[0-9]{6}[A-Z0-9]{2}[0-9A]$/,
};

// The XSDs' own RFC patterns (format only: any digits as the date, no check digit), for the fields the
// SAT checks by pattern alone, such as the banks' RFCs in Pagos 2.0.
const FECHA_XSD = '[0-9]{2}(0[1-9]|1[012])(0[1-9]|[12][0-9]|3[01])';
export const RFC_XSD = {
  /** Pagos20.xsd RfcEmisorCtaBen: a persona moral. */
  moral: new RegExp(`^[A-Z&Ñ]{3}${FECHA_XSD}[A-Z0-9]{2}[0-9A]$`),
  /** Pagos20.xsd RfcEmisorCtaOrd: any RFC, or the generic extranjero. */
  ordenante: new RegExp(`^(${RFC_EXTRANJERO}|[A-Z&Ñ]{3,4}${FECHA_XSD}[A-Z0-9]{2}[0-9A])$`),
} as const;

// Value of each character in the SAT check-digit algorithm: its index in this string
// (0–9 → 0–9, A–N → 10–23, & → 24, O–Z → 25–36, space → 37, Ñ → 38).
const VALORES = '0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ';

export const esRfcGenerico = (rfc: string) => rfc === RFC_PUBLICO_EN_GENERAL || rfc === RFC_EXTRANJERO;

/** Persona moral RFCs have 12 characters, física (and the generic ones) 13. */
export const personaDeRfc = (rfc: string): Persona => (rfc.length === 12 ? 'moral' : 'fisica');

/**
 * The check digit of an RFC given its first 11 (moral) or 12 (física) characters: the moral one is
 * left-padded with a space to 12; each character's value is weighted 13 down to 2; the digit is
 * 11 − (sum mod 11), with 11 → '0' and 10 → 'A'.
 */
export function digitoVerificadorRfc(base: string): string {
  if (base.length !== 11 && base.length !== 12) throw new RangeError('La base del RFC debe tener 11 o 12 caracteres.');
  const texto = base.padStart(12, ' ');
  let suma = 0;
  for (let i = 0; i < 12; i++) {
    const valor = VALORES.indexOf(texto[i]);
    if (valor < 0) throw new RangeError(`Carácter inválido en el RFC: ${texto[i]}`);
    suma += valor * (13 - i);
  }
  const digito = 11 - (suma % 11);
  return digito === 11 ? '0' : digito === 10 ? 'A' : String(digito);
}

function fechaValida(yymmdd: string): boolean {
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  if (mm < 1 || mm > 12 || dd < 1) return false;
  // Two-digit year: 00 stands for 2000 (leap) as well as 1900, and the SAT issues both; every
  // year divisible by 4 may have a 29 February.
  const diasFebrero = yy % 4 === 0 ? 29 : 28;
  const dias = [31, diasFebrero, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1]!;
  return dd <= dias;
}

/**
 * Normalises (trim, upper case, NFC) and validates an RFC. Generic RFCs (público en general,
 * extranjero) are valid as they are: XAXX010101000 does not carry a valid check digit.
 */
export function validarRfc(entrada: string): ResultadoRfc {
  const rfc = entrada.normalize('NFC').trim().toUpperCase();
  if (esRfcGenerico(rfc)) return { valido: true, rfc, persona: 'fisica', generico: true };
  const largo = rfc.length;
  if (largo !== 12 && largo !== 13) {
    return {
      valido: false,
      regla: 'longitud',
      mensaje: `El RFC debe tener 12 caracteres (persona moral) o 13 (persona física); tiene ${largo}.`,
    };
  }
  const persona: Persona = largo === 12 ? 'moral' : 'fisica';
  if (!FORMATO[persona].test(rfc)) {
    return {
      valido: false,
      regla: 'formato',
      mensaje:
        persona === 'moral'
          ? 'El RFC de persona moral debe ser 3 letras, la fecha AAMMDD, 2 caracteres de homoclave y el dígito verificador (0–9 o A).'
          : 'El RFC de persona física debe ser 4 letras, la fecha AAMMDD, 2 caracteres de homoclave y el dígito verificador (0–9 o A).',
    };
  }
  const inicioFecha = persona === 'moral' ? 3 : 4;
  const fecha = rfc.slice(inicioFecha, inicioFecha + 6);
  if (!fechaValida(fecha)) {
    return { valido: false, regla: 'fecha', mensaje: `La fecha del RFC (${fecha}, AAMMDD) no existe.` };
  }
  const esperado = digitoVerificadorRfc(rfc.slice(0, -1));
  if (rfc.at(-1) !== esperado) {
    return {
      valido: false,
      regla: 'digito_verificador',
      mensaje: `El dígito verificador del RFC no corresponde: termina en ${rfc.at(-1)} y debería terminar en ${esperado}.`,
    };
  }
  return { valido: true, rfc, persona, generico: false };
}

/**
 * What is wrong with an RFC written into a comprobante, as clientes report it (code `rfc_<regla>`), or
 * undefined. The XML carries the value as given, so it must already be in its normal form.
 */
export function problemaRfc(rfc: string): { message: string; code: string } | undefined {
  const r = validarRfc(rfc);
  if (!r.valido) return { message: `RFC inválido (${r.regla}): ${r.mensaje}`, code: `rfc_${r.regla}` };
  if (r.rfc !== rfc) return { message: 'RFC inválido (formato): debe escribirse en mayúsculas y sin espacios.', code: 'rfc_formato' };
  return undefined;
}
