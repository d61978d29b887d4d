// The tables of what HexaFac does with each rule of the SAT's matrices (src/cfdi/reglas-cfdi40.ts,
// src/cfdi/comprobantes/pago/reglas-crp20.ts) against the TSVs, the tests they name, and docs/reglas-sat.md.
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
  it('include the CFDI 4.0 matrix', () => {
    expect(matrices.map((m) => m.tsv)).toContain('cfdi40.tsv');
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
        const [archivo, nombre] = (r.prueba ?? '').split(' > ', 2);
        expect(nombre, `${r.codigo}: prueba '<file> > <test name>'`).toBeTruthy();
        const ruta = path.join(raiz, archivo!);
        expect(existsSync(ruta), `${r.codigo}: ${archivo} exists`).toBe(true);
        expect(readFileSync(ruta, 'utf8').includes(nombre!), `${r.codigo}: ${archivo} has a test named "${nombre}"`).toBe(true);
      }
    }
  });

  it('docs/reglas-sat.md is the generator\'s output (npx tsx scripts/gen-reglas-sat.ts)', async () => {
    expect(readFileSync(DOC, 'utf8')).toBe(await generarReglasSat());
  });
});
