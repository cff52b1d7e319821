// The offline GraphiQL page of confluence-graph. Everything it needs is in
// this bundle: no CDN, no external fonts, no web workers (GraphiQL 3 edits
// with CodeMirror 5, which runs on the page's own thread).
import { useCallback, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
import './playground.css';
import DEFAULT_QUERY from './default-query.graphql';

// KEY_STORAGE holds the API key the user pasted once. It stays in this
// browser's localStorage for this origin only; clearing the field removes it.
const KEY_STORAGE = 'confluence-graph:api-key';

// endpoint is where queries go: the page's data-endpoint attribute, resolved
// against the page URL so a service mounted under a path prefix still works.
function endpoint() {
  const raw = document.documentElement.dataset.endpoint || 'graphql';
  return new URL(raw, window.location.href).toString();
}

function readKey() {
  try {
    return window.localStorage.getItem(KEY_STORAGE) || '';
  } catch {
    return '';
  }
}

function writeKey(key) {
  try {
    if (key) window.localStorage.setItem(KEY_STORAGE, key);
    else window.localStorage.removeItem(KEY_STORAGE);
  } catch {
    // Storage can be disabled (private mode); the key then lives for this page only.
  }
}

// makeFetcher returns a GraphiQL fetcher that POSTs to the endpoint with
// the API key as a bearer token. Headers typed in GraphiQL's headers editor
// are sent too and win over the key field, so any header can be tried.
function makeFetcher(url, key) {
  return async (params, opts) => {
    const headers = {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json',
    };
    if (key) headers.Authorization = `Bearer ${key}`;
    Object.assign(headers, opts?.headers || {});
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(params),
      credentials: 'omit',
    });
    const text = await res.text();
    try {
      return JSON.parse(text);
    } catch {
      return { errors: [{ message: `HTTP ${res.status}: response is not JSON`, extensions: { body: text.slice(0, 500) } }] };
    }
  };
}

function KeyBar({ apiKey, onSave }) {
  const [draft, setDraft] = useState(apiKey);
  const submit = (e) => {
    e.preventDefault();
    onSave(draft.trim());
  };
  return (
    <form className="cg-keybar" onSubmit={submit} aria-label="API key">
      <span className="cg-title">confluence-graph</span>
      <label htmlFor="cg-api-key">API key</label>
      <input
        id="cg-api-key"
        type="password"
        autoComplete="off"
        spellCheck="false"
        placeholder="cg_... (paste once; kept in this browser)"
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
      />
      <button type="submit" id="cg-api-key-save">Use key</button>
      <span id="cg-key-status" className={apiKey ? 'cg-ok' : 'cg-missing'}>
        {apiKey ? `key set (…${apiKey.slice(-4)})` : 'no key: queries will be rejected with 401'}
      </span>
      <a className="cg-link" href="settings">Settings</a>
    </form>
  );
}

function App() {
  const [apiKey, setApiKey] = useState(readKey);
  const url = useMemo(endpoint, []);
  // A new fetcher makes GraphiQL fetch the schema again, so entering the
  // key also loads the documentation explorer and autocompletion.
  const fetcher = useMemo(() => makeFetcher(url, apiKey), [url, apiKey]);
  const save = useCallback((key) => {
    writeKey(key);
    setApiKey(key);
  }, []);
  return (
    <div className="cg-app">
      <KeyBar apiKey={apiKey} onSave={save} />
      <div className="cg-graphiql">
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} defaultEditorToolsVisibility="variables" />
      </div>
    </div>
  );
}

createRoot(document.getElementById('root')).render(<App />);
