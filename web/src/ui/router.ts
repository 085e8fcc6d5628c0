/**
 * Moving between places with the History API, so Back and Forward work and a reload stays put (the
 * CDN answers unknown paths with index.html).
 */
import { useEffect, useState } from 'preact/hooks';
import { hrefOf, placeOf, type Place } from './places';

export type { Place } from './places';

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
