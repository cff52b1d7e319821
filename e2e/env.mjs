// Inputs of the e2e checks, all from the environment (run.sh sets them from
// what `confluence-graph serve --demo` prints):
//
//   CG_URL          service base URL, e.g. http://127.0.0.1:8080/ (the playground line)
//   CG_GRAPHQL_URL  GraphQL endpoint; default: graphql under CG_URL
//   CG_READER_KEY   an API key with the reader role
//   CG_ADMIN_KEY    an API key with the admin role
//   CG_SIM_HOST     host:port of the simulator, typed as the Confluence domain
//   CG_ACCOUNTS     the simulator's account lines, one per line: EMAIL TOKEN TYPE [SCOPES]
//                   (an optional "account:" prefix is ignored; scopes separated by commas or spaces)

/** requireEnv returns the variable's value or throws naming it. */
export function requireEnv(name) {
  const v = process.env[name];
  if (!v) throw new Error(`e2e: environment variable ${name} is not set (run e2e/run.sh, or export it)`);
  return v;
}

/** serviceURL is the service base URL with a trailing slash. */
export function serviceURL() {
  const u = new URL(requireEnv('CG_URL'));
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u;
}

/** graphqlURL is the GraphQL endpoint of the service. */
export function graphqlURL() {
  return new URL(process.env.CG_GRAPHQL_URL || new URL('graphql', serviceURL()).toString());
}

/**
 * parseAccounts reads account lines ("EMAIL TOKEN TYPE [SCOPES...]") into
 * {email, token, type, scopes}; blank lines are skipped and an unreadable
 * line throws, so a format change shows up as an error rather than as a
 * missing account.
 */
export function parseAccounts(text) {
  const accounts = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s*account:\s*/, '').trim();
    if (!line) continue;
    const [email, token, type, ...rest] = line.split(/\s+/);
    if (!email || !email.includes('@') || !token || !type) {
      throw new Error(`e2e: cannot read account line ${JSON.stringify(raw)} (want EMAIL TOKEN TYPE [SCOPES])`);
    }
    const scopes = rest.join(' ').split(/[\s,]+/).filter((s) => s && s !== '-');
    accounts.push({ email, token, type: type.toLowerCase(), scopes });
  }
  return accounts;
}

/**
 * demoAccounts picks the two accounts the settings test needs: a classic
 * token, and the scoped token that has the most scopes but lacks
 * search:confluence.
 */
export function demoAccounts() {
  const accounts = parseAccounts(requireEnv('CG_ACCOUNTS'));
  const classic = accounts.find((a) => a.type === 'classic');
  const scopedNoSearch = accounts
    .filter((a) => a.type === 'scoped' && !a.scopes.includes('search:confluence'))
    .sort((a, b) => b.scopes.length - a.scopes.length)[0];
  if (!classic) throw new Error('e2e: CG_ACCOUNTS has no classic account');
  if (!scopedNoSearch) throw new Error('e2e: CG_ACCOUNTS has no scoped account lacking search:confluence');
  return { classic, scopedNoSearch };
}

/**
 * graphql POSTs one operation to the service with the given API key and
 * returns {status, body}. It never throws on GraphQL errors: tests assert them.
 */
export async function graphql(query, { key, variables, url = graphqlURL() } = {}) {
  const headers = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`e2e: ${url} answered HTTP ${res.status} with non-JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body };
}

/** RUNBOOK_CQL finds the demo dataset's deployment runbook. */
export const RUNBOOK_CQL = 'type = page AND text ~ "deployment runbook"';
