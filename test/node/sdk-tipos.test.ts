import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// test/sdk/tipos.ts (compiled with the SDK's own options) holds the SDK's type-level checks: it must compile, every @ts-expect-error included.
it('the SDK types reject both or neither receptor and cliente_id, narrow the waits and type the events', async () => {
  const tsc = promisify(execFile)(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'test/sdk/tsconfig.tipos.json']);
  const { stdout } = await tsc.catch((e: { stdout: string }) => ({ stdout: e.stdout }));
  expect(stdout).toBe('');
}, 120_000);
