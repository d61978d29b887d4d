// The tables of what HexaFac does with each rule of the SAT's matrices (src/cfdi/reglas-cfdi40.ts,
// src/cfdi/comprobantes/pago/reglas-crp20.ts, and Nómina's and Carta Porte's read from the core's code) against
// the TSVs, the tests they name, and docs/reglas-sat.md.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DOC, generarReglasSat, leerMatrices, type Matriz } from '../../scripts/gen-reglas-sat';

const raiz = path.resolve(import.meta.dirname, '../..');
let matrices: Matriz[];
beforeAll(async () => {
  ({ matrices } = await leerMatrices());
});

describe('the SAT rule tables', () => {
  it('include the CFDI 4.0, Pagos, Nómina and Carta Porte matrices', () => {
    expect(matrices.map((m) => m.tsv)).toEqual(['cfdi40.tsv', 'crp20.tsv', 'nomina12-revD.tsv', 'cartaporte31.tsv']);
    const nomina = matrices.find((m) => m.tsv === 'nomina12-revD.tsv')!;
    expect([...nomina.reglasSat.keys()].slice(0, 2)).toEqual(['NOM1', 'NOM2']);
    expect(nomina.reglasSat.get('NOM109')).toBe('Otro error no documentado. || Error: Error no clasificado.');
    expect(matrices.find((m) => m.tsv === 'cartaporte31.tsv')!.reglasSat.get('CP101')).toBe(
      '[CFDI@Version] El valor registrado debe ser “4.0”. || Error: El valor registrado en este atributo es diferente a "4.0"',
    );
  });

  it('have exactly one entry for every code of each TSV, and none for a code it lacks', () => {
    for (const m of matrices) {
      const codigos = m.tabla.map((r) => r.codigo);
      const repetidos = codigos.filter((c, i) => codigos.indexOf(c) !== i);
      expect(repetidos, `${m.tsv}: repeated`).toEqual([]);
      expect([...codigos].sort(), m.tsv).toEqual([...m.reglasSat.keys()].sort());
    }
  });

  it("name, for every 'aplicada', a test file that exists and a test of that name in it; the others say why in a nota", () => {
    for (const m of matrices) {
      for (const r of m.tabla) {
        if (r.estado !== 'aplicada') {
          expect(r.nota, `${r.codigo}: a ${r.estado} rule says why`).toBeTruthy();
          continue;
        }
        // A table read from the code may have a rule the code checks with no test yet: the doc says so.
        if (m.aplicadas && !r.prueba) continue;
        const [archivo, nombre] = (r.prueba ?? '').split(' > ', 2);
        expect(nombre, `${r.codigo}: prueba '<file> > <test name>'`).toBeTruthy();
        const ruta = path.join(raiz, archivo!);
        expect(existsSync(ruta), `${r.codigo}: ${archivo} exists`).toBe(true);
        const texto = readFileSync(ruta, 'utf8');
        expect(['\'', '"', '`'].some((q) => texto.includes(`${q}${nombre}${q}`)), `${r.codigo}: ${archivo} has a test named "${nombre}"`).toBe(true);
      }
    }
  });

  it('read Nómina and Carta Porte from the code: each code it checks is in the TSV, where it is exists, no nota is left on it', () => {
    const delCodigo = matrices.filter((m) => m.aplicadas);
    expect(delCodigo.map((m) => m.tsv)).toEqual(['nomina12-revD.tsv', 'cartaporte31.tsv']);
    for (const m of delCodigo) {
      expect([...m.aplicadas!.keys()].filter((c) => !m.reglasSat.has(c)), `${m.tsv}: codes the TSV lacks`).toEqual([]);
      expect(Object.keys(m.notas!).filter((c) => m.aplicadas!.has(c)), `${m.tsv}: a nota on a rule the code checks`).toEqual([]);
      expect(Object.keys(m.notas!).filter((c) => !m.reglasSat.has(c)), `${m.tsv}: a nota for a code the TSV lacks`).toEqual([]);
      for (const [codigo, lugares] of m.aplicadas!) {
        for (const lugar of lugares) {
          const [, declaracion, archivo] = /^(.+) \((.+)\)$/.exec(lugar)!;
          const texto = readFileSync(path.join(raiz, 'src/cfdi', archivo!), 'utf8');
          expect(texto.includes(declaracion!) && new RegExp(`['"\`]${codigo}['"\`]`).test(texto), `${codigo}: ${lugar}`).toBe(true);
        }
      }
    }
    // Spot checks against what the core is known to do.
    const cp = matrices.find((m) => m.tsv === 'cartaporte31.tsv')!;
    expect(cp.aplicadas!.get('CP104')).toEqual(['validarFlete (comprobantes/ingreso-egreso/validar.ts)']);
    expect(cp.aplicadas!.has('CP126')).toBe(false);
    expect(cp.tabla.find((r) => r.codigo === 'CP126')?.estado).toBe('calculada');
  });

  it('docs/reglas-sat.md is the generator\'s output (npx tsx scripts/gen-reglas-sat.ts)', async () => {
    expect(readFileSync(DOC, 'utf8')).toBe(await generarReglasSat());
  });
});
