import { describe, expect, it } from 'vitest';
import { classifyUacPath, detectUacLayout } from './uac';

describe('classifyUacPath', () => {
  it('maps [root] files to their original path', () => {
    expect(classifyUacPath('uac-web01-linux-20240301120000.tar.gz!/uac-web01-linux-20240301120000/[root]/var/log/apache2/access.log')).toEqual({
      area: 'var_log',
      originalPath: '/var/log/apache2/access.log',
      category: null,
      collectionPrefix: 'uac-web01-linux-20240301120000.tar.gz!/uac-web01-linux-20240301120000/',
    });
    expect(classifyUacPath('[root]/etc/passwd')).toMatchObject({ area: 'root_fs', originalPath: '/etc/passwd', collectionPrefix: '' });
    expect(classifyUacPath('x.tar!/./[root]/var/log/apache2/access.log.2.gz').originalPath).toBe('/var/log/apache2/access.log.2.gz');
  });

  it('recognises live_response, bodyfile, hash_executables and uac.log', () => {
    expect(classifyUacPath('case/live_response/process/ps.txt')).toMatchObject({ area: 'live_response', category: 'process', collectionPrefix: 'case/' });
    expect(classifyUacPath('bodyfile/bodyfile.txt')).toMatchObject({ area: 'bodyfile', collectionPrefix: '' });
    expect(classifyUacPath('hash_executables/hash_executables.md5').area).toBe('hash_executables');
    expect(classifyUacPath('c.tgz!/uac.log')).toMatchObject({ area: 'uac_log', collectionPrefix: 'c.tgz!/' });
    expect(classifyUacPath('var/log/syslog')).toEqual({ area: 'other', originalPath: null, category: null, collectionPrefix: null });
  });
});

describe('detectUacLayout', () => {
  it('recognises a UAC collection inside a tar', () => {
    const base = 'uac-web01-linux-20240301120000.tar.gz!/uac-web01-linux-20240301120000/';
    const layout = detectUacLayout([
      'uac-web01-linux-20240301120000.tar.gz',
      `${base}[root]/var/log/apache2/access.log`,
      `${base}live_response/process/ps.txt`,
      `${base}bodyfile/bodyfile.txt`,
      `${base}uac.log`,
    ]);
    expect(layout).toEqual({
      isUac: true,
      rootPrefix: base,
      markers: ['bodyfile', 'live_response', 'root_fs', 'uac_log'],
      hostname: 'web01',
      os: 'linux',
      collectedAt: '20240301120000',
    });
  });

  it('recognises an extracted UAC folder at the case root', () => {
    const layout = detectUacLayout(['[root]/var/log/syslog', 'live_response/network/ss_-tanp.txt', 'uac.log', 'notes.txt']);
    expect(layout).toMatchObject({ isUac: true, rootPrefix: '', hostname: null });
  });

  it('a plain log folder is not UAC', () => {
    expect(detectUacLayout(['var/log/apache2/access.log', 'var/log/syslog']).isUac).toBe(false);
    expect(detectUacLayout([]).isUac).toBe(false);
    expect(detectUacLayout(['export/uac.log']).isUac).toBe(false);
  });
});
