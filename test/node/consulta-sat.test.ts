// Contract tests of the SAT's status service client against a local server replaying the SAT's answers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONSULTA_SAT_PRUEBAS_URL, CONSULTA_SAT_URL, ConsultaSatService, expresionImpresa } from '../../src/pac/consulta-sat';
import { ConsultaSatError, type ConsultaCfdi } from '../../src/pac/types';
import { FakeConsultaSat, type CfdiRegistrado } from './fake-consulta-sat';

const UUID = 'CEE4BE01-ADFA-4DEB-8421-ADD60F0BEDAC';
const SELLO = 'nLUPhyCr+sdduaCqwRkWeEwMqObNpCG7glhX56NV8a37ZMSBl2flFVW89eowTtdJ18K1Lg0B5tSZhA==';
const consulta: ConsultaCfdi = { rfcEmisor: 'EKU9003173C9', rfcReceptor: 'COSC8001137NA', total: '3248.00', uuid: UUID, sello: SELLO };
const registrado: CfdiRegistrado = { rfcEmisor: 'EKU9003173C9', rfcReceptor: 'COSC8001137NA', total: '3248.00', sello: SELLO, estado: 'Vigente' };

let fake: FakeConsultaSat | undefined;
afterEach(async () => {
  await fake?.cerrar();
  fake = undefined;
});

async function montar(cfdi: Partial<CfdiRegistrado> = {}, timeoutMs = 2_000) {
  fake = await FakeConsultaSat.iniciar();
  fake.registrar(UUID, { ...registrado, ...cfdi });
  return { fake, sat: new ConsultaSatService({ url: fake.url, timeoutMs }) };
}

async function error(p: Promise<unknown>): Promise<ConsultaSatError> {
  const e = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(e).toBeInstanceOf(ConsultaSatError);
  return e as ConsultaSatError;
}

describe('ConsultaSatService', () => {
  it('exports the production and test endpoints', () => {
    expect(CONSULTA_SAT_URL).toBe('https://consultaqr.facturaelectronica.sat.gob.mx/ConsultaCFDIService.svc');
    expect(CONSULTA_SAT_PRUEBAS_URL).toBe('https://pruebacfdiconsultaqr.cloudapp.net/ConsultaCFDIService.svc');
  });

  it('a vigente CFDI: its cancelability and EFOS validation as the SAT writes them', async () => {
    const { sat } = await montar({ esCancelable: 'Cancelable con aceptación', validacionEfos: '200' });
    expect(await sat.consultar(consulta)).toEqual({ estado: 'vigente', esCancelable: 'Cancelable con aceptación', validacionEfos: '200' });
  });

  it.each([
    ['Cancelado', 'Cancelado sin aceptación', 'cancelado'],
    ['Cancelado', 'Cancelado con aceptación', 'cancelado'],
    ['Cancelado', 'Plazo vencido', 'cancelado'],
    ['Vigente', 'En proceso', 'vigente'],
    ['Vigente', 'Solicitud rechazada', 'vigente'],
  ] as const)('Estado %s with EstatusCancelacion "%s" is %s', async (estado, estatusCancelacion, esperado) => {
    const { sat } = await montar({ estado, estatusCancelacion, esCancelable: 'Cancelable con aceptación' });
    expect(await sat.consultar(consulta)).toEqual({ estado: esperado, esCancelable: 'Cancelable con aceptación', estatusCancelacion, validacionEfos: '200' });
  });

  it.each(['100', '201'])('passes ValidacionEFOS %s through', async (validacionEfos) => {
    const { sat } = await montar({ validacionEfos });
    expect((await sat.consultar(consulta)).validacionEfos).toBe(validacionEfos);
  });

  it('an unknown UUID (602) is no_encontrado', async () => {
    const { sat } = await montar();
    expect(await sat.consultar({ ...consulta, uuid: '01234567-89AB-4DEF-8123-456789ABCDEF' })).toEqual({ estado: 'no_encontrado' });
  });

  it('601 is thrown with its code, for a malformed expresión and for data that do not match the CFDI', async () => {
    const { sat } = await montar();
    const malformada = await error(sat.consultar({ ...consulta, uuid: 'no-es-un-uuid' }));
    expect(malformada.errores[0]).toMatchObject({ code: '601', message: expect.stringContaining('N - 601: La expresión impresa proporcionada no es válida.') });
    expect((await error(sat.consultar({ ...consulta, total: '1248.00' }))).errores[0].code).toBe('601');
  });

  it('sends the expresión the SAT reads: id, re, rr, tt without non-significant zeros, fe; "&" as &amp;', async () => {
    const rfcEmisor = 'Ñ&A010101AAA';
    const { fake, sat } = await montar({ rfcEmisor });
    expect(await sat.consultar({ ...consulta, rfcEmisor })).toMatchObject({ estado: 'vigente' });

    const s = fake.solicitudes.at(-1)!;
    expect(s.expresion).toBe(`?id=${UUID}&re=Ñ&amp;A010101AAA&rr=COSC8001137NA&tt=3248.0&fe=5tSZhA==`);
    // escaped once more as XML text inside the envelope
    expect(s.body).toContain(`<Consulta xmlns="http://tempuri.org/"><expresionImpresa>?id=${UUID}&amp;re=Ñ&amp;amp;A010101AAA&amp;rr=`);
    expect(s.headers.soapaction).toBe('"http://tempuri.org/IConsultaCFDIService/Consulta"');
    expect(s.headers['content-type']).toBe('text/xml; charset=utf-8');
  });

  it('formats tt per the Anexo 20 and leaves fe out without a sello', () => {
    const tt = (total: string) => /&tt=([^&]*)/.exec(expresionImpresa({ ...consulta, total }))?.[1];
    expect([tt('1000'), tt('1000.50'), tt('0.00'), tt('459.36'), tt('0.123456')]).toEqual(['1000.0', '1000.5', '0.0', '459.36', '0.123456']);
    expect(expresionImpresa({ ...consulta, sello: undefined })).toBe(`?id=${UUID}&re=EKU9003173C9&rr=COSC8001137NA&tt=3248.0`);
  });

  it('an expresión without fe is still answered', async () => {
    const { sat } = await montar();
    expect(await sat.consultar({ ...consulta, sello: undefined })).toMatchObject({ estado: 'vigente' });
  });

  it('reads the answer by local name, whatever the prefixes and whitespace', async () => {
    const sobre = readFileSync(path.resolve(__dirname, '../fixtures/sat/consulta/respuesta-solicitud-rechazada.xml'), 'utf8');
    const sat = new ConsultaSatService({ fetch: async () => new Response(sobre, { status: 200 }) });
    expect(await sat.consultar(consulta)).toEqual({ estado: 'vigente', esCancelable: 'Cancelable con aceptación', estatusCancelacion: 'Solicitud rechazada' });
  });

  it('a timeout is a ConsultaSatError', async () => {
    const { fake, sat } = await montar({}, 300);
    fake.siguiente('colgar');
    expect((await error(sat.consultar(consulta))).errores[0].code).toBe('timeout');
  });

  it('a 500 fault, a 503 HTML page, a cut answer and a refused connection are ConsultaSatErrors', async () => {
    const { fake, sat } = await montar();
    fake.siguiente('error500', 'html503', 'truncada');
    const e500 = await error(sat.consultar(consulta));
    expect(e500.errores[0]).toMatchObject({ code: 'HTTP500', message: expect.stringContaining('unable to process the request') });
    const e503 = await error(sat.consultar(consulta));
    expect(e503.errores[0]).toMatchObject({ code: 'HTTP503', message: expect.stringContaining('Service Unavailable') });
    expect((await error(sat.consultar(consulta))).errores[0].code).toBe('respuesta_invalida');

    const cerrado = await FakeConsultaSat.iniciar();
    const url = cerrado.url;
    await cerrado.cerrar();
    expect((await error(new ConsultaSatService({ url, timeoutMs: 2_000 }).consultar(consulta))).errores[0].code).toBe('red');
  });

  it('the fake refuses a wrong SOAPAction as WCF does, and the client reports it', async () => {
    const { fake } = await montar();
    const sat = new ConsultaSatService({
      url: fake.url,
      fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), SOAPAction: '"x"' } }),
    });
    expect((await error(sat.consultar(consulta))).errores[0]).toMatchObject({ code: 'HTTP500', message: expect.stringContaining('ContractFilter') });
  });
});
