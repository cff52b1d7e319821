// Reference integrations settings page for confluence-graph: plain
// JavaScript, no framework, no requests to any host but this service.
// It shows how a frontend drives the connection mutations and presents
// their userErrors; all text from the server goes in through textContent.
(function () {
  'use strict';

  // The admin key lives in sessionStorage: it is gone when the tab closes.
  var KEY_STORAGE = 'confluence-graph:admin-key';
  var endpoint = new URL(document.documentElement.dataset.endpoint || 'graphql', window.location.href).toString();

  // The operations are whole string literals marked graphql so the Go tests
  // can check each one against schema.graphqls.
  var Q_INTEGRATION = /* graphql */ 'query SettingsIntegration { confluenceIntegration { status domain email tokenType tokenHint cloudId account { accountId displayName } capabilities { name ok requiredScope message } lastValidatedAt } }';
  var M_CONNECT = /* graphql */ 'mutation SettingsConnect($input: ConnectConfluenceInput!) { connectConfluence(input: $input) { integration { status domain email tokenType tokenHint cloudId account { accountId displayName } capabilities { name ok requiredScope message } lastValidatedAt } userErrors { field code message hints } } }';
  var M_TEST = /* graphql */ 'mutation SettingsTest { testConfluenceConnection { integration { status domain email tokenType tokenHint cloudId account { accountId displayName } capabilities { name ok requiredScope message } lastValidatedAt } userErrors { field code message hints } } }';
  var M_DISCONNECT = /* graphql */ 'mutation SettingsDisconnect { disconnectConfluence { disconnected userErrors { field code message hints } } }';

  function $(id) { return document.getElementById(id); }

  function adminKey() {
    try { return window.sessionStorage.getItem(KEY_STORAGE) || ''; } catch (e) { return ''; }
  }

  function setAdminKey(key) {
    try {
      if (key) window.sessionStorage.setItem(KEY_STORAGE, key);
      else window.sessionStorage.removeItem(KEY_STORAGE);
    } catch (e) { /* storage disabled: the key is used for this page only */ }
    memoryKey = key;
  }
  var memoryKey = adminKey();

  // RequestError is a failure of the request as a whole (HTTP or GraphQL
  // errors), as opposed to userErrors, which are answers.
  function RequestError(message) { this.message = message; }

  function describeErrors(status, errors) {
    var first = errors && errors[0];
    var code = first && first.extensions && first.extensions.code;
    if (status === 401 || code === 'UNAUTHENTICATED') return 'The admin API key is missing or was not accepted.';
    if (code === 'FORBIDDEN') return 'This API key may not change settings: use a key with the admin role.';
    if (first) return first.message + (code ? ' (' + code + ')' : '');
    return 'The service answered HTTP ' + status + '.';
  }

  function gql(query, variables) {
    var headers = { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' };
    if (memoryKey) headers.Authorization = 'Bearer ' + memoryKey;
    return fetch(endpoint, {
      method: 'POST',
      headers: headers,
      credentials: 'omit',
      body: JSON.stringify({ query: query, variables: variables || {} })
    }).then(function (res) {
      return res.text().then(function (text) {
        var body;
        try { body = JSON.parse(text); } catch (e) { throw new RequestError('The service answered HTTP ' + res.status + ' without JSON.'); }
        if (!res.ok || (body.errors && body.errors.length) || !body.data) {
          throw new RequestError(describeErrors(res.status, body.errors));
        }
        return body.data;
      });
    }, function () {
      throw new RequestError('The service could not be reached.');
    });
  }

  function setBusy(busy) {
    ['save', 'test', 'disconnect'].forEach(function (id) { $(id).disabled = busy; });
  }

  function showMessage(text, isError) {
    var m = $('message');
    m.textContent = text || '';
    m.className = isError ? 'error' : '';
  }

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (className) e.className = className;
    return e;
  }

  function renderUserErrors(errors) {
    var list = $('user-errors');
    clear(list);
    (errors || []).forEach(function (ue) {
      var li = el('li', null, 'user-error');
      li.dataset.code = ue.code;
      li.appendChild(el('span', ue.code, 'code'));
      li.appendChild(document.createTextNode(' ' + ue.message));
      if (ue.field && ue.field.length) li.appendChild(el('span', ' (field: ' + ue.field.join('.') + ')', 'field'));
      if (ue.hints && ue.hints.length) {
        var hints = el('ul', null, 'hints');
        ue.hints.forEach(function (h) { hints.appendChild(el('li', h)); });
        li.appendChild(hints);
      }
      list.appendChild(li);
    });
  }

  function renderIntegration(it) {
    var status = it ? it.status : 'NOT_CONNECTED';
    $('status').textContent = status;
    $('status').dataset.status = status;
    $('details').hidden = !it;
    $('capabilities').hidden = !it;
    var body = $('capabilities').tBodies[0];
    clear(body);
    if (!it) return;
    $('detail-domain').textContent = it.domain;
    $('detail-email').textContent = it.email;
    $('token-type').textContent = it.tokenType;
    $('token-hint').textContent = '••••' + it.tokenHint;
    $('account').textContent = it.account ? (it.account.displayName || it.account.accountId) : '—';
    $('cloud-id').textContent = it.cloudId || '—';
    $('last-validated').textContent = it.lastValidatedAt ? new Date(it.lastValidatedAt).toLocaleString() : 'never';
    if (!$('domain').value) $('domain').value = it.domain;
    if (!$('email').value) $('email').value = it.email;
    (it.capabilities || []).forEach(function (c) {
      var tr = document.createElement('tr');
      tr.dataset.capability = c.name;
      tr.appendChild(el('td', c.name));
      tr.appendChild(el('td', c.ok ? 'yes' : 'no', c.ok ? 'ok' : 'missing'));
      tr.appendChild(el('td', c.requiredScope || '—'));
      tr.appendChild(el('td', c.message || ''));
      body.appendChild(tr);
    });
  }

  // refresh re-reads the stored connection and shows it.
  function refresh() {
    return gql(Q_INTEGRATION).then(function (data) { renderIntegration(data.confluenceIntegration); });
  }

  function load() {
    if (!memoryKey) {
      showMessage('Enter an admin API key to see and change the connection.', false);
      return Promise.resolve();
    }
    return refresh().then(function () { showMessage('', false); }, function (err) { showMessage(err.message, true); });
  }

  // run wraps one button's action: busy state, request errors to the message line.
  function run(action) {
    setBusy(true);
    renderUserErrors([]);
    showMessage('Working…', false);
    return action().catch(function (err) {
      showMessage(err instanceof RequestError ? err.message : 'Unexpected error: ' + err, true);
    }).then(function () { setBusy(false); });
  }

  $('admin-key').value = memoryKey;
  $('admin-key-form').addEventListener('submit', function (e) {
    e.preventDefault();
    setAdminKey($('admin-key').value.trim());
    load();
  });

  $('connect-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = { domain: $('domain').value.trim(), email: $('email').value.trim(), apiToken: $('api-token').value.trim() };
    run(function () {
      return gql(M_CONNECT, { input: input }).then(function (data) {
        var p = data.connectConfluence;
        if (p.integration) {
          $('api-token').value = '';
          renderIntegration(p.integration);
        }
        // Nothing was stored: show what is stored now, which is unchanged.
        var shown = p.integration ? Promise.resolve() : refresh();
        return shown.then(function () {
          renderUserErrors(p.userErrors);
          if (!p.userErrors.length) showMessage('Saved: Confluence is connected.', false);
          else if (p.integration) showMessage('Saved, with problems:', true);
          else showMessage('Not saved: fix the problems below. The stored connection is unchanged.', true);
        });
      });
    });
  });

  $('test').addEventListener('click', function () {
    run(function () {
      return gql(M_TEST).then(function (data) {
        var p = data.testConfluenceConnection;
        renderIntegration(p.integration);
        renderUserErrors(p.userErrors);
        showMessage(p.userErrors.length ? 'The test found problems:' : 'The connection works.', p.userErrors.length > 0);
      });
    });
  });

  $('disconnect').addEventListener('click', function () {
    if (!window.confirm('Disconnect Confluence? The stored token is deleted and queries stop working until you connect again.')) return;
    run(function () {
      return gql(M_DISCONNECT).then(function (data) {
        var p = data.disconnectConfluence;
        renderUserErrors(p.userErrors);
        if (p.disconnected) {
          renderIntegration(null);
          $('domain').value = '';
          $('email').value = '';
          showMessage('Disconnected: the stored token was deleted.', false);
        } else if (!p.userErrors.length) {
          renderIntegration(null);
          showMessage('Nothing was connected.', false);
        }
      });
    });
  });

  load();
})();
