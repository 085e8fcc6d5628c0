#!/usr/bin/env node
// Launcher for `npx tote`: registers tsx (with the repo's tsconfig, for the @contract/* aliases)
// in this same process, so a signal sent to this pid reaches the client itself, then runs the CLI.
'use strict';
const path = require('node:path');
const { register } = require('tsx/cjs/api');

register({ tsconfig: path.join(__dirname, '..', '..', 'tsconfig.json') });
const { run } = require('../src/cli/main.ts');

run(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`tote: ${error && error.stack ? error.stack : error} (UNEXPECTED)\n`);
    process.exitCode = 1;
  },
);
