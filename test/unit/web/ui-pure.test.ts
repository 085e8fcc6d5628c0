import type { FolderEntry } from '@contract/schemas';
import { formatBytes, formatEta } from '../../../web/src/ui/format';
import { crumbs, joinPath, nameOf, parentOf } from '../../../web/src/ui/remote-paths';
import { hrefOf, placeOf } from '../../../web/src/ui/places';
import { sortEntries } from '../../../web/src/ui/sorting';

describe('web UI pure parts', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1_000, '1.00 KB'],
    [67_108_864, '67.1 MB'],
    [268_435_456, '268 MB'],
    [5_000_000_000_000, '5.00 TB'],
    [-1, '–'],
  ])('formats %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    [undefined, '–'],
    [Infinity, '–'],
    [9.2, '10 s'],
    [250, '4 min 10 s'],
    [7_500, '2 h 5 min'],
  ])('formats an ETA of %p seconds as %s', (seconds, text) => {
    expect(formatEta(seconds)).toBe(text);
  });

  it('builds and splits remote paths, root included', () => {
    expect(joinPath('/', 'a.txt')).toBe('/a.txt');
    expect(joinPath('/docs', 'sub/a.txt')).toBe('/docs/sub/a.txt');
    expect(parentOf('/docs/a.txt')).toBe('/docs');
    expect(parentOf('/a.txt')).toBe('/');
    expect(nameOf('/docs/a.txt')).toBe('a.txt');
    expect(crumbs('/docs/2024')).toEqual([
      { name: 'My files', path: '/' },
      { name: 'docs', path: '/docs' },
      { name: '2024', path: '/docs/2024' },
    ]);
  });

  it('maps addresses to places and back, with names that need escaping', () => {
    const place = { view: 'files', path: '/Photos 2024/été #1' } as const;
    expect(hrefOf(place)).toBe('/files/Photos%202024/%C3%A9t%C3%A9%20%231');
    expect(placeOf(hrefOf(place))).toEqual(place);
    expect(placeOf('/')).toEqual({ view: 'files', path: '/' });
    expect(placeOf('/shared')).toEqual({ view: 'shared' });
    expect(placeOf('/trash')).toEqual({ view: 'trash' });
    expect(hrefOf({ view: 'trash' })).toBe('/trash');
    expect(hrefOf({ view: 'files', path: '/' })).toBe('/');
  });

  it('sorts folders first, then by the chosen column, names in natural order', () => {
    const file = (name: string, size: number, updatedAt: string): FolderEntry => ({
      kind: 'file', name, path: `/${name}`, fileId: name, size, revision: 1, contentHash: '0'.repeat(64), updatedAt,
    });
    const entries: FolderEntry[] = [
      file('b10.txt', 5, '2024-01-03T00:00:00Z'),
      { kind: 'folder', name: 'zeta', path: '/zeta' },
      file('b2.txt', 50, '2024-01-01T00:00:00Z'),
      file('A.txt', 1, '2024-01-02T00:00:00Z'),
    ];
    const names = (key: 'name' | 'size' | 'date', descending: boolean) => sortEntries(entries, { key, descending }).map((e) => e.name);
    expect(names('name', false)).toEqual(['zeta', 'A.txt', 'b2.txt', 'b10.txt']);
    expect(names('name', true)).toEqual(['zeta', 'b10.txt', 'b2.txt', 'A.txt']);
    expect(names('size', true)).toEqual(['zeta', 'b2.txt', 'b10.txt', 'A.txt']);
    expect(names('date', false)).toEqual(['zeta', 'b2.txt', 'A.txt', 'b10.txt']);
  });
});
