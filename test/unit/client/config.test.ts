import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultConfigDir, defaultStateDir } from '../../../client/src/config/dirs';
import { resolveEndpoint } from '../../../client/src/config/endpoint';
import { resolvePacks } from '../../../client/src/config/packs';
import { isTempDownloadName, tempDownloadPath } from '../../../client/src/transfer/temp-names';

describe('endpoint resolution', () => {
  it.each([
    [{ flag: 'http://flag:1', env: 'http://env:2', config: 'http://config:3' }, 'http://flag:1'],
    [{ env: 'http://env:2', config: 'http://config:3' }, 'http://env:2'],
    [{ env: '', config: 'https://config.example.com/' }, 'https://config.example.com'],
    [{}, 'http://127.0.0.1:4080'],
    [{ flag: 'https://api.example.com/prod//' }, 'https://api.example.com/prod'],
  ])('%j -> %s', (sources, expected) => {
    expect(resolveEndpoint(sources)).toBe(expected);
  });

  it.each(['not a url', 'ftp://x', 'http://x/?a=1'])('refuses %s', (bad) => {
    expect(() => resolveEndpoint({ flag: bad })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('packs switch', () => {
  it.each([
    [false, 'on', false],
    [true, 'off', true],
    [undefined, 'off', false],
    [undefined, ' OFF ', false],
    [undefined, '0', false],
    [undefined, 'on', true],
    [undefined, '', true],
    [undefined, undefined, true],
  ])('option %s, TOTE_PACKS %j -> %s', (option, env, expected) => {
    expect(resolvePacks(option, env)).toBe(expected);
  });

  it('refuses a TOTE_PACKS that is neither on nor off', () => {
    expect(() => resolvePacks(undefined, 'maybe')).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('local dirs', () => {
  it.each([
    [{ TOTE_CONFIG_DIR: '/c', XDG_CONFIG_HOME: '/x' }, '/c'],
    [{ XDG_CONFIG_HOME: '/x' }, '/x/tote'],
    [{ XDG_CONFIG_HOME: 'relative' }, join(homedir(), '.config', 'tote')],
    [{}, join(homedir(), '.config', 'tote')],
  ])('config dir for %j is %s', (env, expected) => {
    expect(defaultConfigDir(env)).toBe(expected);
  });

  it.each([
    [{ TOTE_STATE_DIR: '/s' }, '/s'],
    [{ XDG_STATE_HOME: '/x' }, '/x/tote'],
    [{}, join(homedir(), '.local', 'state', 'tote')],
  ])('state dir for %j is %s', (env, expected) => {
    expect(defaultStateDir(env)).toBe(expected);
  });
});

describe('download temp names', () => {
  it('hides the temp file beside its destination and recognizes the pattern', () => {
    const temp = tempDownloadPath('/data/report.pdf', 'f-123');
    expect(temp).toBe('/data/.report.pdf.tote-download-f-123');
    expect(isTempDownloadName('.report.pdf.tote-download-f-123')).toBe(true);
    expect(isTempDownloadName('report.pdf')).toBe(false);
    expect(isTempDownloadName('.report.pdf')).toBe(false);
  });

  it('stays within the 255-byte name limit by shortening the name, never the id', () => {
    const temp = tempDownloadPath(`/d/${'é'.repeat(127)}`, 'abc');
    const name = temp.slice(3);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(name.endsWith('.tote-download-abc')).toBe(true);
    expect(isTempDownloadName(name)).toBe(true);
  });
});
