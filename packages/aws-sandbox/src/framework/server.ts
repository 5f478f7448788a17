// The HTTP server: one port, AWS API requests to the dispatcher, `/_sandbox/` to the control API.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SandboxHttpRequest, SandboxHttpResponse } from './http.js';

/** Handles one request; must not throw. */
export type RequestHandler = (request: SandboxHttpRequest) => Promise<SandboxHttpResponse>;

function toSandboxRequest(req: IncomingMessage): SandboxHttpRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] as string).toLowerCase();
    const value = req.rawHeaders[i + 1] as string;
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  return {
    method: req.method ?? 'GET',
    rawPath,
    rawQuery,
    query: new URLSearchParams(rawQuery),
    headers,
    body: Buffer.alloc(0),
    stream: req,
    remoteAddress: req.socket.remoteAddress ?? '',
  };
}

async function writeResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: SandboxHttpResponse,
): Promise<void> {
  const { body } = response;
  const headers: Record<string, string> = { ...response.headers };
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    headers['content-length'] ??= String(Buffer.byteLength(body));
  }
  // A body we refused to read must not be parsed as the next request on this connection.
  if (!req.readableEnded) headers['connection'] = 'close';
  res.writeHead(response.status, headers);
  if (body instanceof Readable) {
    await pipeline(body, res);
  } else {
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}

/** Creates the server; `handler` answers every request. */
export function createSandboxServer(handler: RequestHandler, now: () => Date): Server {
  // No request timeout: multi-gigabyte S3 uploads over loopback may take minutes.
  return createServer({ requestTimeout: 0 }, (req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    void (async () => {
      try {
        const response = await handler(toSandboxRequest(req));
        // Clients correct their clock skew from this header, as with AWS.
        response.headers['date'] ??= now().toUTCString();
        await writeResponse(req, res, response);
      } catch (error: unknown) {
        // Last line of defence: a handler bug or a client that went away must not stop the server.
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain', connection: 'close' });
          res.end(`sandbox error: ${error instanceof Error ? error.message : String(error)}`);
        } else {
          res.destroy();
        }
      }
    })();
  });
}
