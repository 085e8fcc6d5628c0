/**
 * Where the person is, as the address bar says it: `/files/<folder path>` (the root at `/`) and
 * `/shared` and `/trash`. Pure, so the unit tests pin the mapping both ways.
 */
export type Place = { readonly view: 'files'; readonly path: string } | { readonly view: 'shared' } | { readonly view: 'trash' };

export function placeOf(pathname: string): Place {
  if (pathname === '/shared') return { view: 'shared' };
  if (pathname === '/trash') return { view: 'trash' };
  const rest = pathname.startsWith('/files/') ? pathname.slice('/files'.length) : '/';
  const segments = rest.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  return { view: 'files', path: '/' + segments.join('/') };
}

export function hrefOf(place: Place): string {
  if (place.view !== 'files') return `/${place.view}`;
  return place.path === '/' ? '/' : '/files' + place.path.split('/').map(encodeURIComponent).join('/');
}
