// Opt-in (SAT_CONSULTA_LIVE=1): asks the SAT's production service about public CFDIs that phpcfdi's and
// CfdiUtils' own live tests use, and checks that the fake's answers have the same shape.
import { afterEach, describe, expect, it } from 'vitest';
import { parseXml } from '../../src/cfdi';
import { ConsultaSatService } from '../../src/pac/consulta-sat';
import { buscarLocal } from '../../src/pac/soap';
import type { ConsultaCfdi } from '../../src/pac/types';
import { FakeConsultaSat } from './fake-consulta-sat';

// phpcfdi/sat-estado-cfdi tests/Functional/ComplaintTestsTrait.php
const VIGENTE: ConsultaCfdi = { rfcEmisor: 'POT9207213D6', rfcReceptor: 'DIM8701081LA', total: '2010.01', uuid: 'CEE4BE01-ADFA-4DEB-8421-ADD60F0BEDAC', sello: '/OAgdg==' };
const CANCELADO: ConsultaCfdi = { rfcEmisor: 'DIM8701081LA', rfcReceptor: 'XEXX010101000', total: '8413.00', uuid: '3be40815-916c-4c91-84e2-6070d4bc3949', sello: '3f86Og==' };

/** The service plus the raw answers it received. */
function espiado(url?: string) {
  const sobres: string[] = [];
  const sat = new ConsultaSatService({
    url,
    timeoutMs: 20_000,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      sobres.push(await res.clone().text());
      return res;
    },
  });
  return { sat, sobres };
}

/** ConsultaResult's children as namespace + local name, in order. */
const forma = (sobre: string) =>
  buscarLocal(parseXml(sobre), 'ConsultaResult')!.children.flatMap((c) => (typeof c === 'string' ? [] : [`{${c.ns}}${c.local}`]));

let fake: FakeConsultaSat | undefined;
afterEach(async () => {
  await fake?.cerrar();
  fake = undefined;
});

describe.skipIf(!process.env.SAT_CONSULTA_LIVE)('ConsultaSatService against the SAT (live)', () => {
  it('a public vigente and a public cancelado CFDI, in the shape the fake answers', async () => {
    const real = espiado();
    const vigente = await real.sat.consultar(VIGENTE);
    expect(vigente).toMatchObject({ estado: 'vigente', validacionEfos: '200' });
    expect(['Cancelable sin aceptación', 'Cancelable con aceptación', 'No cancelable']).toContain(vigente.esCancelable);
    expect(await real.sat.consultar(CANCELADO)).toMatchObject({ estado: 'cancelado' });

    fake = await FakeConsultaSat.iniciar();
    fake.registrar(VIGENTE.uuid, { ...VIGENTE, estado: 'Vigente', esCancelable: vigente.esCancelable, validacionEfos: vigente.validacionEfos });
    const local = espiado(fake.url);
    expect(await local.sat.consultar(VIGENTE)).toEqual(vigente);
    expect(forma(local.sobres[0])).toEqual(forma(real.sobres[0]));
  });
});
