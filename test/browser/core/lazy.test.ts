import { expect } from '@open-wc/testing';
import { lazyLoader } from '../../../src/core/lazy.js';

describe('lazyLoader', () => {
  it('loads each key once and shares the promise; loaded() answers only once it is there', async () => {
    const calls: string[] = [];
    const loader = lazyLoader((key: string) => (calls.push(key), Promise.resolve(`value of ${key}`)));
    const first = loader.load('a');
    expect(loader.load('a')).to.equal(first);
    expect(loader.loaded('a')).to.equal(undefined);
    expect(await first).to.equal('value of a');
    expect(loader.loaded('a')).to.equal('value of a');
    await loader.load('a');
    expect(calls).to.deep.equal(['a']);
  });

  it('forgets a failed load, so the next call tries again', async () => {
    let fail = true;
    const loader = lazyLoader((key: string) => (fail ? Promise.reject(new TypeError('offline')) : Promise.resolve(key)));
    let error: unknown;
    await loader.load('b').catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(TypeError);
    expect(loader.loaded('b')).to.equal(undefined);
    fail = false;
    expect(await loader.load('b')).to.equal('b');
    expect(loader.loaded('b')).to.equal('b');
  });
});
