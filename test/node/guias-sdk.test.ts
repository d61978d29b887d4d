import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codigoTsDe } from '../guias';

// Every ```ts block of docs/guias compiles against the SDK's sources (as `@hexafac/sdk`) and the installed
// `standardwebhooks`, each block its own module: a snippet that stops matching the SDK fails here.

const raiz = path.resolve(__dirname, '../..');
const carpeta = path.join(raiz, 'docs/guias');
// Under node_modules: module resolution finds the installed packages, and the project's own tsc skips it.
const salida = path.join(raiz, 'node_modules/.cache/hexafac-guias-ts');

describe('docs/guias ts snippets', () => {
  it('type-check against sdk/src', () => {
    rmSync(salida, { recursive: true, force: true });
    mkdirSync(salida, { recursive: true });
    const archivos: string[] = [];
    for (const guia of readdirSync(carpeta).filter((f) => f.endsWith('.md'))) {
      codigoTsDe(readFileSync(path.join(carpeta, guia), 'utf8')).forEach((codigo, i) => {
        const archivo = `${guia.replace(/\.md$/, '')}-${i + 1}.ts`;
        // `export {}` makes each block a module even when it exports nothing (top-level await).
        writeFileSync(path.join(salida, archivo), `${codigo}\nexport {};\n`);
        archivos.push(archivo);
      });
    }
    expect(archivos.length).toBeGreaterThanOrEqual(5);
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        module: 'ES2022',
        moduleResolution: 'Bundler',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        types: ['node'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        baseUrl: '.',
        paths: { '@hexafac/sdk': [path.relative(salida, path.join(raiz, 'sdk/src/index.ts'))] },
      },
      files: archivos,
    };
    writeFileSync(path.join(salida, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    const tsc = path.join(raiz, 'node_modules/typescript/bin/tsc');
    let errores = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', salida], { encoding: 'utf8' });
    } catch (e) {
      errores = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(errores).toBe('');
  });
});
