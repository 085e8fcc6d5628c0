/**
 * For a test that reads the log lines, imported after ./env and before any handler module creates the
 * logger: logs at INFO, in an environment Lambda started on demand (Powertools reports cold starts only then).
 */
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
