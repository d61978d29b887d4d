/**
 * Packing of the large catalogs into plain strings (grandes.generated.ts): a string literal is parsed
 * far faster than an object literal of 100k rows and costs one byte a character in the bundle.
 * Digits in base 90 over printable ASCII without `"` and `\`, so the strings need no escapes.
 */
const ALFABETO = Array.from({ length: 92 }, (_, i) => String.fromCharCode(35 + i)).filter((c) => c !== '\\').join('').slice(0, 90);
const BASE = ALFABETO.length;
const VALOR = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE; i++) VALOR[ALFABETO.charCodeAt(i)] = i;
/** Varints: digits below MITAD end a number, digits from MITAD up carry on. */
const MITAD = BASE / 2;

/** `n` (≥ 0) as exactly `ancho` base-90 digits. */
export function empacarFijo(n: number, ancho: number): string {
  let s = '';
  for (let i = 0; i < ancho; i++, n = Math.floor(n / BASE)) s = ALFABETO[n % BASE] + s;
  if (n > 0) throw new Error(`value does not fit in ${ancho} digits`);
  return s;
}

/** The fixed-width number at `pos` of `s`. */
export function desempacarFijo(s: string, pos: number, ancho: number): number {
  let n = 0;
  for (let i = pos; i < pos + ancho; i++) n = n * BASE + VALOR[s.charCodeAt(i)];
  return n;
}

/** An ascending list of integers as varint deltas (most are 1-digit: consecutive claves differ little). */
export function empacarCreciente(valores: readonly number[]): string {
  let s = '';
  let anterior = 0;
  for (const v of valores) {
    let d = v - anterior;
    if (d < 0) throw new Error('values must be ascending');
    anterior = v;
    let digitos = ALFABETO[d % MITAD];
    for (d = Math.floor(d / MITAD); d > 0; d = Math.floor(d / MITAD)) digitos = ALFABETO[MITAD + (d % MITAD)] + digitos;
    s += digitos;
  }
  return s;
}

export function desempacarCreciente(s: string): Uint32Array {
  const out: number[] = [];
  let actual = 0;
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const v = VALOR[s.charCodeAt(i)];
    if (v >= MITAD) d = d * MITAD + (v - MITAD);
    else {
      actual += d * MITAD + v;
      out.push(actual);
      d = 0;
    }
  }
  return Uint32Array.from(out);
}

/** Index of the last element of `orden` (ascending) that is ≤ `x`; -1 when none is. */
export function ultimoHasta(orden: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = orden.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (orden[m] <= x) lo = m + 1;
    else hi = m;
  }
  return lo - 1;
}
