/** The service's logger stays quiet when its code runs inside a test (imported before that code loads). */
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
