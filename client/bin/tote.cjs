#!/usr/bin/env node
// Launcher for `npx tote`: registers tsx (with the repo's tsconfig, for the @contract/* aliases)
// in this same process, so a signal sent to this pid reaches the client itself, then runs the CLI.
'use strict';
const path = require('node:path');

// tsx resolves the tsconfig (and with it the @contract/* aliases) from the working directory unless
// told otherwise, and its register() option does not reach path resolution: run from any folder, the
// CLI must still find the repo's.
process.env.TSX_TSCONFIG_PATH = path.join(__dirname, '..', '..', 'tsconfig.json');
const { register } = require('tsx/cjs/api');

register({ tsconfig: process.env.TSX_TSCONFIG_PATH });
require('../src/cli/bin.ts');
