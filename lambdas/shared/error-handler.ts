/**
 * The last middleware of every HTTP chain: turns whatever was thrown into the contract's error body.
 * 4xx answers say exactly what was wrong; anything unexpected is logged in full and answered as a
 * bare 500 INTERNAL so no stack, table name or SDK message leaks to the caller.
 */
import type { MiddlewareObj } from '@middy/core';
import type { ErrorBody } from '@contract/errors';
import { ApiError, isApiError, validationFailed, invalidPath } from './errors';
import { json, type HttpResponse } from './http';
import { logger } from './logger';

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

interface MiddyHttpError {
  statusCode: number;
  message: string;
  cause?: { package?: string; data?: unknown };
}

const EVENT_PARTS: Record<string, string> = { body: 'body', queryStringParameters: 'query', pathParameters: 'params' };

/** `/body/chunks/0/hash` -> `body.chunks[0].hash`: the name a client author recognises. */
function fieldName(issue: AjvIssue): string {
  const segments = issue.instancePath.split('/').slice(1);
  const child = issue.params.missingProperty ?? issue.params.additionalProperty;
  if (typeof child === 'string') segments.push(child);
  return segments
    .map((s, i) => (i === 0 ? (EVENT_PARTS[s] ?? s) : /^\d+$/.test(s) ? `[${s}]` : `.${s}`))
    .join('');
}

function describe(issue: AjvIssue): string {
  if (issue.keyword === 'required') return 'is required';
  if (issue.keyword === 'additionalProperties') return 'is not allowed';
  return issue.message ?? 'is invalid';
}

/** Names the first offending field; a union of literals reads as "must be one of ...". */
function fromValidation(issues: AjvIssue[]): ApiError {
  const concrete = issues.filter((i) => i.keyword !== 'anyOf');
  const first = concrete[0] ?? issues[0];
  if (first === undefined) return validationFailed('request is invalid');
  const field = fieldName(first);
  const allowed = concrete.filter((i) => fieldName(i) === field && i.keyword === 'const').map((i) => JSON.stringify(i.params.allowedValue));
  const message = allowed.length > 1 ? `must be one of ${allowed.join(', ')}` : describe(first);
  return validationFailed(`${field || 'request'} ${message}`, {
    field,
    issues: concrete.slice(0, 10).map((i) => ({ field: fieldName(i), message: describe(i) })),
  });
}

function isMiddyError(error: unknown): error is MiddyHttpError {
  return typeof error === 'object' && error !== null && typeof (error as MiddyHttpError).cause?.package === 'string';
}

function isPathError(error: unknown): error is Error {
  return error instanceof Error && (error as { code?: unknown }).code === 'INVALID_PATH';
}

/** Maps a thrown value to the API error it stands for, or undefined when it is unexpected (a 500). */
function toApiError(error: unknown): ApiError | undefined {
  if (isApiError(error)) return error;
  if (isPathError(error)) return invalidPath(error.message);
  if (isMiddyError(error) && error.statusCode < 500) {
    switch (error.cause?.package) {
      case '@middy/validator':
        return fromValidation((error.cause.data as AjvIssue[] | undefined) ?? []);
      case '@middy/http-json-body-parser':
        return error.message === 'Unsupported Media Type'
          ? new ApiError('UNSUPPORTED_MEDIA_TYPE', 'content-type must be application/json')
          : validationFailed('request body is missing or not valid JSON');
    }
  }
  return undefined;
}

function errorResponse(error: unknown): HttpResponse {
  const apiError = toApiError(error);
  if (apiError === undefined || apiError.status >= 500) {
    logger.error('request failed', error as Error);
    const body: ErrorBody = { error: { code: 'INTERNAL', message: 'internal error' } };
    return json(body, 500);
  }
  logger.info('request refused', { code: apiError.code, reason: apiError.message });
  const body: ErrorBody = {
    error: { code: apiError.code, message: apiError.message, ...(apiError.details ? { details: apiError.details } : {}) },
  };
  return json(body, apiError.status);
}

export const errorHandler = (): MiddlewareObj => ({
  onError: (request) => {
    request.response = errorResponse(request.error);
  },
});
