// Builds dist/esm (import) and dist/cjs (require), each with its .d.ts, using plain tsc twice.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(path.join(root, 'dist'), { recursive: true, force: true });
for (const [config, dir, type] of [['tsconfig.json', 'esm', 'module'], ['tsconfig.cjs.json', 'cjs', 'commonjs']]) {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, config)], { stdio: 'inherit' });
  // tsc emits no .d.ts it did not compile: the generated schema types go along by hand.
  copyFileSync(path.join(root, 'src/schema.d.ts'), path.join(root, 'dist', dir, 'schema.d.ts'));
  writeFileSync(path.join(root, 'dist', dir, 'package.json'), JSON.stringify({ type }) + '\n');
}
