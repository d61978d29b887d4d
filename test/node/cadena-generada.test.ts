import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generarCadena } from '../../scripts/gen-cadena';
import { CADENA_CFDI40 } from '../../src/cfdi';

// The cadena engine runs the SAT's stylesheets as data: the committed data must be what the SAT's files give.
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

describe('src/cfdi/cadena.generated.ts', () => {
  it('is what scripts/gen-cadena.ts makes of the SAT stylesheets in test/fixtures/sat (run it after updating them)', () => {
    const generado = generarCadena(path.join(root, 'test/fixtures/sat/www.sat.gob.mx'));
    expect(generado).toBe(readFileSync(path.join(root, 'src/cfdi/cadena.generated.ts'), 'utf8'));
  });

  it('has templates for the namespace of every complemento cadenaoriginal_4_0.xslt includes', () => {
    const cfd = path.join(root, 'test/fixtures/sat/www.sat.gob.mx/sitio_internet/cfd');
    const xslt = readFileSync(path.join(cfd, '4/cadenaoriginal_4_0/cadenaoriginal_4_0.xslt'), 'utf8');
    const incluidas = [...xslt.matchAll(/<xsl:include href="\.\.\/\.\.\/([^"]+)"/g)].map((m) => m[1]).filter((h) => !h.includes('utilerias'));
    expect(incluidas.length).toBeGreaterThanOrEqual(32);
    const conPlantillas = new Set(Object.keys(CADENA_CFDI40.plantillas).map((k) => CADENA_CFDI40.espacios[k.split(':')[0]]));
    for (const h of incluidas) {
      const propios = [...readFileSync(path.join(cfd, h), 'utf8').matchAll(/xmlns:(\w+)="(http:\/\/www\.sat\.gob\.mx\/[^"]+)"/g)].map((m) => m[2]);
      expect(propios.some((ns) => conPlantillas.has(ns)), h).toBe(true);
    }
  });
});
