import type * as http from 'node:http';
import { localOrigin, preflightHeaders, responseCorsHeaders, type CorsModel } from '../../../local/http/cors';

const cors: CorsModel = {
  allowOrigins: ['http://127.0.0.1:4086'],
  allowMethods: ['GET', 'POST', 'DELETE', 'PUT'],
  allowHeaders: ['authorization', 'content-type'],
  exposeHeaders: [],
  maxAgeSeconds: 7200,
};
const request = (headers: Record<string, string>, method = 'OPTIONS') => ({ method, headers }) as unknown as http.IncomingMessage;

describe('local CORS (as API Gateway and CloudFront apply it)', () => {
  it('answers a preflight from the allowed origin with the allowed methods, headers and max age', () => {
    // Act
    const headers = preflightHeaders(cors, request({ origin: 'http://127.0.0.1:4086', 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization' }));
    // Assess
    expect(headers).toEqual({
      'access-control-allow-origin': 'http://127.0.0.1:4086',
      'access-control-allow-methods': 'GET,POST,DELETE,PUT',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '7200',
      vary: 'Origin',
    });
  });

  it.each([
    ['another origin', { origin: 'http://evil.example', 'access-control-request-method': 'GET' }],
    ['a method not allowed', { origin: 'http://127.0.0.1:4086', 'access-control-request-method': 'PATCH' }],
    ['no origin', { 'access-control-request-method': 'GET' }],
  ])('refuses a preflight from %s', (_, headers) => {
    expect(preflightHeaders(cors, request(headers))).toBeUndefined();
  });

  it('marks answers to the allowed origin only', () => {
    expect(responseCorsHeaders(cors, request({ origin: 'http://127.0.0.1:4086' }, 'GET'))).toEqual({ 'access-control-allow-origin': 'http://127.0.0.1:4086', vary: 'Origin' });
    expect(responseCorsHeaders(cors, request({ origin: 'http://127.0.0.1:9999' }, 'GET'))).toEqual({});
    expect(responseCorsHeaders(undefined, request({ origin: 'http://127.0.0.1:4086' }, 'GET'))).toEqual({});
  });

  it('serves the template\'s https origins of loopback hosts over http, and leaves real ones alone', () => {
    expect(localOrigin('https://127.0.0.1:4086')).toBe('http://127.0.0.1:4086');
    expect(localOrigin('https://d111.cloudfront.net')).toBe('https://d111.cloudfront.net');
  });
});
