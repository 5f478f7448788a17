import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SseMessage } from '@rampart/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { RampartClient } from './rampart-client.js';
import { sseBatches } from './sse-stream.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A real HTTP server answering each connection with `handle`; returns its URL. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handle);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const clientFor = (url: string) =>
  new RampartClient({
    url,
    token: 'rmp_t',
    tokenSource: 'RAMPART_TOKEN',
    tokenOrigin: 'RAMPART_TOKEN',
  });

const message = (id: number) => `event: log\nid: ${id}\ndata: {"n":${id}}\n\n`;

describe('sseBatches', () => {
  it('reconnects after a dropped connection with Last-Event-ID and misses nothing', async () => {
    const seen: (string | undefined)[] = [];
    const headers: [string | undefined, string | undefined][] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers['last-event-id'] as string | undefined);
      headers.push([req.headers.authorization, req.headers.accept]);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (seen.length === 1) {
        // Two whole messages and half of a third, then the connection drops.
        res.write(`retry: 2000\n\n${message(1)}${message(2)}event: log\nid: 3\nda`);
        setImmediate(() => res.socket?.destroy());
      } else {
        res.write(`${message(3)}: keep-alive\n\n${message(4)}`);
      }
    });
    const reconnects: number[] = [];
    const received: SseMessage[] = [];
    for await (const batch of sseBatches(clientFor(url), '/stream', {
      retryDelayMs: 1,
      onReconnect: (n) => reconnects.push(n),
    })) {
      received.push(...batch);
      if (received.length >= 4) break;
    }
    expect(received.map((m) => [m.event, m.id, m.data])).toEqual([
      ['log', '1', '{"n":1}'],
      ['log', '2', '{"n":2}'],
      ['log', '3', '{"n":3}'],
      ['log', '4', '{"n":4}'],
    ]);
    expect(seen).toEqual([undefined, '2']);
    expect(headers).toEqual(Array(2).fill(['Bearer rmp_t', 'text/event-stream']));
    expect(reconnects).toEqual([1]);
  });

  it('starts after lastEventId and ends when the signal aborts', async () => {
    const seen: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      seen.push(req.headers['last-event-id'] as string | undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(message(8));
    });
    const controller = new AbortController();
    const batches: SseMessage[][] = [];
    for await (const batch of sseBatches(clientFor(url), '/stream', {
      lastEventId: '7',
      signal: controller.signal,
    })) {
      batches.push(batch);
      controller.abort();
    }
    expect(batches).toHaveLength(1);
    expect(seen).toEqual(['7']);
  });

  it('a refused request fails at once with the server code; a server that stays away gives up', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls += 1;
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            code: 'API_UNAUTHENTICATED',
            message: 'the API token is unknown, revoked or expired',
          },
        }),
      );
    });
    const drain = async (client: RampartClient, options = {}) => {
      for await (const _ of sseBatches(client, '/stream', options)) {
        // nothing arrives
      }
    };
    await expect(drain(clientFor(url))).rejects.toMatchObject({
      code: 'CLIENT_TOKEN_REFUSED',
      message: expect.stringContaining('API_UNAUTHENTICATED') as string,
    });
    expect(calls).toBe(1);

    const closed = await serve(() => undefined);
    const down = servers.pop();
    await new Promise((resolve) => down?.close(resolve));
    const reconnects: number[] = [];
    await expect(
      drain(clientFor(closed), {
        retryDelayMs: 1,
        maxAttempts: 2,
        onReconnect: (n: number) => reconnects.push(n),
      }),
    ).rejects.toMatchObject({
      code: 'CLIENT_SERVER_UNREACHABLE',
      message: expect.stringContaining('ECONNREFUSED') as string,
      hint: expect.stringContaining(`Is \`rampart server\` running at ${closed}?`) as string,
    });
    expect(reconnects).toEqual([1, 2]);
  });
});
