/**
 * Where the person is, as the address bar says it: `/files/<folder path>` (the root at `/`) and
 * `/shared`. History API, so Back and Forward work and a reload stays put (the CDN answers unknown
 * paths with index.html).
 */
import { useEffect, useState } from 'preact/hooks';

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

export function navigate(place: Place): void {
  const href = hrefOf(place);
  if (href !== location.pathname) history.pushState(null, '', href);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function usePlace(): Place {
  const [place, setPlace] = useState(() => placeOf(location.pathname));
  useEffect(() => {
    const update = () => setPlace(placeOf(location.pathname));
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return place;
}
