// The account-line parser that feeds the settings browser test: it must read
// the simulator's banner (confluencetest.WriteBanner) and pick the right two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoAccounts, parseAccounts } from './env.mjs';

const banner = [
  'account: alice@example.com TOKEN-A classic -',
  'account: annie-bot@example.com TOKEN-B scoped read:page:confluence,search:confluence',
  'account: nosearch-bot@example.com TOKEN-C scoped read:page:confluence,read:space:confluence',
  'account: narrow-bot@example.com TOKEN-D scoped read:page:confluence',
  '',
].join('\n');

test('parseAccounts reads email, token, type and scopes', () => {
  const tests = [
    { name: 'no scopes', line: 'alice@example.com T classic -', want: { email: 'alice@example.com', token: 'T', type: 'classic', scopes: [] } },
    { name: 'prefixed and comma-separated', line: 'account: a@b.c T SCOPED x:y,z:w', want: { email: 'a@b.c', token: 'T', type: 'scoped', scopes: ['x:y', 'z:w'] } },
    { name: 'space-separated scopes', line: 'a@b.c T scoped x:y z:w', want: { email: 'a@b.c', token: 'T', type: 'scoped', scopes: ['x:y', 'z:w'] } },
    { name: 'no scopes field at all', line: 'a@b.c T classic', want: { email: 'a@b.c', token: 'T', type: 'classic', scopes: [] } },
  ];
  for (const tt of tests) {
    assert.deepEqual(parseAccounts(tt.line), [tt.want], tt.name);
  }
});

test('parseAccounts rejects a line it cannot read', () => {
  assert.throws(() => parseAccounts('base url: http://127.0.0.1:1'), /cannot read account line/);
  assert.throws(() => parseAccounts('alice@example.com onlytoken'), /cannot read account line/);
});

test('demoAccounts picks the classic token and the widest scoped token lacking search', (t) => {
  const saved = process.env.CG_ACCOUNTS;
  t.after(() => {
    if (saved === undefined) delete process.env.CG_ACCOUNTS;
    else process.env.CG_ACCOUNTS = saved;
  });
  process.env.CG_ACCOUNTS = banner;
  const { classic, scopedNoSearch } = demoAccounts();
  assert.equal(classic.email, 'alice@example.com');
  assert.equal(scopedNoSearch.email, 'nosearch-bot@example.com');

  process.env.CG_ACCOUNTS = 'account: a@b.c T scoped search:confluence';
  assert.throws(() => demoAccounts(), /no classic account/);
});
