import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../scripts/lib/local-stack';
import { facturaBase } from '../factura-base';

// The SDK as users get it: `npm pack` → install the tarball into a scratch project → run it (ESM and CommonJS,
// with its types) against `wrangler dev` on a fresh local D1: create → timbrada → XML and PDF → signed webhook.

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'hexafac-sdk-e2e-'));
const persistTo = path.join(scratch, 'state');
const proyecto = path.join(scratch, 'proyecto');
let stack: LocalStack | undefined;

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

const facturaBody = facturaBase();

beforeAll(async () => {
  // 1. The tarball, built by the package's own prepack.
  run('npm', ['pack', '--pack-destination', scratch], path.join(root, 'sdk'));
  const tarball = readdirSync(scratch).find((f) => /^hexafac-sdk-.*\.tgz$/.test(f));
  if (!tarball) throw new Error('npm pack produced no tarball');
  // 2. A scratch project that installs it (zero dependencies: nothing else is fetched).
  execFileSync('mkdir', ['-p', proyecto]);
  writeFileSync(path.join(proyecto, 'package.json'), JSON.stringify({ name: 'e2e', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--offline', path.join(scratch, tarball)], proyecto);
  for (const script of ['cliente.mjs', 'nomina-traslados.mjs', 'receptor.mjs']) copyFileSync(path.join(root, 'test/sdk', script), path.join(proyecto, script));
  // 3. The API: migrations, the sandbox application with the SAT test CSD, a key, wrangler dev.
  stack = await startLocalStack({ port: await freePort(), persistTo });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('@hexafac/sdk from its npm tarball', () => {
  it('ships ESM, CommonJS and .d.ts and has no runtime dependencies', () => {
    const pkg = JSON.parse(run('node', ['-p', 'JSON.stringify(require("@hexafac/sdk/package.json"))'], proyecto));
    expect(pkg.dependencies ?? {}).toEqual({});
    const cjs = run('node', ['-e', 'const s = require("@hexafac/sdk"); console.log(typeof s.HexaFac, typeof s.verifySignature)'], proyecto);
    expect(cjs.trim()).toBe('function function');
    const esm = run('node', ['--input-type=module', '-e', 'import H, { HexaFacError } from "@hexafac/sdk"; console.log(typeof H, typeof HexaFacError)'], proyecto);
    expect(esm.trim()).toBe('function function');
    // The types resolve from the tarball and type the request parameters.
    writeFileSync(
      path.join(proyecto, 'tipos.ts'),
      `import { catalogos, HexaFac, type FacturaNueva } from '@hexafac/sdk';
const h = new HexaFac('k', { baseUrl: 'http://127.0.0.1' });
const f: FacturaNueva = ${JSON.stringify(facturaBody)};
void h.facturas.create(f);
const transferencia: catalogos.FormaPago = catalogos.FormaPago.TRANSFERENCIA_ELECTRONICA;
void h.facturas.create({ ...f, forma_pago: transferencia });
void h.cfdi.verificar(new Uint8Array()).then((v) => v.timbre.sello_sat === 'desconocido' && v.reglas.errores.map((e) => e.code));
// @ts-expect-error: the document is text or bytes
void h.cfdi.verificar(42);
// @ts-expect-error: PUX is not in c_MetodoPago
void h.facturas.create({ ...f, metodo_pago: 'PUX' });
// @ts-expect-error: not a status of the API
void h.facturas.list({ status: 'pagada' });
// @ts-expect-error: receptor and cliente_id together
void h.facturas.create({ ...f, cliente_id: 'c1' });
void h.facturas.waitUntilTimbrada('f1').then((t): string => t.uuid);
void h.recibosNomina.waitUntilTimbrada('r1').then((r): string => r.nomina.neto);
void h.nominas.waitUntilCompleted('n1').then((n): string => n.completado_at);
void h.facturas.enviar('f1', { to: ['a@b.mx'] }).then((e): 'pendiente' | 'enviado' | 'error' => e.status);
// @ts-expect-error tipo_nomina is O or E
void h.recibosNomina.list({ tipo_nomina: 'X' });
`,
    );
    writeFileSync(
      path.join(proyecto, 'tipos.cts'),
      `import sdk = require('@hexafac/sdk');
// @ts-expect-error: not a status of the API
void new sdk.HexaFac('k', { baseUrl: 'http://127.0.0.1' }).facturas.list({ status: 'pagada' });
`,
    );
    const tsc = [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--lib', 'es2022,dom'];
    run(process.execPath, [...tsc, 'tipos.ts', 'tipos.cts'], proyecto);
  });

  it('create → waitUntilTimbrada → XML and PDF → a webhook whose signature verifies', () => {
    const out = run('node', ['cliente.mjs'], proyecto, {
      HEXAFAC_BASE_URL: stack!.base,
      HEXAFAC_API_KEY: stack!.token,
      FACTURA: JSON.stringify(facturaBody),
    });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.aceptada.status).toBe('pendiente');
    expect(r.repetida.id).toBe(r.aceptada.id); // same Idempotency-Key, same factura
    expect(r.timbrada).toMatchObject({ id: r.aceptada.id, status: 'timbrada' });
    expect(r.timbrada.uuid).toMatch(/^[0-9A-F-]{36}$/);
    expect(r.xml).toContain('tfd:TimbreFiscalDigital');
    expect(r.xml).toContain(`UUID="${r.timbrada.uuid}"`);
    expect(r.pdfInicio).toBe('%PDF-');
    expect(r.pdfBytes).toBeGreaterThan(1000);
    expect(r.entregas).toBeGreaterThanOrEqual(1);
    expect(r.evento.type).toBe('factura.timbrada');
    expect(JSON.stringify(r.evento.data)).toContain(r.aceptada.id);
    expect(r.alterada).toBe('invalid_signature');
    expect(r.listadas[0]).toBe(r.aceptada.id);
    expect(r.error).toEqual({ esHexaFacError: true, status: 404, code: 'not_found', requestId: expect.stringMatching(/^req_/) });
    // a sandbox stamp, with a test key: the sandbox PAC's certificate verifies its SelloSAT
    expect(r.verificacion).toEqual({
      comoTexto: { valido: true, uuid: r.timbrada.uuid, sello_sat: 'valido' },
      mismaRespuesta: true,
      noXml: { status: 422, code: 'xml_mal_formado', detalle: 'HFX_XML_MAL_FORMADO' },
    });
    expect(r.estadoSat).toMatchObject({ uuid: r.timbrada.uuid, estado: 'vigente', validacion_efos: '200' });
    expect(r.recuperada).toMatchObject({ status: 'timbrada', pac: 'sandbox' });
    expect(r.recuperada.uuid).toMatch(/^[0-9A-F-]{36}$/);
    expect(r.rechazo).toEqual({ code: 'factura_rechazada', detalles: ['CFDI40108'] });
    expect(r.sustituta).toEqual({ status: 'timbrada', sustituye_a: r.aceptada.id });
    expect(r.cancelada).toEqual({ status: 'cancelada', motivo: '01', folio_sustitucion: r.sustitutaUuid });
    expect(r.acuse).toContain(r.timbrada.uuid);
  });
});

// The kinds after the factura, with the bodies the API documents as its examples (GET /openapi.json).
describe('@hexafac/sdk: recibos de nómina, nóminas, traslados and envíos', () => {
  it('a recibo timbrado, a payroll of two completed, a traslado with Carta Porte, a factura emailed (.eml written)', async () => {
    const openapi = (await (await fetch(`${stack!.base}/api/hexafac/v1/openapi.json`)).json()) as { paths: Record<string, { post: { requestBody: { content: Record<string, { example: unknown }> } } }> };
    const ejemplo = (ruta: string) => openapi.paths[ruta]!.post.requestBody.content['application/json']!.example as Record<string, unknown>;
    const cuerpos = { factura: facturaBody, recibo: ejemplo('/recibos-nomina'), nomina: ejemplo('/nominas'), traslado: ejemplo('/traslados') };
    const out = run('node', ['nomina-traslados.mjs'], proyecto, { HEXAFAC_BASE_URL: stack!.base, HEXAFAC_API_KEY: stack!.token, CUERPOS: JSON.stringify(cuerpos) });
    const r = JSON.parse(out.trim().split('\n').pop()!);

    expect(r.validacion).toBe(true);
    expect(r.recibo).toMatchObject({ status: 'timbrada', curp: (cuerpos.recibo.receptor as { curp: string }).curp, neto: expect.stringMatching(/^\d+\.\d{2}$/) });
    expect(r.xmlRecibo.startsWith('<?xml')).toBe(true);
    expect(r.xmlRecibo).toContain('nomina12:Nomina');
    expect(r.xmlRecibo).toContain(`UUID="${r.recibo.uuid}"`);
    expect(r.listados).toEqual([r.recibo.id]);

    expect(r.nomina).toMatchObject({ aceptados: 2, completado_at: expect.any(String), recibos: ['aceptado', 'aceptado'], no_timbrados: [] });
    expect(r.nomina.por_status).toMatchObject({ timbrada: 2, pendiente: 0 });
    expect(r.nominasListadas[0]).toBe(r.nomina.id);

    expect(r.traslado).toMatchObject({ status: 'timbrada', tipo: 'T', cancelado: 'cancelada' });
    expect(r.xmlTraslado).toContain('TipoDeComprobante="T"');
    expect(r.xmlTraslado).toMatch(/cartaporte31:CartaPorte [^>]*IdCCP="CCC[0-9a-f-]{33}"/);
    expect(r.pdfTraslado).toBe('%PDF-');
    expect(r.configuraciones).toEqual(expect.arrayContaining(['T3S1', 'T3S2', 'T3S3']));

    expect(r.envio).toMatchObject({ status: 'pendiente', to: ['contabilidad@cliente.mx'], cc: ['compras@cliente.mx'], automatico: false });
    expect(r.envios).toEqual([expect.objectContaining({ id: r.envio.id, status: 'enviado', intentos: 1, message_id: expect.stringMatching(/^<.+@.+>$/) })]);
    // wrangler dev keeps each message the send_email binding accepted as <its miniflare tmp dir>/files/email/<uuid>.eml,
    // one per envelope recipient (to and cc), until it stops
    const cabecera = `\r\nMessage-ID: ${r.envios[0].message_id}\r\n`;
    const emls = readdirSync(tmpdir())
      .filter((d) => d.startsWith('miniflare-'))
      .map((d) => path.join(tmpdir(), d, 'files', 'email'))
      .flatMap((dir) => (existsSync(dir) ? readdirSync(dir).map((f) => path.join(dir, f)) : []))
      .filter((f) => f.endsWith('.eml') && readFileSync(f, 'latin1').includes(cabecera));
    expect(emls).toHaveLength(2);
    expect(readFileSync(emls[0]!, 'latin1')).toMatch(/^To: contabilidad@cliente\.mx\r\nCc: compras@cliente\.mx\r\n/m);

    const tipos = r.eventos.map((e: { type: string }) => e.type).sort();
    expect(tipos).toEqual(['nomina.completada', 'recibo_nomina.timbrado', 'recibo_nomina.timbrado', 'recibo_nomina.timbrado', 'traslado.cancelado', 'traslado.timbrado']);
    expect(r.eventos).toContainEqual({ type: 'nomina.completada', id: r.nomina.id, timbrada: 2 });
    expect(r.eventos).toContainEqual({ type: 'traslado.cancelado', id: r.traslado.id });
  });
});
