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

// DEMO_KEY_STORAGE remembers the last demo key the page offered, so a key
// the user pasted over it is kept until the server offers a new one.
const DEMO_KEY_STORAGE = 'confluence-graph:demo-key';

// NO_KEY is what the playground shows instead of sending a request that
// the service would refuse (UNAUTHENTICATED) for want of a key.
const NO_KEY = 'Paste an API key (Authorization: Bearer cg_…) to run queries';

function storageGet(name) {
  try {
    return window.localStorage.getItem(name) || '';
  } catch {
    return '';
  }
}

// readKey returns the key to start with. `serve --demo` puts its reader key
// in the page's data-demo-key attribute: a demo key the page has not offered
// before (a new run revoked the old ones) replaces the stored key; otherwise
// the key the user saved is kept.
function readKey() {
  const demo = document.documentElement.dataset.demoKey || '';
  if (demo && demo !== storageGet(DEMO_KEY_STORAGE)) {
    try {
      window.localStorage.setItem(DEMO_KEY_STORAGE, demo);
    } catch {
      // Storage disabled: the demo key is used for this page only.
    }
    writeKey(demo);
    return demo;
  }
  return storageGet(KEY_STORAGE) || demo;
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
// Without a key and without an Authorization header typed in the headers
// editor it sends nothing and answers NO_KEY (shown as is in the response
// pane when GraphiQL loads the schema).
function makeFetcher(url, key) {
  return async (params, opts) => {
    const typed = opts?.headers || {};
    if (!key && !Object.keys(typed).some((h) => h.toLowerCase() === 'authorization')) {
      return NO_KEY;
    }
    const headers = {
      'Content-Type': 'application/json',
      Accept: 'application/graphql-response+json, application/json',
    };
    if (key) headers.Authorization = `Bearer ${key}`;
    Object.assign(headers, typed);
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
        {apiKey ? `key set (…${apiKey.slice(-4)})` : NO_KEY}
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
