/**
 * Builds the web app into web/dist with esbuild: one script, two workers (chunking, downloading), one stylesheet, each
 * named by its content hash (cached forever by the CDN), and index.html, which names them and is
 * never cached. No inline script or style anywhere, so the CSP needs no 'unsafe-inline'.
 *
 *   npx tsx web/build.ts        (npm run build:web; `npm start` and `npm test` run it)
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

export const WEB_ROOT = __dirname;
export const WEB_DIST = path.join(WEB_ROOT, 'dist');

export interface BuiltAsset {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface WebBuild {
  readonly dist: string;
  readonly assets: readonly BuiltAsset[];
  /** JavaScript a first visit downloads (app + workers), gzipped: the budget is 150 KB. */
  readonly shippedJsGzipBytes: number;
}

const ENTRIES = { app: 'src/main.tsx', 'cut-worker': 'src/transfer/cut-worker.ts', 'download-worker': 'src/transfer/download-worker.ts', styles: 'src/styles.css' };

export async function buildWeb(dist = WEB_DIST): Promise<WebBuild> {
  fs.rmSync(dist, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: WEB_ROOT,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).filter(([, file]) => fs.existsSync(path.join(WEB_ROOT, file)))),
    outdir: path.join(dist, 'assets'),
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    format: 'esm',
    target: ['chrome110', 'firefox115', 'safari16'],
    tsconfig: path.join(WEB_ROOT, 'tsconfig.json'),
    jsx: 'automatic',
    jsxImportSource: 'preact',
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const named = (entry: string, ext: string) => {
    const found = outputs.find(([file, meta]) => file.endsWith(ext) && meta.entryPoint?.endsWith(ENTRIES[entry as keyof typeof ENTRIES]));
    return found ? '/' + path.relative(dist, path.resolve(WEB_ROOT, found[0])).split(path.sep).join('/') : undefined;
  };
  const script = named('app', '.js');
  const css = named('styles', '.css');
  const workers = { 'tote-cut-worker': named('cut-worker', '.js'), 'tote-download-worker': named('download-worker', '.js') };
  if (!script || !css) throw new Error('web build produced no app script or stylesheet');
  fs.writeFileSync(path.join(dist, 'index.html'), indexHtml(script, css, workers));
  const assets = outputs
    .filter(([file]) => !file.endsWith('.map') && !file.endsWith('.txt'))
    .map(([file]) => {
      const bytes = fs.readFileSync(path.resolve(WEB_ROOT, file));
      return { file: path.relative(dist, path.resolve(WEB_ROOT, file)), bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
    });
  const shippedJsGzipBytes = assets.filter((a) => a.file.endsWith('.js')).reduce((sum, a) => sum + a.gzipBytes, 0);
  return { dist, assets, shippedJsGzipBytes };
}

/** The workers' addresses travel in meta tags (named-worker.ts reads them): no inline script needed. */
function indexHtml(script: string, css: string, workers: Record<string, string | undefined>): string {
  const metas = Object.entries(workers).flatMap(([name, url]) => (url ? [`<meta name="${name}" content="${url}">\n`] : [])).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
${metas}<title>Tote</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${css}">
<script type="module" src="${script}"></script>
</head>
<body>
<noscript>Tote needs JavaScript.</noscript>
<div id="app"></div>
</body>
</html>
`;
}

if (require.main === module) {
  buildWeb()
    .then((build) => {
      for (const a of build.assets) process.stdout.write(`${a.file}  ${(a.bytes / 1024).toFixed(1)} KiB  (${(a.gzipBytes / 1024).toFixed(1)} KiB gzipped)\n`);
      process.stdout.write(`shipped JS: ${(build.shippedJsGzipBytes / 1024).toFixed(1)} KiB gzipped -> ${path.relative(process.cwd(), build.dist)}\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`web build failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
