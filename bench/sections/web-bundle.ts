/**
 * What a browser downloads to run the web app: every built file, raw and gzipped (CloudFront compresses
 * with gzip or Brotli; gzip -9 is the conservative figure), against the 150 KB budget for JavaScript.
 */
import { buildWeb } from '../../web/build';
import { fixed } from '../measure';
import type { Table } from '../report';

const JS_BUDGET_BYTES = 150 * 1000;

export async function webBundle(dist: string): Promise<Table> {
  const build = await buildWeb(dist);
  const rows = build.assets.map((a) => [a.file.replace(/-[A-Z0-9]{8}\./, '.'), fixed(a.bytes / 1024, 1), fixed(a.gzipBytes / 1024, 1)]);
  rows.push(['JavaScript shipped (app + workers)', '', fixed(build.shippedJsGzipBytes / 1024, 1)]);
  return {
    title: 'Web app bundle',
    columns: ['File', 'KiB', 'KiB gzipped'],
    rows,
    note: `esbuild, minified, Preact; the chunking worker (the core's chunker, hash-wasm SHA-256) loads on the first upload, the download worker (the core's download engine, hash-wasm) on the first download. Budget for shipped JavaScript: ${JS_BUDGET_BYTES / 1000} KB gzipped (${build.shippedJsGzipBytes <= JS_BUDGET_BYTES ? 'within' : 'OVER'}).`,
  };
}
