// Jest loads its global setup outside its own module system, so moduleNameMapper (our @contract/*
// aliases) does not apply there; tsx resolves them from the repo's tsconfig instead.
'use strict';
const path = require('node:path');

process.env.TSX_TSCONFIG_PATH = path.join(__dirname, '..', '..', '..', 'tsconfig.json');
require('tsx/cjs/api').register({ tsconfig: process.env.TSX_TSCONFIG_PATH });
module.exports = require('./global-setup.ts').default;
