import { compileRoutes } from '../../../local/api/route-table';

const routes = ['GET /files/{fileId}', 'GET /files/{fileId}/download', 'GET /files/special', 'ANY /files/special', 'GET /static/{path+}', 'POST /uploads', '$default'];
const select = compileRoutes(routes.map((routeKey) => ({ routeKey, route: routeKey })));

test.each([
  ['GET', '/files/abc', 'GET /files/{fileId}', { fileId: 'abc' }],
  ['GET', '/files/a%20b', 'GET /files/{fileId}', { fileId: 'a b' }],
  ['GET', '/files/abc/download', 'GET /files/{fileId}/download', { fileId: 'abc' }],
  ['GET', '/files/special', 'GET /files/special', {}],
  ['PUT', '/files/special', 'ANY /files/special', {}],
  ['GET', '/static/css/site.css', 'GET /static/{path+}', { path: 'css/site.css' }],
  ['POST', '/uploads', 'POST /uploads', {}],
  ['DELETE', '/uploads', '$default', {}],
  ['GET', '/files/', '$default', {}],
])('%s %s -> %s', (method, path, routeKey, params) => {
  // Act
  const match = select(method, path);

  // Assess
  expect(match?.routeKey).toBe(routeKey);
  expect(match?.pathParameters).toEqual(params);
});

test('without $default an unknown route matches nothing', () => {
  // Prepare
  const only = compileRoutes([{ routeKey: 'GET /health', route: 1 }]);

  // Act + Assess
  expect(only('GET', '/healthz')).toBeUndefined();
  expect(only('POST', '/health')).toBeUndefined();
});

test('a route key that is not "METHOD /path" is refused', () => {
  // Act + Assess
  expect(() => compileRoutes([{ routeKey: 'GET health', route: 1 }])).toThrow(/not "METHOD \/path"/);
});
