// Web Crypto wherever the SDK runs: the global on Node >= 19, Workers, Deno and browsers; node:crypto's on Node 18.
let cached: Promise<Crypto> | undefined;

export function webCrypto(): Promise<Crypto> {
  if (!cached) {
    const global = (globalThis as { crypto?: Crypto }).crypto;
    const specifier = 'node:crypto';
    cached = global?.subtle
      ? Promise.resolve(global)
      : import(/* webpackIgnore: true */ /* @vite-ignore */ specifier).then((m: { webcrypto: Crypto }) => m.webcrypto);
  }
  return cached;
}

export async function randomUUID(): Promise<string> {
  return (await webCrypto()).randomUUID();
}
