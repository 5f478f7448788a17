// The script each Node.js invocation runs in a child process: load the handler the way Lambda's
// Node.js runtime does (CommonJS or ESM, `dir/file.export`), call it with the event and a context
// (async, promise or callback style), and report logs, the result or the error over IPC.
//
// Kept as source text so the package ships it without a build step; it is written to the data
// directory once and run with `node`. Plain JavaScript, no template literals.

/** The runner's source (an ES module). */
export const RUNNER_SOURCE = String.raw`
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

let deadline = 0;
let settled = false;

function send(message) {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send(message, () => resolve());
  });
}

function errorBody(error) {
  if (error instanceof Error || (error && typeof error === 'object' && 'message' in error && 'stack' in error)) {
    return {
      errorType: String(error.name ?? 'Error'),
      errorMessage: String(error.message ?? ''),
      trace: String(error.stack ?? '').split('\n'),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

async function finish(error, result) {
  if (settled) return;
  settled = true;
  if (error !== null && error !== undefined) {
    await send({ type: 'error', error: errorBody(error) });
  } else {
    let payload;
    try {
      payload = JSON.stringify(result === undefined ? null : result);
    } catch (cause) {
      await send({
        type: 'error',
        error: { errorType: 'Runtime.MarshalError', errorMessage: 'Unable to stringify response body', trace: [] },
      });
      process.exit(0);
    }
    await send({ type: 'result', payload: payload === undefined ? 'null' : payload });
  }
  process.exit(0);
}

function fail(errorType, errorMessage) {
  settled = true;
  return send({ type: 'error', init: true, error: { errorType, errorMessage, trace: [] } }).then(() =>
    process.exit(0),
  );
}

for (const [method, level] of [
  ['log', 'INFO'],
  ['info', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
  ['debug', 'DEBUG'],
  ['trace', 'TRACE'],
]) {
  console[method] = (...args) => {
    void send({ type: 'log', level, message: format(...args) });
  };
}

async function loadHandler(taskRoot, handler) {
  const slash = handler.lastIndexOf('/');
  const directory = handler.slice(0, slash + 1);
  const rest = handler.slice(slash + 1);
  const dot = rest.indexOf('.');
  if (dot <= 0 || dot === rest.length - 1) {
    await fail('Runtime.MalformedHandlerName', 'Bad handler ' + handler);
    return undefined;
  }
  const moduleName = directory + rest.slice(0, dot);
  const path = rest.slice(dot + 1).split('.');
  const file = ['.js', '.mjs', '.cjs']
    .map((extension) => join(taskRoot, moduleName + extension))
    .find((candidate) => existsSync(candidate));
  if (file === undefined) {
    await fail(
      'Runtime.ImportModuleError',
      "Error: Cannot find module '" + moduleName + "'\nRequire stack:\n- /var/runtime/index.mjs",
    );
    return undefined;
  }
  let module;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError) {
      await fail('Runtime.UserCodeSyntaxError', 'SyntaxError: ' + error.message);
    } else {
      settled = true;
      await send({ type: 'error', init: true, error: errorBody(error) });
      process.exit(0);
    }
    return undefined;
  }
  const walk = (root) => path.reduce((node, key) => (node == null ? undefined : node[key]), root);
  const found = walk(module) ?? walk(module.default);
  if (typeof found !== 'function') {
    await fail('Runtime.HandlerNotFound', moduleName + '.' + path.join('.') + ' is undefined or not exported');
    return undefined;
  }
  return found;
}

process.once('message', async (message) => {
  // The IPC channel must not keep the process alive (a handler that is done ends with its event
  // loop); this timer does until the handler's style is known.
  process.channel?.unref();
  const hold = setInterval(() => {}, 1 << 30);
  const handler = await loadHandler(message.taskRoot, message.handler);
  if (handler === undefined) return;
  const event = JSON.parse(message.event);
  await send({ type: 'started' });
  deadline = Date.now() + message.timeoutMs;
  const context = {
    ...message.context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: (error, result) => void finish(error ?? null, result),
    succeed: (result) => void finish(null, result),
    fail: (error) => void finish(error ?? new Error('handled'), undefined),
  };
  try {
    const returned = handler(event, context, (error, result) => void finish(error ?? null, result));
    if (returned && typeof returned.then === 'function') {
      // The held timer keeps a pending promise alive until it settles or the timeout kills it.
      returned.then(
        (result) => void finish(null, result),
        (error) => void finish(error ?? new Error('rejected'), undefined),
      );
    } else {
      // A handler that neither returns a promise nor calls back ends when its event loop empties.
      clearInterval(hold);
      process.once('beforeExit', () => void finish(null, null));
    }
  } catch (error) {
    void finish(error, undefined);
  }
});

process.on('uncaughtException', (error) => void finish(error, undefined));
process.on('unhandledRejection', (error) => void finish(error ?? new Error('unhandled rejection'), undefined));
`;
