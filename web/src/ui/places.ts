/**
 * Where the person is, as the address bar says it: `/files/<folder path>` (the root at `/`) and
 * `/shared`. Pure, so the unit tests pin the mapping both ways.
 */
export type Place = { readonly view: 'files'; readonly path: string } | { readonly view: 'shared' };

export function placeOf(pathname: string): Place {
  if (pathname === '/shared') return { view: 'shared' };
  const rest = pathname.startsWith('/files/') ? pathname.slice('/files'.length) : '/';
  const segments = rest.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  return { view: 'files', path: '/' + segments.join('/') };
}

export function hrefOf(place: Place): string {
  if (place.view === 'shared') return '/shared';
  return place.path === '/' ? '/' : '/files' + place.path.split('/').map(encodeURIComponent).join('/');
}
