// Browser tests of the embedded pages in Debian's headless Chromium, driven
// by playwright-core: the GraphiQL playground runs a query through its UI,
// and the settings page connects the demo Confluence and sets its read
// policy. Every request the browser makes is recorded; any to a host other
// than the service fails.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { RUNBOOK_CQL, demoAccounts, requireEnv, serviceURL } from './env.mjs';

const CHROMIUM = process.env.CG_CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// Screenshots land here (ignored by git) for a person to look at.
const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'test-results');
// Playwright waits; none of them is a timing assertion, just a bound on a hang.
const WAIT = { timeout: 20_000 };

let profile;
let context;
const foreign = []; // requests to any other host
const problems = []; // page errors and CSP violations

before(async () => {
  profile = await mkdtemp(path.join(os.tmpdir(), 'cg-chromium-'));
  await mkdir(RESULTS, { recursive: true });
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 900 },
  });
  const service = serviceURL();
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.host !== service.host) {
      foreign.push(route.request().url());
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  context.on('weberror', (e) => problems.push(`page error: ${e.error()}`));
  context.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
});

after(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

/** setEditor replaces the text of a GraphiQL (CodeMirror 5) editor the way a user pastes it. */
async function setEditor(page, selector, text) {
  await page.click(`${selector} .CodeMirror`);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // insertText is a paste: no auto-closed brackets added behind it.
  await page.keyboard.insertText(text);
}

/**
 * runQuery presses GraphiQL's run button and returns the response pane's
 * text once it holds a result. GraphiQL parses the editor shortly after a
 * change (a run before that answers "Unable to detect operation AST"), and
 * stores the parsed query as graphiql:query in localStorage in the same
 * step, so that stored value is the sign it is ready.
 */
async function runQuery(page, query) {
  await page.waitForFunction((q) => window.localStorage.getItem('graphiql:query') === q, query, WAIT);
  // The pane may still show the answer to the schema fetch made before the key was set.
  const before = await page.textContent('.graphiql-response');
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(
    (old) => {
      const text = document.querySelector('.graphiql-response')?.textContent ?? '';
      return text !== old && /"(data|errors)"/.test(text);
    },
    before,
    WAIT,
  );
  return page.textContent('.graphiql-response');
}

// NO_KEY is what the playground shows, instead of a refused request, while it has no key.
const NO_KEY = 'Paste an API key (Authorization: Bearer cg_…) to run queries';

// This test runs first, while the browser profile holds no saved key.
test('the playground opens without an UNAUTHENTICATED error: demo key filled in, or a plain ask for one', async () => {
  const page = await context.newPage();
  const unauthorized = []; // GraphQL requests sent without a key
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('/graphql') && !r.headers().authorization) unauthorized.push(`${r.method()} ${r.url()}`);
  });
  await page.goto(serviceURL().toString());
  await page.waitForSelector('.graphiql-container', WAIT);
  const demoKey = await page.evaluate(() => document.documentElement.dataset.demoKey || '');
  await page.click('[aria-label="Show Documentation Explorer"]');
  if (demoKey) {
    // serve --demo handed its reader key to the page: the schema loads at once.
    assert.equal(demoKey, requireEnv('CG_READER_KEY'), 'the page offers a key other than the printed reader key');
    await page.waitForFunction(() => /ConfluenceIntegration/.test(document.querySelector('.graphiql-doc-explorer')?.textContent ?? ''), null, WAIT);
    assert.match(await page.textContent('#cg-key-status'), /^key set/);
  } else {
    await page.waitForFunction((msg) => (document.querySelector('.graphiql-response')?.textContent ?? '').includes(msg), NO_KEY, WAIT);
    assert.equal(await page.textContent('#cg-key-status'), NO_KEY);
    assert.deepEqual(unauthorized, [], 'the playground sent GraphQL requests without a key');
  }
  assert.doesNotMatch(await page.textContent('body'), /UNAUTHENTICATED|Unauthorized/i, 'the page shows an authentication error on open');
  await page.screenshot({ path: path.join(RESULTS, 'playground-open.png') });
  await page.close();
});

test('the playground runs a query through the GraphiQL UI with the key entered once', async () => {
  const page = await context.newPage();
  await page.goto(serviceURL().toString());
  await page.waitForSelector('.graphiql-container', WAIT);

  await page.fill('#cg-api-key', requireEnv('CG_READER_KEY'));
  await page.click('#cg-api-key-save');
  await page.waitForFunction(() => document.querySelector('#cg-key-status')?.textContent.startsWith('key set'), null, WAIT);

  const query = `query Runbook {\n  search(cql: ${JSON.stringify(RUNBOOK_CQL)}, first: 5) {\n    nodes { title url }\n  }\n}\n`;
  await setEditor(page, '.graphiql-query-editor', query);
  const response = await runQuery(page, query);
  assert.match(response, /runbook/i, 'the result shows no runbook');
  assert.doesNotMatch(response, /"errors"/, 'the result has errors');
  await page.screenshot({ path: path.join(RESULTS, 'playground.png') });

  // Setting the key also loaded the schema: the docs explorer lists our types.
  await page.click('[aria-label="Show Documentation Explorer"]');
  await page.waitForFunction(() => /ConfluenceIntegration/.test(document.querySelector('.graphiql-doc-explorer')?.textContent ?? ''), null, WAIT);

  // The key is entered once: after a reload it is still in use.
  await page.reload();
  await page.waitForSelector('.graphiql-container', WAIT);
  assert.match(await page.textContent('#cg-key-status'), /^key set/);
  await page.close();
});

/** connect types an account into the Confluence card and presses Save. */
async function connect(page, account) {
  await page.fill('#domain', requireEnv('CG_SIM_HOST'));
  await page.fill('#email', account.email);
  await page.fill('#api-token', account.token);
  await page.click('#save');
  await page.waitForFunction(() => !document.querySelector('#save').disabled && document.querySelector('#message').textContent !== 'Working…', null, WAIT);
}

async function statusBadge(page) {
  return (await page.textContent('#status')).trim();
}

/**
 * openPolicy opens the Confluence card's read policy part and waits until
 * it has listed the spaces (it lists them on opening; data-spaces says how far it got).
 */
async function openPolicy(page) {
  await page.waitForSelector('#policy:not([hidden]) > summary', WAIT);
  if (!(await page.$eval('#policy', (d) => d.open))) await page.click('#policy > summary');
  await page.waitForFunction(() => /^(listed|failed)$/.test(document.querySelector('#policy').dataset.spaces), null, WAIT);
  assert.equal(await page.$eval('#policy', (d) => d.dataset.spaces), 'listed', await page.textContent('#spaces-status'));
}

/** savePolicy presses Save policy and waits for the outcome. */
async function savePolicy(page) {
  await page.click('#policy-save');
  await page.waitForFunction(() => {
    const m = document.querySelector('#policy-message').textContent;
    return !document.querySelector('#policy-save').disabled && m !== '' && m !== 'Saving…';
  }, null, WAIT);
}

async function checkedSpaces(page) {
  return page.$$eval('#space-list input:checked', (boxes) => boxes.map((b) => b.dataset.key));
}

/** pageGraphQL runs a query with fetch from the page, as the page's own script does. */
async function pageGraphQL(page, query, key) {
  return page.evaluate(
    async ([q, k]) => {
      const res = await fetch('graphql', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${k}` },
        body: JSON.stringify({ query: q }),
      });
      return res.json();
    },
    [query, key],
  );
}

const POLICY_QUERY = '{ confluenceIntegration { readPolicy { allowedSpaces excludedLabels } } }';

test('the settings page connects the demo Confluence and names a missing scope', async (t) => {
  const { classic, scopedNoSearch } = demoAccounts();
  const page = await context.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(new URL('settings', serviceURL()).toString());

  await t.test('a reader key is refused with a hint to use an admin key', async () => {
    await page.fill('#admin-key', requireEnv('CG_READER_KEY'));
    await page.click('#admin-key-save');
    await connect(page, classic);
    assert.match(await page.textContent('#message'), /admin/i);
  });

  await page.fill('#admin-key', requireEnv('CG_ADMIN_KEY'));
  await page.click('#admin-key-save');

  await t.test('a classic token connects', async () => {
    await connect(page, classic);
    await page.waitForFunction(() => document.querySelector('#status').textContent === 'CONNECTED', null, WAIT);
    assert.equal(await page.textContent('#token-type'), 'CLASSIC');
    assert.equal(await page.textContent('#token-hint'), `••••${classic.token.slice(-4)}`);
    assert.equal(await page.inputValue('#api-token'), '', 'the token field keeps the token after saving');
    const caps = await page.$$eval('#capabilities tbody tr', (rows) => rows.map((r) => [r.dataset.capability, r.cells[1].textContent]));
    assert.ok(caps.length > 0, 'no capabilities shown');
    assert.deepEqual(caps.filter(([, ok]) => ok !== 'yes'), [], 'a classic demo token should have every capability');
    assert.equal((await page.content()).includes(classic.token), false, 'the token is still in the page');
    await page.screenshot({ path: path.join(RESULTS, 'settings-connected.png'), fullPage: true });
  });

  await t.test('a scoped token without search:confluence is refused, naming the scope', async () => {
    await connect(page, scopedNoSearch);
    const errors = await page.$$eval('#user-errors > li', (items) => items.map((li) => ({ code: li.dataset.code, text: li.textContent })));
    assert.deepEqual(errors.map((e) => e.code), ['MISSING_SCOPES'], `userErrors shown: ${JSON.stringify(errors)}; message: ${await page.textContent('#message')}`);
    assert.ok(errors[0].text.includes('search:confluence'), `the MISSING_SCOPES error does not name search:confluence: ${errors[0].text}`);
    assert.match(await page.textContent('#message'), /^Not saved/);
    // Nothing was stored: the page shows the classic connection saved before.
    assert.equal(await statusBadge(page), 'CONNECTED');
    assert.equal(await page.textContent('#token-type'), 'CLASSIC');
    assert.equal(await page.textContent('#token-hint'), `••••${classic.token.slice(-4)}`);
    assert.equal((await page.content()).includes(scopedNoSearch.token), false, 'the refused token is in the page');
    await page.screenshot({ path: path.join(RESULTS, 'settings-missing-scope.png'), fullPage: true });
  });

  await t.test('Data Center: the base URL replaces the domain, and a host the operator has not allowed is refused', async () => {
    await page.selectOption('#deployment', 'DATA_CENTER');
    assert.equal(await page.isVisible('#base-url'), true, 'the base URL field is hidden for Data Center');
    assert.equal(await page.isVisible('#domain'), false, 'the Cloud domain field is still shown for Data Center');
    await page.fill('#base-url', 'https://wiki.corp.example/confluence');
    await page.fill('#email', '');
    await page.fill('#api-token', 'NjE3ODkwMTIzNDU2Ok0dCq1Zr8y7Jm2Xw9Lp5Tq3Ve');
    await page.click('#save');
    await page.waitForFunction(() => !document.querySelector('#save').disabled && document.querySelector('#message').textContent !== 'Working…', null, WAIT);
    const errors = await page.$$eval('#user-errors > li', (items) => items.map((li) => li.dataset.code));
    assert.deepEqual(errors, ['DOMAIN_NOT_ALLOWED'], `userErrors: ${errors}; message: ${await page.textContent('#message')}`);
    assert.match(await page.textContent('#message'), /^Not saved/);
    // Nothing was stored: the Cloud connection saved before is still shown.
    assert.equal(await statusBadge(page), 'CONNECTED');
    assert.equal(await page.textContent('#token-type'), 'CLASSIC');
    await page.selectOption('#deployment', 'CLOUD');
    assert.equal(await page.isVisible('#domain'), true);
    assert.equal(await page.isVisible('#base-url'), false);
  });

  await t.test('Test re-validates the stored connection', async () => {
    await page.click('#test');
    await page.waitForFunction(() => /works|problems/.test(document.querySelector('#message').textContent), null, WAIT);
    assert.equal(await page.textContent('#message'), 'The connection works.');
    assert.equal(await statusBadge(page), 'CONNECTED');
  });

  await t.test('Disconnect removes it, and connecting again restores it', async () => {
    await page.click('#disconnect');
    await page.waitForFunction(() => document.querySelector('#status').textContent === 'NOT_CONNECTED', null, WAIT);
    await connect(page, classic);
    await page.waitForFunction(() => document.querySelector('#status').textContent === 'CONNECTED', null, WAIT);
  });

  await t.test('the read policy: spaces and a label saved, shown after a reload, a refused label changes nothing, ENG hidden', async () => {
    const admin = requireEnv('CG_ADMIN_KEY');
    await connect(page, classic);
    await page.waitForFunction(() => document.querySelector('#status').textContent === 'CONNECTED', null, WAIT);
    await openPolicy(page);
    // No policy: every space is listed, none is checked, and the page says what that means.
    const listed = await page.$$eval('#space-list input', (boxes) => boxes.map((b) => b.dataset.key));
    assert.ok(['ENG', 'OPS', 'PIR'].every((k) => listed.includes(k)), `spaces listed: ${listed}`);
    assert.deepEqual(await checkedSpaces(page), []);
    assert.match(await page.textContent('#spaces-rule'), /No space is checked: the assistant may read every space/);
    assert.equal(await page.textContent('#policy-summary'), '(every space; no label hidden)');

    await page.check('#space-list input[data-key="OPS"]');
    await page.check('#space-list input[data-key="PIR"]');
    assert.match(await page.textContent('#spaces-rule'), /^Only the 2 spaces OPS, PIR may be read/);
    await page.fill('#excluded-labels', 'confidential');
    await savePolicy(page);
    assert.equal(await page.textContent('#policy-message'), 'Saved: the assistant reads only the spaces OPS, PIR, except content labelled confidential.');
    assert.deepEqual(await page.$$eval('#policy-errors > li', (items) => items.length), 0);
    assert.deepEqual((await pageGraphQL(page, POLICY_QUERY, admin)).data.confluenceIntegration.readPolicy, { allowedSpaces: ['OPS', 'PIR'], excludedLabels: ['confidential'] });
    await page.screenshot({ path: path.join(RESULTS, 'settings-policy-saved.png'), fullPage: true });

    // The policy is enforced from the next request on: ENG is as absent as a space that does not exist.
    const eng = await pageGraphQL(page, '{ space(key: "ENG") { key } }', admin);
    assert.equal(eng.data?.space, null, JSON.stringify(eng));
    assert.deepEqual(eng.errors?.map((e) => e.extensions?.code), ['NOT_FOUND'], JSON.stringify(eng));
    const ops = await pageGraphQL(page, '{ space(key: "OPS") { key } }', admin);
    assert.deepEqual(ops, { data: { space: { key: 'OPS' } } });

    // After a reload the stored policy is shown: OPS and PIR checked, the label in its field.
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#status').textContent === 'CONNECTED', null, WAIT);
    await openPolicy(page);
    assert.deepEqual(await checkedSpaces(page), ['OPS', 'PIR']);
    assert.equal(await page.inputValue('#excluded-labels'), 'confidential');
    assert.equal(await page.textContent('#policy-summary'), '(OPS, PIR; hiding confidential)');
    // The picker lists every space the account can see (availableSpaces ignores the policy), so
    // ENG can be allowed again by ticking it.
    assert.ok((await page.$$eval('#space-list input', (xs) => xs.map((x) => x.value))).includes('ENG'));

    // A label with a space (quoted, so it stays one entry) is refused: message and hints shown, the field marked, nothing stored.
    await page.fill('#excluded-labels', 'confidential, "top secret"');
    await savePolicy(page);
    assert.match(await page.textContent('#policy-message'), /^Not saved: .*The stored policy is unchanged\.$/);
    const errors = await page.$$eval('#policy-errors > li', (items) =>
      items.map((li) => ({ code: li.dataset.code, text: li.textContent, hints: li.querySelectorAll('.hints li').length })),
    );
    assert.deepEqual(errors.map((e) => e.code), ['INVALID_READ_POLICY'], JSON.stringify(errors));
    assert.ok(errors[0].text.includes('"top secret" has white space'), `the refusal does not name the label: ${errors[0].text}`);
    assert.ok(errors[0].hints > 0, 'the refusal shows no hint');
    assert.equal(await page.getAttribute('#excluded-labels', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('#extra-spaces', 'aria-invalid'), null);
    assert.equal(await page.textContent('#policy-summary'), '(OPS, PIR; hiding confidential)');
    assert.deepEqual((await pageGraphQL(page, POLICY_QUERY, admin)).data.confluenceIntegration.readPolicy, { allowedSpaces: ['OPS', 'PIR'], excludedLabels: ['confidential'] });
    await page.screenshot({ path: path.join(RESULTS, 'settings-policy-refused.png'), fullPage: true });

    // A space the list cannot show (the policy hides ENG) is added by key; an unknown key is refused, the spaces marked.
    await page.fill('#excluded-labels', 'confidential');
    await page.fill('#extra-spaces', 'ENG, NOPE');
    await savePolicy(page);
    assert.deepEqual(await page.$$eval('#policy-errors > li', (items) => items.map((li) => li.dataset.code)), ['UNKNOWN_SPACES']);
    assert.match(await page.textContent('#policy-errors'), /NOPE/);
    assert.equal(await page.getAttribute('#extra-spaces', 'aria-invalid'), 'true');
    assert.equal(await page.$eval('#policy-spaces', (f) => f.classList.contains('invalid')), true);
    assert.equal(await page.getAttribute('#excluded-labels', 'aria-invalid'), null);
    await page.fill('#extra-spaces', 'eng');
    await savePolicy(page);
    assert.match(await page.textContent('#policy-message'), /^Saved: the assistant reads only the spaces ENG, OPS, PIR,/);
    assert.deepEqual(await checkedSpaces(page), ['ENG', 'OPS', 'PIR']);
    assert.equal(await page.inputValue('#extra-spaces'), '');
    assert.equal(await page.$eval('#policy-spaces', (f) => f.classList.contains('invalid')), false);

    // Unchecking every space and clearing the labels allows everything again.
    await page.uncheck('#space-list input[data-key="ENG"]');
    await page.uncheck('#space-list input[data-key="OPS"]');
    await page.uncheck('#space-list input[data-key="PIR"]');
    await page.fill('#excluded-labels', '');
    assert.match(await page.textContent('#spaces-rule'), /every space/);
    await savePolicy(page);
    assert.equal(await page.textContent('#policy-message'), 'Saved: the assistant reads every space the account can see.');
    assert.equal(await page.getAttribute('#excluded-labels', 'aria-invalid'), null);
    assert.deepEqual(await pageGraphQL(page, '{ space(key: "ENG") { key } }', admin), { data: { space: { key: 'ENG' } } });
  });

  await t.test('the space picker lists every page of spaces, following endCursor', async () => {
    // The demo has fewer spaces than one page holds, so this page's space
    // listings are answered here: two pages, the second after cursor c1.
    const listing = await context.newPage();
    const afters = [];
    await listing.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON();
      if (!/SettingsSpaces/.test(body?.query ?? '')) return route.continue();
      const after = body.variables?.after ?? null;
      afters.push(after);
      const spaces = after === null
        ? { nodes: [{ key: 'ZED', name: 'Zed' }, { key: 'OPS', name: 'Operations' }], pageInfo: { hasNextPage: true, endCursor: 'c1' } }
        : { nodes: [{ key: 'ALPHA', name: 'Alpha <b>not bold</b>' }], pageInfo: { hasNextPage: false, endCursor: 'c2' } };
      return route.fulfill({ contentType: 'application/json', body: JSON.stringify({ data: { availableSpaces: spaces } }) });
    });
    await listing.goto(new URL('settings', serviceURL()).toString());
    await listing.fill('#admin-key', requireEnv('CG_ADMIN_KEY'));
    await listing.click('#admin-key-save');
    await openPolicy(listing);
    assert.deepEqual(afters, [null, 'c1']);
    assert.deepEqual(await listing.$$eval('#space-list input', (boxes) => boxes.map((b) => b.dataset.key)), ['ALPHA', 'OPS', 'ZED']);
    // Names from the service are text, never markup.
    assert.equal(await listing.textContent('#space-list li[data-key="ALPHA"] .name'), 'Alpha <b>not bold</b>');
    await listing.fill('#space-filter', 'alp');
    assert.deepEqual(await listing.$$eval('#space-list li:not([hidden])', (items) => items.map((li) => li.dataset.key)), ['ALPHA']);
    await listing.close();
  });
  await page.close();
});

test('the pages made no request to any other host and raised no error', () => {
  assert.deepEqual(foreign, []);
  assert.deepEqual(problems, []);
});
