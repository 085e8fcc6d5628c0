import type { Stack } from 'aws-cdk-lib';
import type { Api } from './constructs/api';
import type { Auth } from './constructs/auth';
import type { ChunkBucket } from './constructs/chunk-bucket';
import type { ChunkTracker } from './constructs/chunk-tracker';
import type { Collector } from './constructs/collector';
import type { DataMigrations } from './constructs/data-migrations';
import type { Downloads } from './constructs/downloads';
import type { LogBucket } from './constructs/log-bucket';
import type { Push } from './constructs/push';
import type { ServiceFunction } from './constructs/service-function';
import type { Tables } from './constructs/tables';
import type { WebApp } from './constructs/web-app';
import type { ApiHandler } from './source-layout';

/**
 * The constructs the stack is made of, as the modules that inspect a built stack (cdk-nag
 * acknowledgements) see it; the stack implements it, so those modules need not import the stack.
 */
export interface ToteStackParts extends Stack {
  readonly auth: Auth;
  readonly tables: Tables;
  readonly logBucket: LogBucket;
  readonly chunkBucket: ChunkBucket;
  readonly downloads: Downloads;
  readonly tracker: ChunkTracker;
  readonly collector: Collector;
  readonly migrations: DataMigrations;
  readonly postConfirmation: ServiceFunction;
  readonly push: Push;
  readonly apiFunctions: ReadonlyMap<ApiHandler, ServiceFunction>;
  readonly api: Api;
  readonly webApp: WebApp;
}
