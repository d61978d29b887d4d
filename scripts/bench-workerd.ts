// The workerd half of `npm run bench` (started by scripts/bench.ts with wrangler's local runtime): the
// same emissions as in plain Node, in the runtime production runs them in. Each request runs `n`
// signatures or `n` emissions; the caller times the request, because workerd's clock does not advance
// during synchronous work.
import { emitirCfdi, cadenaOriginal, fromBase64, leerCsd, type Csd } from '../src/cfdi';
import { AHORA, EMISOR, type Entrada } from './lib/bench-emision';

interface Env {
  CER: string;
  KEY: string;
  /** JSON Entrada[] */
  ENTRADAS: string;
}

interface Datos {
  csd: Csd;
  entradas: Entrada[];
  /** UTF-8 cadena of each entrada's sealed CFDI: what the raw signature signs */
  cadenas: Uint8Array[];
}

let datos: Promise<Datos> | undefined;

async function preparar(env: Env): Promise<Datos> {
  const { csd } = await leerCsd(fromBase64(env.CER), fromBase64(env.KEY), '12345678a', { ahora: AHORA });
  const entradas = JSON.parse(env.ENTRADAS) as Entrada[];
  const cadenas: Uint8Array[] = [];
  for (const e of entradas) {
    const r = await emitirCfdi(e.input, EMISOR, csd, { tipo: e.tipo, ahora: AHORA });
    if (!r.ok) throw new Error(`${e.nombre} no se pudo emitir: ${JSON.stringify(r.errors)}`);
    cadenas.push(new TextEncoder().encode(cadenaOriginal(r.xml)));
  }
  return { csd, entradas, cadenas };
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    datos ??= preparar(env);
    const { csd, entradas, cadenas } = await datos;
    const url = new URL(request.url);
    const n = Number(url.searchParams.get('n'));
    const caso = url.searchParams.get('caso');
    for (let i = 0; i < n; i++) {
      const k = i % entradas.length;
      if (caso === 'firma') await crypto.subtle.sign('RSASSA-PKCS1-v1_5', csd.privateKey, cadenas[k]);
      else await emitirCfdi(entradas[k].input, EMISOR, csd, { tipo: entradas[k].tipo, ahora: AHORA });
    }
    return new Response('ok');
  },
};
