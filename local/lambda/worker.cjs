// @ts-check
/**
 * One warm "Lambda container": a worker thread that loads a bundled handler once and runs one
 * invocation at a time, sent as messages by function-pool.ts. Plain CommonJS because it must load the
 * same way under tsx, jest and plain node. The worker's env (process.env) is the function's environment.
 */
const { pathToFileURL } = require('node:url');
const { parentPort, workerData } = require('node:worker_threads');

/** @type {{ entryFile: string, exportName: string, functionName: string, functionArn: string, memoryMb: number }} */
const config = workerData;
if ((process.env.NODE_OPTIONS ?? '').includes('--enable-source-maps')) process.setSourceMapsEnabled(true);

/** @type {Promise<(event: unknown, context: object) => Promise<unknown>> | undefined} */
let handler;

async function loadHandler() {
  // ES module bundles (.mjs) can only be imported; CommonJS ones are required, as Lambda does.
  const mod = config.entryFile.endsWith('.mjs') ? await import(pathToFileURL(config.entryFile).href) : require(config.entryFile);
  const fn = mod[config.exportName];
  if (typeof fn !== 'function') {
    throw Object.assign(new Error(`${config.entryFile} does not export ${config.exportName}`), { name: 'Runtime.HandlerNotFound' });
  }
  return fn;
}

/** The Lambda context object; the deadline comes from the pool, which enforces it. */
function context(requestId, deadline) {
  return {
    awsRequestId: requestId,
    functionName: config.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: config.functionArn,
    memoryLimitInMB: String(config.memoryMb),
    logGroupName: `/aws/lambda/${config.functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** Loads the handler once; a failed load is tried again by the next invocation. */
function handlerOnce() {
  handler ??= loadHandler().catch((err) => {
    handler = undefined;
    throw err;
  });
  return handler;
}

// The init phase: load the module before the first invocation arrives, and tell the pool when done,
// so the invocation's timeout starts then (a failed load is reported by the invocation).
handlerOnce().then(
  () => parentPort?.postMessage({ ready: true }),
  () => parentPort?.postMessage({ ready: true }),
);

parentPort?.on('message', async (/** @type {{ requestId: string, event: unknown, deadline: number }} */ message) => {
  try {
    const fn = await handlerOnce();
    const result = await fn(message.event, context(message.requestId, message.deadline));
    // Lambda returns what JSON.stringify makes of the result; undefined becomes null.
    parentPort?.postMessage({ requestId: message.requestId, ok: true, payload: JSON.stringify(result ?? null) });
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    parentPort?.postMessage({
      requestId: message.requestId,
      ok: false,
      errorType: error.name,
      errorMessage: error.message,
      stack: error.stack,
    });
  }
});
