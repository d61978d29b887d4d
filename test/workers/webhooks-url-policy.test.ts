import { describe, expect, it } from 'vitest';
import { motivoRechazoUrl } from '../../src/webhooks/url-policy';
import { api, createTenant, expectError } from '../helpers';

// SSRF: every way of pointing a webhook inside, in every spelling the URL parser accepts.
const INTERNAS = [
  'https://127.0.0.1/hook',
  'https://127.1.2.3/hook',
  'https://2130706433/hook', // decimal 127.0.0.1
  'https://0x7f000001/hook', // hex
  'https://0x7f.0.0.1/hook',
  'https://0177.0.0.1/hook', // octal
  'https://017700000001/hook',
  'https://127.1/hook', // short form
  'https://0/hook',
  'https://0.0.0.0/hook',
  'https://10.0.0.5/hook',
  'https://172.16.3.4/hook',
  'https://172.31.255.255/hook',
  'https://192.168.1.10/hook',
  'https://169.254.169.254/latest/meta-data/', // cloud metadata
  'https://169.254.10.1/hook', // link-local
  'https://100.64.0.1/hook', // CGNAT
  'https://100.127.255.254/hook',
  'https://198.18.0.1/hook',
  'https://224.0.0.1/hook',
  'https://255.255.255.255/hook',
  'https://[::1]/hook',
  'https://[::]/hook',
  'https://[0:0:0:0:0:0:0:1]/hook',
  'https://[::ffff:127.0.0.1]/hook', // IPv4-mapped
  'https://[::ffff:7f00:1]/hook',
  'https://[::ffff:169.254.169.254]/hook',
  'https://[::127.0.0.1]/hook', // IPv4-compatible
  'https://[64:ff9b::a00:1]/hook', // NAT64 of 10.0.0.1
  'https://[fc00::1]/hook', // ULA
  'https://[fd00:ec2::254]/hook', // AWS metadata over IPv6
  'https://[fe80::1]/hook', // link-local
  'https://[ff02::1]/hook',
  'https://[2002:7f00:1::]/hook', // 6to4 of 127.0.0.1
  'https://[100::1]/hook', // discard-only 100::/64
  'https://[100::ffff:1:2]/hook',
  'https://localhost/hook',
  'https://LOCALHOST./hook',
  'https://api.localhost/hook',
  'https://metadata.google.internal/computeMetadata/v1/',
  'https://printer.local/hook',
  'https://intranet/hook', // single-label name
  'https://kubernetes.default.svc.cluster.local/hook',
  'https://kubernetes.default.svc/hook', // Kubernetes service
  'https://redis.cache.svc./hook',
  // Public names whose every subdomain is loopback.
  'https://localtest.me/hook',
  'https://api.localtest.me/hook',
  'https://lvh.me/hook',
  'https://app.vcap.me/hook',
  'https://hooks.localhost.direct/hook',
  // IP-echo DNS spelling an internal address, in the forms their parsers read.
  'https://127.0.0.1.nip.io/hook', // dotted
  'https://10-0-0-1.nip.io/hook', // dashed
  'https://app.192.168.0.1.sslip.io/hook', // subdomain
  'https://app-169-254-169-254.sslip.io/latest/meta-data/', // dash prefix
  'https://x-10.0.0-1.nip.io/hook', // mixed separators
  'https://0a000001.nip.io/hook', // hex
  'https://app-7f000001.nip.io/hook',
  'https://appa9fea9fe.nip.io/hook', // hex glued to a word
  'https://0127.0.0.1.nip.io/hook', // a longer digit run hides 127
  'https://8.8.8.8.10.0.0.1.nip.io/hook', // one public reading, one private
  'https://100.64.0.1.xip.io/hook',
  'https://--1.sslip.io/hook', // IPv6 ::1 with dashes
  'https://fe80--1.sslip.io/hook',
  'https://www-fd00-ec2--254.sslip.io/hook', // AWS metadata over IPv6
  'https://--ffff-a9fe-a9fe.sslip.io/hook', // IPv4-mapped metadata
  'https://nip.io/hook', // no address in the name
  'https://webhooks.sslip.io/hook',
  'https://traefik.me/hook', // answers 127.0.0.1 when no address is written
  'https://app.traefik.me/hook',
];

const INVALIDAS = [
  ['https://user:pass@example.com/hook', 'usuario'],
  ['https://user@example.com/hook', 'usuario'],
  ['ftp://example.com/hook', 'http(s)'],
  ['file:///etc/passwd', 'http(s)'],
  ['javascript:alert(1)', 'http(s)'],
  ['gopher://example.com/', 'http(s)'],
  ['not a url', 'válida'],
  [`https://example.com/${'a'.repeat(2100)}`, '2048'],
] as const;

describe('url policy', () => {
  it.each(INTERNAS)('refuses %s in both modes, local setting or not', (url) => {
    for (const mode of ['test', 'live'] as const) {
      expect(motivoRechazoUrl(url, mode, false)).toMatch(/interna|reservada/);
    }
    // The local-development exception covers 127.0.0.1 and localhost however spelled, nothing else.
    const host = new URL(url).hostname.replace(/\.$/, '');
    expect(motivoRechazoUrl(url, 'test', true) === null).toBe(host === '127.0.0.1' || host === 'localhost');
  });

  it.each(INVALIDAS)('refuses %s', (url, motivo) => {
    expect(motivoRechazoUrl(url, 'test', true)).toContain(motivo);
  });

  it('accepts public https URLs in both modes, and http only in test mode', () => {
    for (const url of ['https://example.com/hook', 'https://hooks.mi-app.mx:8443/a?b=c', 'https://8.8.8.8/x', 'https://[2606:4700::1111]/x']) {
      expect(motivoRechazoUrl(url, 'live', false)).toBeNull();
      expect(motivoRechazoUrl(url, 'test', false)).toBeNull();
    }
    expect(motivoRechazoUrl('http://example.com/hook', 'test', false)).toBeNull();
    expect(motivoRechazoUrl('http://example.com/hook', 'live', false)).toContain('https');
  });

  it('accepts IP-echo names that spell only public addresses, and names that merely contain an internal word', () => {
    for (const url of [
      'https://52-0-56-137.sslip.io/hook',
      'https://www-78-46-204-247.sslip.io/hook',
      'https://8.8.8.8.nip.io/hook',
      'https://2a01-4f8-c17-b8f--2.sslip.io/hook',
      'https://svc.example.com/hook',
      'https://api.svcs.mx/hook',
      'https://mylvh.me/hook',
      'https://notnip.io/hook',
    ]) {
      expect(motivoRechazoUrl(url, 'live', false), url).toBeNull();
    }
  });

  it('live mode takes only the web ports (443, 8443, 80); test mode any', () => {
    for (const url of ['https://example.com:443/h', 'https://example.com:8443/h', 'https://example.com:80/h', 'https://[2606:4700::1111]:8443/h']) {
      expect(motivoRechazoUrl(url, 'live', false), url).toBeNull();
    }
    for (const url of ['https://example.com:8080/h', 'https://example.com:22/h', 'https://example.com:6379/h', 'https://example.com:1/h', 'https://8.8.8.8:2375/h']) {
      expect(motivoRechazoUrl(url, 'live', false), url).toContain('puerto');
      expect(motivoRechazoUrl(url, 'test', false), url).toBeNull();
    }
  });

  it('lets test mode reach http://127.0.0.1 and localhost only with the local-development setting', () => {
    for (const url of ['http://127.0.0.1:3000/hook', 'http://localhost:8080/webhooks']) {
      expect(motivoRechazoUrl(url, 'test', true)).toBeNull();
      expect(motivoRechazoUrl(url, 'test', false)).not.toBeNull();
      expect(motivoRechazoUrl(url, 'live', true)).not.toBeNull();
    }
    // The exception is for those two names only.
    expect(motivoRechazoUrl('http://10.0.0.1/hook', 'test', true)).not.toBeNull();
    expect(motivoRechazoUrl('http://[::1]/hook', 'test', true)).not.toBeNull();
  });

  it('the API refuses internal URLs on create and update with a 422 on url', async () => {
    const { token } = await createTenant();
    for (const url of ['https://169.254.169.254/latest/meta-data/', 'https://2130706433/', 'http://localhost:3000/hook']) {
      const err = await expectError(await api('POST', '/webhooks', { token, body: { url, events: ['*'] } }), 422, 'validation_error');
      expect(err.details.map((d) => d.path)).toEqual(['url']);
    }
    const live = await createTenant({ mode: 'live' });
    const err = await expectError(
      await api('POST', '/webhooks', { token: live.token, body: { url: 'http://example.com/hook', events: ['*'] } }),
      422,
      'validation_error',
    );
    expect(err.details[0]!.message).toContain('https');
    for (const url of ['https://kubernetes.default.svc/hook', 'https://10-0-0-1.nip.io/hook', 'https://example.com:8080/hook']) {
      const e = await expectError(await api('POST', '/webhooks', { token: live.token, body: { url, events: ['*'] } }), 422, 'validation_error');
      expect(e.details.map((d) => d.path)).toEqual(['url']);
    }
  });
});
