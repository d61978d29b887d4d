/**
 * Type-ahead search over a catalog's texts, in memory. In the Worker rather than D1 FTS5: the catalogs
 * are already in the bundle (the validation needs them), a query then costs no round trip to D1 and no
 * per-tenant rows, and FTS5's tokenizers fold neither Spanish accents the way we want nor plurals.
 *
 * Each entry has two fields: its main text (descripción, nombre) and secondary words (palabras
 * similares, símbolo). Words are folded (lower case, no accents, Spanish plural stripped) and every
 * query word must prefix some word of the entry; exact words and the main field rank higher, then
 * shorter texts (more specific).
 */
const PALABRAS_VACIAS = new Set(['a', 'al', 'con', 'de', 'del', 'e', 'el', 'en', 'la', 'las', 'lo', 'los', 'o', 'para', 'por', 'sin', 'su', 'sus', 'u', 'un', 'una', 'y']);

/** Lower case without accents (ñ → n). */
const plegar = (texto: string) => texto.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Folded words: split on anything but letters and digits. */
export function palabras(texto: string): string[] {
  return plegar(texto).split(/[^a-z0-9]+/).filter(Boolean);
}

/** Spanish plural to singular, closely enough that both fold to the same prefix (camiones → camion, luces → luz). */
export function singular(p: string): string {
  if (p.length < 4) return p;
  if (p.endsWith('ces')) return `${p.slice(0, -3)}z`;
  if (/[lrndj]es$/.test(p)) return p.slice(0, -2);
  if (/[aeiou]s$/.test(p)) return p.slice(0, -1);
  return p;
}

export interface Acierto { indice: number; puntaje: number }

export class Buscador {
  private readonly terminos: string[];
  /** Postings of terminos[t] are entradas[desde[t] .. desde[t+1]), each `indice * 2 + campo`. */
  private readonly desde: Uint32Array;
  private readonly entradas: Uint32Array;
  private readonly largo: Uint16Array;
  private readonly total: Float64Array;
  private readonly aciertos: Uint8Array;
  private readonly mejor: Float64Array;
  private readonly marca: Uint32Array;
  private sello = 0;

  /** `principal[i]`, `secundario[i]`: the two fields of entry i. */
  constructor(principal: readonly string[], secundario: readonly string[]) {
    const n = principal.length;
    const porTermino = new Map<string, number[]>();
    // Each distinct word is folded to its term once: the catalogs repeat a vocabulary of a few tens of thousands.
    const terminoDe = new Map<string, string | null>();
    this.largo = new Uint16Array(n);
    // One normalize over each joined field is cheaper than one per entry.
    const campos = [principal, secundario].map((textos) => plegar(textos.join('\n')).split('\n'));
    for (let i = 0; i < n; i++) {
      for (let campo = 0; campo < 2; campo++) {
        const ps = campos[campo][i].split(/[^a-z0-9]+/);
        if (campo === 0) this.largo[i] = Math.min(ps.length, 65_535);
        for (const p of ps) {
          if (!p) continue;
          let t = terminoDe.get(p);
          if (t === undefined) terminoDe.set(p, (t = PALABRAS_VACIAS.has(p) ? null : singular(p)));
          if (t === null) continue;
          let lista = porTermino.get(t);
          if (!lista) porTermino.set(t, (lista = []));
          // One posting per entry and term: the main field, indexed first, wins.
          if (lista.length === 0 || lista[lista.length - 1] >> 1 !== i) lista.push(i * 2 + campo);
        }
      }
    }
    this.terminos = [...porTermino.keys()].sort();
    this.desde = new Uint32Array(this.terminos.length + 1);
    let cuenta = 0;
    this.terminos.forEach((t, k) => {
      this.desde[k] = cuenta;
      cuenta += porTermino.get(t)!.length;
    });
    this.desde[this.terminos.length] = cuenta;
    this.entradas = new Uint32Array(cuenta);
    this.terminos.forEach((t, k) => this.entradas.set(porTermino.get(t)!, this.desde[k]));
    this.total = new Float64Array(n);
    this.aciertos = new Uint8Array(n);
    this.mejor = new Float64Array(n);
    this.marca = new Uint32Array(n);
  }

  /** First index of `terminos` ≥ `p`. */
  private cota(p: string): number {
    let lo = 0;
    let hi = this.terminos.length;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (this.terminos[m] < p) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  /** Entries matching every word of `q`, best first, at most `limite`; `admite` filters (e.g. vigencia). */
  buscar(q: string, limite: number, admite: (i: number) => boolean = () => true): Acierto[] {
    const todas = palabras(q);
    const utiles = todas.filter((p) => !PALABRAS_VACIAS.has(p));
    const consulta = [...new Set((utiles.length ? utiles : todas).map(singular))];
    if (!consulta.length) return [];
    // Rarest word first: the later ones only look at the entries that matched every earlier one.
    const rangos = consulta
      .map((p) => ({ p, lo: this.cota(p), hi: this.cota(`${p}\uffff`) }))
      .map((r) => ({ ...r, tamano: this.desde[r.hi] - this.desde[r.lo] }))
      .sort((a, b) => a.tamano - b.tamano);
    let vivos: number[] = [];
    rangos.forEach(({ p, lo, hi }, k) => {
      const sello = ++this.sello;
      const tocados: number[] = [];
      for (let t = lo; t < hi; t++) {
        const exacto = this.terminos[t] === p ? 1.5 : 1;
        for (let e = this.desde[t]; e < this.desde[t + 1]; e++) {
          const i = this.entradas[e] >> 1;
          if (this.aciertos[i] !== k) continue;
          const puntos = exacto * (this.entradas[e] & 1 ? 1 : 2);
          if (this.marca[i] !== sello) {
            this.marca[i] = sello;
            this.mejor[i] = puntos;
            tocados.push(i);
          } else if (puntos > this.mejor[i]) this.mejor[i] = puntos;
        }
      }
      for (const i of tocados) {
        this.total[i] += this.mejor[i];
        this.aciertos[i]++;
      }
      if (k === 0) vivos = tocados;
    });
    // The best `limite` kept in order while scanning: a short prefix can match tens of thousands of entries.
    const mejores: Acierto[] = [];
    const antes = (a: Acierto, b: Acierto) => a.puntaje > b.puntaje || (a.puntaje === b.puntaje && a.indice < b.indice);
    for (const i of vivos) {
      const a = { indice: i, puntaje: this.total[i] - this.largo[i] / 100 };
      const completo = this.aciertos[i] === rangos.length;
      this.aciertos[i] = 0;
      this.total[i] = 0;
      if (!completo || (mejores.length === limite && !antes(a, mejores[limite - 1])) || !admite(i)) continue;
      let j = mejores.length;
      while (j > 0 && antes(a, mejores[j - 1])) j--;
      mejores.splice(j, 0, a);
      if (mejores.length > limite) mejores.pop();
    }
    return mejores;
  }
}
