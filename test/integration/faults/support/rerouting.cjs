// Sends every request of a client through the fault proxy: the URL's origin is replaced with the
// proxy's and the real one travels in a header (fault-proxy.ts UPSTREAM_HEADER), so the proxy can
// forward wherever the service sent the client (its API, the S3 endpoint of a presigned URL, the
// CloudFront edge). In-process it is the client's `fetch` option; preloaded into a spawned CLI
// (`node --require rerouting.cjs client/bin/tote.cjs`, still one process that SIGKILL reaches) it
// replaces the global fetch when TOTE_TEST_PROXY names the proxy.
'use strict';

const UPSTREAM_HEADER = 'x-tote-test-upstream';

function reroutingFetch(proxyUrl, inner = globalThis.fetch) {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init && init.headers);
    headers.set(UPSTREAM_HEADER, url.origin);
    return inner(new URL(url.pathname + url.search, proxyUrl), { ...init, headers });
  };
}

if (process.env.TOTE_TEST_PROXY) globalThis.fetch = reroutingFetch(process.env.TOTE_TEST_PROXY);

module.exports = { UPSTREAM_HEADER, reroutingFetch };
