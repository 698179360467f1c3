import { expect } from '@open-wc/testing';
import { MemoryAdapter, scimScenario } from '../../../src/adapters/memory-adapter.js';
import { PortalError, type PortalErrorCode } from '../../../src/core/errors.js';
import { DirectorySchema, DirectoryWithTokenSchema } from '../../../src/core/directory-model.js';
import { parseOrThrow } from '../../../src/core/model.js';

async function expectCode(promise: Promise<unknown>, code: PortalErrorCode): Promise<PortalError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(PortalError);
    expect((error as PortalError).code, (error as PortalError).message).to.equal(code);
    return error as PortalError;
  }
  throw new Error(`expected ${code}`);
}

describe('MemoryAdapter directory sync', () => {
  it('creates a directory in setup with a random token, returned once and never again', async () => {
    const adapter = new MemoryAdapter();
    const created = await adapter.createDirectory({ provider: 'okta' });
    parseOrThrow(DirectoryWithTokenSchema, created, 'answer');
    expect(created.directory).to.include({ status: 'setup', name: 'Okta', version: 1, provider: 'okta' });
    expect(created.directory.scimBaseUrl).to.equal(`https://sso.acme.test/scim/v2/${created.directory.id}`);
    expect(created.token).to.match(/^scim_[A-Za-z0-9_-]{43}$/);
    expect(created.directory.tokenHint).to.equal(created.token.slice(0, 9));
    const other = await adapter.createDirectory({ provider: 'okta', name: 'Okta (contractors)' });
    expect(other.token).not.to.equal(created.token);
    expect(other.directory.name).to.equal('Okta (contractors)');
    const everything = JSON.stringify([await adapter.listDirectories(), await adapter.getDirectory(created.directory.id), await adapter.listDirectoryRequests(created.directory.id), adapter.calls]);
    expect(everything).not.to.contain(created.token.slice(9));
  });

  it('refuses an input the contract refuses, and the Directory Simulator outside development sessions', async () => {
    await expectCode(new MemoryAdapter().createDirectory({ provider: 'active-directory' as never }), 'validation_failed');
    const production = new MemoryAdapter({ seed: { session: { devMode: false } } });
    const error = await expectCode(production.createDirectory({ provider: 'directory-simulator' }), 'validation_failed');
    expect(error.message).to.contain('development');
    expect((await new MemoryAdapter().createDirectory({ provider: 'directory-simulator' })).directory.provider).to.equal('directory-simulator');
  });

  it('regenerates the token: the old one is refused at once (401, explained), the new one accepted', async () => {
    const adapter = new MemoryAdapter();
    const { directory, token } = await adapter.createDirectory({ provider: 'entra-id' });
    const regenerated = await adapter.regenerateDirectoryToken(directory.id, { version: 1 });
    expect(regenerated.token).not.to.equal(token);
    expect(regenerated.directory.version).to.equal(2);
    adapter.receiveScimRequests(directory.id, scimScenario('entra-first-sync').slice(0, 2), { token });
    let requests = await adapter.listDirectoryRequests(directory.id);
    expect(requests.map((r) => r.status)).to.deep.equal([401, 401]);
    expect(requests[0]!.error?.remedy).to.contain("Copy the token again from the portal into Entra's Secret Token field");
    expect(requests[0]!.error?.facts).to.deep.equal({ status: 401, method: 'POST', resource: 'Users', tokenProblem: 'wrong' });
    expect((await adapter.getDirectory(directory.id)).counts.users).to.equal(0);
    adapter.receiveScimRequests(directory.id, scimScenario('entra-first-sync').slice(0, 2), { token: regenerated.token });
    requests = await adapter.listDirectoryRequests(directory.id);
    expect(requests.map((r) => r.status)).to.deep.equal([201, 200, 401, 401]);
    const now = await adapter.getDirectory(directory.id);
    expect(now.counts).to.deep.equal({ users: 1, activeUsers: 1, groups: 0 });
    expect(now.recentErrors).to.equal(2);
    expect(now.lastSyncAt).to.be.a('string');
    expect(now.version, 'requests are not the admin’s changes').to.equal(2);
  });

  it('a stale version is a conflict and changes nothing', async () => {
    const adapter = new MemoryAdapter();
    const { directory } = await adapter.createDirectory({ provider: 'okta' });
    await adapter.setDirectoryEnabled(directory.id, true, { version: 1 });
    const error = await expectCode(adapter.regenerateDirectoryToken(directory.id, { version: 1 }), 'conflict');
    expect(error.details).to.deep.equal({ expectedVersion: 1, currentVersion: 2 });
    await expectCode(adapter.setDirectoryEnabled(directory.id, false, { version: 1 }), 'conflict');
    expect((await adapter.getDirectory(directory.id)).status).to.equal('enabled');
  });

  it('setup -> enabled -> disabled: a disabled directory refuses every request (403) and keeps its data', async () => {
    const adapter = new MemoryAdapter();
    const { directory } = await adapter.createDirectory({ provider: 'okta' });
    adapter.receiveScimRequests(directory.id, scimScenario('first-sync'));
    const enabled = await adapter.setDirectoryEnabled(directory.id, true, { version: 1 });
    expect(enabled.status).to.equal('enabled');
    expect(enabled.enabledAt).to.be.a('string');
    expect(enabled.counts).to.deep.equal({ users: 3, activeUsers: 3, groups: 1 });
    const disabled = await adapter.setDirectoryEnabled(directory.id, false, { version: 2 });
    expect(disabled.status).to.equal('disabled');
    const after = adapter.receiveScimRequests(directory.id, scimScenario('deactivate'));
    expect(after.counts.activeUsers).to.equal(3);
    const [last] = await adapter.listDirectoryRequests(directory.id);
    expect(last).to.include({ status: 403 });
    expect(last!.error?.detail).to.contain('turned off');
    parseOrThrow(DirectorySchema, after, 'answer');
  });

  it('keeps the last 50 requests, newest first, with refused ones explained', async () => {
    const adapter = new MemoryAdapter();
    const { directory } = await adapter.createDirectory({ provider: 'okta' });
    adapter.receiveScimRequests(directory.id, scimScenario('with-errors'));
    const requests = await adapter.listDirectoryRequests(directory.id);
    expect(requests.map((r) => r.status)).to.deep.equal([400, 400, 201, 200]);
    expect(requests[0]!.error).to.include({ scimType: 'invalidPath' });
    for (let i = 0; i < 30; i++) adapter.receiveScimRequests(directory.id, scimScenario('first-sync').slice(0, 2));
    expect(await adapter.listDirectoryRequests(directory.id)).to.have.length(50);
  });

  it('deletes a directory; an unknown one is not_found; faults and latency apply as to every method', async () => {
    const adapter = new MemoryAdapter();
    const { directory } = await adapter.createDirectory({ provider: 'okta' });
    await adapter.deleteDirectory(directory.id);
    await expectCode(adapter.getDirectory(directory.id), 'not_found');
    expect(() => adapter.receiveScimRequests(directory.id, [])).to.throw(PortalError);
    adapter.failNext('listDirectories', 'network');
    await expectCode(adapter.listDirectories(), 'network');
    expect(await adapter.listDirectories()).to.deep.equal([]);
  });

  it('without directory sync (directorySync: false) it has no directory methods', () => {
    const adapter = new MemoryAdapter({ directorySync: false });
    expect(adapter.listDirectories).to.equal(undefined);
    expect(adapter.createDirectory).to.equal(undefined);
    expect(new MemoryAdapter().listDirectories).to.be.a('function');
  });
});
