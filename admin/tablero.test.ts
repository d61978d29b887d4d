import { describe, expect, it } from 'vitest';
import { api, createEmisor, facturaBase, json } from '../test/helpers';
import { esperarFin, facturaPPD, facturaTimbrada } from '../test/comprobantes';
import { signedIn } from './test-helpers';

// The dashboard's month of one application, from comprobantes stamped through the API (the sandbox PAC).

const cifra = (html: string, clave: string) => new RegExp(`data-cifra="${clave}"><span class="n">([^<]+)</span>`).exec(html)?.[1];

describe('dashboard: the month so far of one application', () => {
  it('facturado, cobrado, por cobrar and IVA trasladado and retenido are exact, with a chart by day and its table', async () => {
    const { app, token } = await createEmisor();
    const ppd = await facturaTimbrada(token, facturaPPD('1000.00'));
    const base = facturaBase();
    const impuestos = { traslados: base.conceptos[0]!.impuestos.traslados, retenciones: [{ impuesto: '002', tipo_factor: 'Tasa', tasa_o_cuota: '0.106667' }] };
    await facturaTimbrada(token, { ...base, conceptos: [{ ...base.conceptos[0]!, impuestos }] });
    const p = await api('POST', '/complementos-pago', {
      token,
      body: {
        receptor: { ...base.receptor, uso_cfdi: 'CP01' },
        pagos: [{ fecha_pago: new Date(Date.now() - 6 * 3600e3).toISOString().slice(0, 10), forma_pago: '03', documentos: [{ uuid: ppd.uuid, imp_pagado: '400.10' }] }],
      },
    });
    expect(p.status).toBe(202);
    expect((await esperarFin(token, '/complementos-pago', (await json(p)).id)).status).toBe('timbrada');

    const { browser } = await signedIn();
    const html = await (await browser.get(`/admin?app=${app.id}`)).text();
    // 1 160.00 (PPD) + 1 053.33 (PUE: 1 000 + 160 IVA − 106.67 IVA retenido)
    expect(cifra(html, 'facturado')).toBe('$2,213.33 MXN');
    expect(cifra(html, 'cobrado')).toBe('$400.10 MXN');
    expect(cifra(html, 'por-cobrar')).toBe('$759.90 MXN');
    expect(cifra(html, 'iva-trasladado')).toBe('$320.00 MXN');
    expect(cifra(html, 'iva-retenido')).toBe('$106.67 MXN');

    const mes = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
    const hoy = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(new Date());
    expect(html).toContain(`${mes[Number(hoy.slice(5, 7)) - 1]} de ${hoy.slice(0, 4)}`);
    expect(html).toMatch(/<svg [^>]*role="img"[^>]*><title id="grafica-MXN">Facturado y cobrado por día/);
    expect(html.match(/class="barra-facturado"/g)?.length).toBe(Number(hoy.slice(8, 10)));
    // The table says what the bars draw: today holds the month's figures.
    expect(html).toContain(`<td>${hoy}</td><td class="num">$2,213.33 MXN</td><td class="num">$400.10 MXN</td>`);
  });

  it('another application or the other mode has none of these figures', async () => {
    const { app, token } = await createEmisor();
    await facturaTimbrada(token, facturaPPD('1000.00'));
    const otra = await createEmisor();
    const { browser, csrf } = await signedIn();
    expect(await (await browser.get(`/admin?app=${otra.app.id}`)).text()).toContain('Sin facturas ni cobros este mes.');
    expect((await browser.post('/admin/modo', { _csrf: csrf, modo: 'live', volver: '/admin' })).status).toBe(303);
    expect(await (await browser.get(`/admin?app=${app.id}`)).text()).toContain('Sin facturas ni cobros este mes.');
  });
});
