import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cadenaOriginal, verificarCfdi, verificarRecibido } from '../src/cfdi';
import { main } from './cfdi';

const fixtures = path.resolve(__dirname, '../test/fixtures');
const salida = path.resolve(__dirname, '../test/output/cfdi');
const f = (p: string) => path.join(fixtures, p);

async function correr(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const CSD = ['--cer', f('EKU9003173C9.cer'), '--key', f('EKU9003173C9.key'), '--password', '12345678a'];
const EMISOR = ['--emisor-regimen', '601', '--lugar-expedicion', '06600', '--emisor-nombre', 'ESCUELA KEMPER URGATE'];
// a fixed "now" inside the test CSD's validity (it expires 2027-05-18)
const AHORA = ['--ahora', '2026-06-01T18:00:00Z'];

describe('cfdi CLI', () => {
  it('cadena prints exactly the SAT stylesheet output', async () => {
    const r = await correr('cadena', f('sat/samples/created-cfdi40-pago20-valid.xml'));
    expect(r).toEqual({ code: 0, stdout: readFileSync(f('sat/samples/created-cfdi40-pago20-valid.cadena.txt'), 'utf8'), stderr: '' });
  });

  it('verify prints the result and exits 1 only when invalid', async () => {
    const ok = await correr('verify', f('sat/samples/cfdi40-real.xml'), '--pac-cert', f('sat/00001000000708361114.cer'));
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valido: true, timbre: { sello_sat: 'valido' }, estructura: { errores: [] }, reglas: { errores: [] } });
    const pem = await correr('verify', f('sat/samples/cfdi40-real.xml'), '--pac-cert', f('pac/sandbox-pac.cer.pem'));
    expect(JSON.parse(pem.stdout).timbre.sello_sat).toBe('desconocido');

    mkdirSync(salida, { recursive: true });
    const alterado = path.join(salida, 'cli-alterado.xml.tmp');
    writeFileSync(alterado, readFileSync(f('sat/samples/cfdi40-real.xml'), 'utf8').replace('Total="1000.00"', 'Total="1.00"'));
    const mal = await correr('verify', alterado);
    expect(mal.code).toBe(1);
    expect(JSON.parse(mal.stdout).valido).toBe(false);
  });

  it('verify prints what the core gives the API (verificarRecibido), and refuses what is not a CFDI 4.0 with where and why', async () => {
    const archivo = f('sat/samples/created-cfdi40-pago20-valid.xml');
    const r = await correr('verify', archivo);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(await verificarRecibido(new Uint8Array(readFileSync(archivo))))));
    mkdirSync(salida, { recursive: true });
    const roto = path.join(salida, 'cli-roto.xml.tmp');
    writeFileSync(roto, '<?xml version="1.0"?>\n<cfdi:Comprobante/>');
    expect(await correr('verify', roto)).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^HFX_XML_MAL_FORMADO: .*línea 2, columna 1/) });
  });

  it('comparar runs xsltproc over a folder and finds our cadena identical, and says where one differs', async () => {
    const r = await correr('comparar', f('cfdi/complementos'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/iguales: 32\n/);
    const dir = path.join(salida, 'cli-comparar');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'roto.xml'), '<a><b></a>');
    writeFileSync(path.join(dir, 'cfdi.xml'), readFileSync(f('sat/samples/created-with-discounts-40.xml')));
    // another stylesheet stands in for a wrong cadena
    const otro = await correr('comparar', dir, '--xslt', f('sat/www.sat.gob.mx/sitio_internet/cfd/TimbreFiscalDigital/cadenaoriginal_TFD_1_1.xslt'));
    expect(otro.code).toBe(1);
    expect(otro.stdout).toMatch(/ambos rechazan: 1\n/);
    expect(otro.stdout).toMatch(/DIFF cfdi\.xml: desde el carácter 2: HexaFac …"4\.0\|/);
  });

  it('json prints the CFDI as the API vocabulary', async () => {
    const r = await correr('json', f('sat/samples/created-cfdi40-pago20-valid.xml'));
    expect(r.code).toBe(0);
    const cfdi = JSON.parse(r.stdout);
    expect(cfdi).toMatchObject({ version: '4.0', tipo_de_comprobante: 'P', receptor: { uso_cfdi: 'CP01' } });
    expect(cfdi.complemento.pagos.pagos[0].documentos[0]).toHaveProperty('uuid');
  });

  it('build seals a JSON invoice with the CSD of the files given', async () => {
    const r = await correr('build', f('cfdi/ingreso-pue.json'), ...CSD, ...EMISOR, ...AHORA);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('<cfdi:Emisor Rfc="EKU9003173C9" Nombre="ESCUELA KEMPER URGATE" RegimenFiscal="601"');
    expect(await verificarCfdi(r.stdout)).toMatchObject({ valido: true, sello: { noCertificado: '30001000000500003416' } });
    writeFileSync(path.join(salida, 'a-cli-build.xml'), r.stdout);
    writeFileSync(path.join(salida, 'a-cli-build.txt'), cadenaOriginal(r.stdout));
  });

  it('build reports validation errors and CSD errors with exit 1', async () => {
    // its fecha (2026-11-20T12:00:00) is more than 72 hours before this "now"
    const invalido = await correr('build', f('cfdi/pago-usd.json'), ...CSD, ...EMISOR, '--ahora', '2026-12-31T00:00:00Z');
    expect(invalido).toMatchObject({ code: 1, stdout: '' });
    expect(JSON.parse(invalido.stderr).errors).toContainEqual(expect.objectContaining({ path: 'fecha' }));
    const password = await correr('build', f('cfdi/ingreso-pue.json'), ...CSD.slice(0, 5), 'mala', ...EMISOR, ...AHORA);
    expect(password).toMatchObject({ code: 1, stdout: '' });
    expect(password.stderr).toMatch(/^csd_password_incorrecto:/);
  });

  it('explains its usage on bad arguments (exit 2)', async () => {
    expect((await correr('cadena')).code).toBe(2);
    expect((await correr('firmar', 'x.xml')).code).toBe(2);
    const r = await correr('build', f('cfdi/ingreso-pue.json'), '--cer', f('EKU9003173C9.cer'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--key --password --emisor-regimen --lugar-expedicion/);
  });
});
