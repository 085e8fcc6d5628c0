/**
 * Remote paths as the UI moves through them (the service normalizes and checks every path it is
 * given; these only build them). Root is "/".
 */

export const joinPath = (folder: string, name: string): string => (folder === '/' ? `/${name}` : `${folder}/${name}`);

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Each ancestor of a folder with its name, root first: the breadcrumbs. */
export function crumbs(path: string): { name: string; path: string }[] {
  const segments = path.split('/').filter(Boolean);
  return [{ name: 'My files', path: '/' }, ...segments.map((name, i) => ({ name, path: '/' + segments.slice(0, i + 1).join('/') }))];
}
