import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Browser, fieldError } from '../admin/test-helpers';
import { getDb } from '../src/db/client';
import { facturas } from '../src/db/schema';
import { waitFor } from '../test/helpers';
import { dejarCuota } from '../test/limites';
import { comercio, DATOS_OK, ticketDe } from './test-helpers';

const csrfDe = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

async function abrir(slug: string, clave: string) {
  const browser = new Browser();
  const res = await browser.get(`/autofactura/${slug}?clave=${encodeURIComponent(clave)}`);
  const html = await res.text();
  return { browser, res, html, csrf: csrfDe(html)! };
}

describe('autofactura portal', () => {
  it('happy: the ticket, its form, then the stamped CFDI with its downloads behind a signed link', async () => {
    const otro = await comercio();
    const t = await comercio();
    const mio = await ticketDe(t.app.id);
    const { browser, res, html, csrf } = await abrir(t.slug, mio.clave);
    expect(res.status).toBe(200);
    expect(html).toContain('ESCUELA KEMPER URGATE');
    expect(html).toContain(`Ticket ${mio.folio}`);
    expect(html).toContain('$1,160.00 MXN');
    expect(html).toContain('Desarrollo de software');
    expect(res.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(browser.cookies.get('hexafac_autofactura_csrf')).toBe(csrf);

    const post = await browser.post(`/autofactura/${t.slug}/facturar`, { _csrf: csrf, clave: mio.clave, ...DATOS_OK });
    expect(post.status).toBe(303);
    const estado = post.headers.get('Location')!;
    expect(estado).toMatch(new RegExp(`^/autofactura/${t.slug}/facturas/[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));

    const timbrada = await waitFor(async () => {
      const h = await (await browser.get(estado)).text();
      return h.includes('data-status="timbrada"') ? h : undefined;
    }, 'timbrada');
    expect(timbrada).toContain('Te enviamos el CFDI a cliente@example.com.');
    const [factura] = await getDb(env).select().from(facturas).where(eq(facturas.client_application_id, t.app.id));
    expect(factura).toMatchObject({ origen: 'recibo', enviar_a: ['cliente@example.com'], receptor_rfc: 'EKU9003173C9', mode: 'test', status: 'timbrada' });

    const pdf = await browser.get(`${estado}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf');
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    const xml = await (await browser.get(`${estado}/xml`)).text();
    expect(xml).toContain(factura!.uuid!);

    // the same token under another portal's address is nobody's
    expect((await browser.get(estado.replace(t.slug, otro.slug))).status).toBe(404);
    expect((await browser.get(`${estado.slice(0, -4)}AAAA/pdf`)).status).toBe(404);
  });

  it('error: a CP that is not in the SAT catalog is shown next to its field and nothing is issued', async () => {
    const t = await comercio();
    const r = await ticketDe(t.app.id);
    const { browser, csrf } = await abrir(t.slug, r.clave);
    const res = await browser.post(`/autofactura/${t.slug}/facturar`, { _csrf: csrf, clave: r.clave, ...DATOS_OK, domicilio_fiscal: '00000' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'domicilio_fiscal')).toBe(
      'Este código postal no existe en el catálogo del SAT. Escribe los 5 dígitos del código postal de tu Constancia de Situación Fiscal.',
    );
    expect(html).toContain('value="ESCUELA KEMPER URGATE"'); // what was typed stays
    expect(await getDb(env).select().from(facturas).where(eq(facturas.client_application_id, t.app.id))).toHaveLength(0);
  });

  it('error: a régimen of the other persona and a uso the régimen does not admit, each in plain Spanish', async () => {
    const t = await comercio();
    const r = await ticketDe(t.app.id);
    const { browser, csrf } = await abrir(t.slug, r.clave);
    const fisica = await browser.post(`/autofactura/${t.slug}/facturar`, { _csrf: csrf, clave: r.clave, ...DATOS_OK, regimen_fiscal: '605', uso_cfdi: 'G03' });
    const html = await fisica.text();
    expect(fisica.status).toBe(422);
    expect(fieldError(html, 'regimen_fiscal')).toMatch(/^Este régimen no corresponde a una persona moral \(empresa\)\./);
    const uso = await browser.post(`/autofactura/${t.slug}/facturar`, { _csrf: csrf, clave: r.clave, ...DATOS_OK, uso_cfdi: 'D01' });
    expect(fieldError(await uso.text(), 'uso_cfdi')).toMatch(/^El uso CFDI D01 no aplica a una persona moral \(empresa\)\./);
    const regimen = await browser.post(`/autofactura/${t.slug}/facturar`, {
      _csrf: csrf,
      clave: r.clave,
      ...DATOS_OK,
      rfc: 'XIQB891116QE4',
      nombre: 'BERENICE XIMO QUEZADA',
      regimen_fiscal: '605',
      uso_cfdi: 'G03',
    });
    expect(fieldError(await regimen.text(), 'uso_cfdi')).toMatch(/^El uso CFDI G03 no aplica al régimen 605\./);
  });

  it('error: a refusal at stamping is explained on the status page with a way back to the form', async () => {
    const t = await comercio();
    const r = await ticketDe(t.app.id);
    const { browser, csrf } = await abrir(t.slug, r.clave);
    const estado = (await browser.post(`/autofactura/${t.slug}/facturar`, { _csrf: csrf, clave: r.clave, ...DATOS_OK })).headers.get('Location')!;
    await waitFor(async () => (await (await browser.get(estado)).text()).includes('data-status="timbrada"'), 'timbrada');
    // what the PAC answers for a name that is not the Constancia's (the sandbox does not know the SAT's registry)
    await getDb(env)
      .update(facturas)
      .set({ status: 'rechazada', errores: [{ code: 'CFDI40145', message: 'El campo Nombre del receptor no corresponde al RFC.' }] })
      .where(eq(facturas.client_application_id, t.app.id));
    const html = await (await browser.get(estado)).text();
    expect(html).toContain('data-status="rechazada"');
    expect(html).toContain('El nombre o razón social no coincide con el que el SAT tiene para ese RFC.');
    expect(html).toContain(`href="/autofactura/${t.slug}?clave=${encodeURIComponent(r.clave)}"`);
    expect((await browser.get(`${estado}/pdf`)).status).toBe(404);
  });

  it('security: a POST without the CSRF cookie and token is a 403 and issues nothing', async () => {
    const t = await comercio();
    const r = await ticketDe(t.app.id);
    const sinCookie = new Browser();
    const res = await sinCookie.post(`/autofactura/${t.slug}/facturar`, { clave: r.clave, ...DATOS_OK });
    expect(res.status).toBe(403);
    const { browser } = await abrir(t.slug, r.clave);
    expect((await browser.post(`/autofactura/${t.slug}/facturar`, { _csrf: 'x'.repeat(32), clave: r.clave, ...DATOS_OK })).status).toBe(403);
    expect(await getDb(env).select().from(facturas).where(eq(facturas.client_application_id, t.app.id))).toHaveLength(0);
  });

  it('security: another application s clave, an unknown clave and an unknown portal are the same not found', async () => {
    const a = await comercio();
    const b = await comercio();
    const deB = await ticketDe(b.app.id);
    const otra = await abrir(a.slug, deB.clave);
    const nadie = await abrir(a.slug, '2345-6789-ABCD-EFGHJ');
    const sinPortal = await abrir('no-existe', deB.clave);
    for (const x of [otra, nadie, sinPortal]) {
      expect(x.res.status).toBe(404);
      expect(x.html).toContain('No encontramos ese ticket');
      expect(x.html).not.toContain(`Ticket ${deB.folio}`);
      expect(x.html).not.toContain('Tus datos fiscales');
    }
    expect(otra.html).toBe(nadie.html);
    // nor can it be invoiced through the other portal
    const { browser, csrf } = await abrir(a.slug, (await ticketDe(a.app.id)).clave);
    const post = await browser.post(`/autofactura/${a.slug}/facturar`, { _csrf: csrf, clave: deB.clave, ...DATOS_OK });
    expect(post.status).toBe(404);
    expect(await getDb(env).select().from(facturas).where(eq(facturas.client_application_id, b.app.id))).toHaveLength(0);
  });

  it('security: wrong claves past the limit get the 429 page with Retry-After', async () => {
    const t = await comercio();
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
    await dejarCuota(`autofactura_fallos:${ip}`, 'lecturas', 0, 'autofactura_fallos');
    const res = await new Browser().fetch(`/autofactura/${t.slug}?clave=ADIVINANZA`, { headers: { 'CF-Connecting-IP': ip } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await res.text()).toContain('Demasiados intentos');
  });

  it('security: a clave past its own limit is refused even from a fresh IP', async () => {
    const t = await comercio();
    const r = await ticketDe(t.app.id);
    await dejarCuota(`autofactura_clave:${r.clave}`, 'lecturas', 0, 'autofactura_clave');
    expect((await new Browser().get(`/autofactura/${t.slug}?clave=${r.clave}`)).status).toBe(429);
  });

  it('without a clave: the clave form with the merchant s name; a logo route that answers 404 without a logo', async () => {
    const t = await comercio();
    const res = await new Browser().get(`/autofactura/${t.slug}`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('ESCUELA KEMPER URGATE');
    expect(html).toContain(`action="/autofactura/${t.slug}"`);
    expect(html).not.toContain(`/autofactura/${t.slug}/logo`);
    expect((await new Browser().get(`/autofactura/${t.slug}/logo`)).status).toBe(404);
  });
});
