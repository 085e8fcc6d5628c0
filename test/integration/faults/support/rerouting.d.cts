/** Types of rerouting.cjs (plain CommonJS, so a spawned CLI can preload it without a TypeScript loader). */
export declare const UPSTREAM_HEADER: string;
export declare function reroutingFetch(proxyUrl: string, inner?: typeof fetch): typeof fetch;
