import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probePublicUrl } from './public-url-probe.js';

/** A server answering `/base/healthz` 200, `/down/healthz` 503, and never answering `/hang/…`. */
let server: Server;
let url: string;
const asked: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    if (req.url?.startsWith('/hang/')) return;
    res.writeHead(req.url === '/base/healthz' ? 200 : 503).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('probePublicUrl', () => {
  it('GETs <public_url>/healthz: 200 is reachable', async () => {
    expect(await probePublicUrl(`${url}/base/`)).toEqual({
      url: `${url}/base/healthz`,
      reachable: true,
      detail: 'answered 200',
    });
    expect(asked).toContain('GET /base/healthz');
  });

  it('another status is not reachable, and says which', async () => {
    expect(await probePublicUrl(`${url}/down`)).toMatchObject({
      reachable: false,
      detail: 'answered 503',
    });
  });

  it('no server, or no answer in time: not reachable, with the reason; never throws', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await probePublicUrl(`http://127.0.0.1:${port}`)).toMatchObject({
      reachable: false,
      detail: 'ECONNREFUSED',
    });
    expect(await probePublicUrl(`${url}/hang`, { timeoutMs: 50 })).toMatchObject({
      reachable: false,
      detail: 'no answer in time',
    });
  });

  it('uses the fetch it is given', async () => {
    const seen: string[] = [];
    const fake: typeof fetch = (input) => {
      seen.push(input instanceof Request ? input.url : input.toString());
      return Promise.resolve(new Response('ok', { status: 200 }));
    };
    expect((await probePublicUrl('https://r.example', { fetch: fake })).reachable).toBe(true);
    expect(seen).toEqual(['https://r.example/healthz']);
  });
});
