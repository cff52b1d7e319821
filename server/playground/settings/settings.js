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
  var Q_INTEGRATION = /* graphql */ 'query SettingsIntegration { confluenceIntegration { status deployment baseUrl serverVersion domain email tokenType tokenHint cloudId account { accountId displayName } capabilities { name ok requiredScope message } lastValidatedAt readPolicy { allowedSpaces excludedLabels } } }';
  var M_CONNECT = /* graphql */ 'mutation SettingsConnect($input: ConnectConfluenceInput!) { connectConfluence(input: $input) { integration { status deployment baseUrl serverVersion domain email tokenType tokenHint cloudId account { accountId displayName } capabilities { name ok requiredScope message } lastValidatedAt readPolicy { allowedSpaces excludedLabels } } userErrors { field code message hints } } }';
  var M_TEST = /* graphql */ 'mutation SettingsTest { testConfluenceConnection { integration { status deployment baseUrl serverVersion domain email tokenType tokenHint cloudId account { accountId displayName } capabilities { name ok requiredScope message } lastValidatedAt readPolicy { allowedSpaces excludedLabels } } userErrors { field code message hints } } }';
  var M_DISCONNECT = /* graphql */ 'mutation SettingsDisconnect { disconnectConfluence { disconnected userErrors { field code message hints } } }';
  var Q_SPACES = /* graphql */ 'query SettingsSpaces($after: String) { availableSpaces(first: 100, after: $after) { nodes { key name } pageInfo { hasNextPage endCursor } } }';
  var M_POLICY = /* graphql */ 'mutation SettingsReadPolicy($input: ReadPolicyInput!) { setConfluenceReadPolicy(input: $input) { integration { readPolicy { allowedSpaces excludedLabels } } userErrors { field code message hints } } }';

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

  // renderUserErrors lists errors in list (the connection's list by default).
  function renderUserErrors(errors, list) {
    list = list || $('user-errors');
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
    $('policy').hidden = !it;
    if (it) renderPolicy(it.readPolicy, false);
    else resetPolicy();
    var body = $('capabilities').tBodies[0];
    clear(body);
    if (!it) return;
    $('detail-deployment').textContent = it.deployment === 'DATA_CENTER' ? 'Confluence Data Center' : 'Confluence Cloud';
    $('detail-domain').textContent = it.domain;
    $('detail-base-url').textContent = it.baseUrl || '—';
    $('detail-version').textContent = it.serverVersion || '—';
    $('detail-email').textContent = it.email;
    $('token-type').textContent = it.tokenType;
    $('token-hint').textContent = '••••' + it.tokenHint;
    $('account').textContent = it.account ? (it.account.displayName || it.account.accountId) : '—';
    $('cloud-id').textContent = it.cloudId || '—';
    $('last-validated').textContent = it.lastValidatedAt ? new Date(it.lastValidatedAt).toLocaleString() : 'never';
    if (it.deployment === 'DATA_CENTER') {
      $('deployment').value = 'DATA_CENTER';
      if (!$('base-url').value) $('base-url').value = it.baseUrl || '';
      showDeployment();
    } else if (!$('domain').value) $('domain').value = it.domain;
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
    resetPolicy(); // another key may be another tenant
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

  // ---- What the assistant may read: the tenant's read policy ----

  // At most this many pages of 100 spaces are listed (a policy allows at most 250 spaces).
  var MAX_SPACE_PAGES = 100;

  var policy = {
    stored: null,      // {allowedSpaces, excludedLabels} as the service last reported it
    spaces: null,      // [{key, name}] the service listed, or null until listed
    generation: 0,     // bumped when a listing in flight is no longer wanted
    loading: null,     // the listing in flight
    dirty: false       // the form holds edits not saved yet
  };

  // parseList splits a comma or space separated field into entries; a
  // double-quoted run is one entry, spaces included, so the service can say
  // why it is refused rather than the page silently splitting it.
  function parseList(text) {
    if ((text.match(/"/g) || []).length % 2) return { error: 'a double quote (") is not closed' };
    var items = [];
    var re = /"([^"]*)"|[^\s,"]+/g;
    var m;
    while ((m = re.exec(text)) !== null) items.push(m[1] != null ? m[1] : m[0]);
    return { items: items };
  }

  // formatList is parseList's inverse: entries that parseList would split are quoted.
  function formatList(items) {
    return items.map(function (s) { return s === '' || /[\s,]/.test(s) ? '"' + s + '"' : s; }).join(', ');
  }

  function unique(items) {
    var seen = {};
    return items.filter(function (s) { if (seen[s]) return false; seen[s] = true; return true; });
  }

  // describePolicy says in words what p lets the assistant read.
  function describePolicy(p) {
    var spaces = p.allowedSpaces.length ? 'only the spaces ' + p.allowedSpaces.join(', ') : 'every space the account can see';
    var labels = p.excludedLabels.length ? ', except content labelled ' + p.excludedLabels.join(', ') : '';
    return spaces + labels;
  }

  function checkedKeys() {
    return Array.prototype.map.call(document.querySelectorAll('#space-list input:checked'), function (b) { return b.dataset.key; });
  }

  // formSpaces is the allow-list the form would save, or {error}.
  function formSpaces() {
    var extra = parseList($('extra-spaces').value);
    if (extra.error) return extra;
    return { items: unique(checkedKeys().concat(extra.items)) };
  }

  // updateRule states plainly which spaces the form allows.
  function updateRule() {
    var f = formSpaces();
    var keys = f.items || checkedKeys();
    $('spaces-rule').textContent = keys.length ?
      'Only the ' + (keys.length === 1 ? 'space' : keys.length + ' spaces') + ' ' + keys.join(', ') + ' may be read.' :
      'No space is checked: the assistant may read every space the account can see.';
  }

  function applyFilter() {
    var q = $('space-filter').value.trim().toLowerCase();
    Array.prototype.forEach.call($('space-list').children, function (li) {
      li.hidden = q !== '' && li.textContent.toLowerCase().indexOf(q) < 0;
    });
  }

  // renderSpaceList shows the listed spaces and any checked key the list
  // lacks (a stored key the account no longer sees), sorted by key.
  function renderSpaceList(checked) {
    var list = $('space-list');
    var rows = (policy.spaces || []).slice();
    var listed = {};
    rows.forEach(function (s) { listed[s.key] = true; });
    checked.forEach(function (k) { if (!listed[k]) { listed[k] = true; rows.push({ key: k, name: null }); } });
    rows.sort(function (a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : 0; });
    clear(list);
    rows.forEach(function (s) {
      var li = el('li');
      li.dataset.key = s.key;
      var label = el('label');
      var box = document.createElement('input');
      box.type = 'checkbox';
      box.value = s.key;
      box.dataset.key = s.key;
      box.checked = checked.indexOf(s.key) >= 0;
      label.appendChild(box);
      label.appendChild(el('span', s.key, 'key'));
      if (s.name != null) label.appendChild(el('span', s.name, 'name'));
      else if (policy.spaces) label.appendChild(el('span', '(not listed)', 'name missing'));
      li.appendChild(label);
      list.appendChild(li);
    });
    applyFilter();
    updateRule();
  }

  function setInvalid(id, invalid) {
    var e = $(id);
    e.classList.toggle('invalid', invalid);
    if (e.tagName === 'INPUT') {
      if (invalid) e.setAttribute('aria-invalid', 'true');
      else e.removeAttribute('aria-invalid');
    }
  }

  // markInvalid highlights the fields errors name (field ["input", name]).
  function markInvalid(errors) {
    errors.forEach(function (ue) {
      var name = ue.field && ue.field[ue.field.length - 1];
      if (name === 'allowedSpaces') { setInvalid('policy-spaces', true); setInvalid('extra-spaces', true); }
      if (name === 'excludedLabels') setInvalid('excluded-labels', true);
    });
  }

  function clearPolicyProblems() {
    ['policy-spaces', 'extra-spaces', 'excluded-labels'].forEach(function (id) { setInvalid(id, false); });
    renderUserErrors([], $('policy-errors'));
    showPolicyMessage('', false);
  }

  function showPolicyMessage(text, isError) {
    var m = $('policy-message');
    m.textContent = text || '';
    m.className = isError ? 'error' : (text ? 'ok' : '');
  }

  // fillPolicyForm puts p in the form, dropping unsaved edits.
  function fillPolicyForm(p) {
    $('excluded-labels').value = formatList(p.excludedLabels);
    $('extra-spaces').value = '';
    renderSpaceList(p.allowedSpaces);
    policy.dirty = false;
  }

  // renderPolicy records the stored policy p and shows it; the form takes
  // it too when reset is set or it holds no unsaved edits.
  function renderPolicy(p, reset) {
    p = p || { allowedSpaces: [], excludedLabels: [] };
    policy.stored = p;
    $('policy-summary').textContent = '(' + (p.allowedSpaces.length ? p.allowedSpaces.join(', ') : 'every space') + '; ' +
      (p.excludedLabels.length ? 'hiding ' + p.excludedLabels.join(', ') : 'no label hidden') + ')';
    if (reset || !policy.dirty) fillPolicyForm(p);
  }

  // reloadSpaces forgets the listed spaces, and lists them again if the part is open.
  function reloadSpaces() {
    policy.generation++;
    policy.spaces = null;
    policy.loading = null;
    $('policy').dataset.spaces = ''; // listing, listed or failed once asked
    if ($('policy').open) loadSpaces();
  }

  function resetPolicy() {
    policy.stored = null;
    policy.dirty = false;
    clearPolicyProblems();
    clear($('space-list'));
    reloadSpaces();
  }

  // loadSpaces lists every space the service shows (all pages of spaces),
  // once; availableSpaces lists every space the account can see, whatever the stored policy.
  function loadSpaces() {
    if (policy.spaces || policy.loading) return policy.loading || Promise.resolve();
    var gen = policy.generation;
    var all = [];
    $('spaces-status').textContent = 'Listing the spaces…';
    $('policy').dataset.spaces = 'listing';
    function next(after, n) {
      return gql(Q_SPACES, { after: after }).then(function (data) {
        var c = data.availableSpaces || { nodes: [], pageInfo: { hasNextPage: false } };
        all = all.concat(c.nodes);
        var more = c.pageInfo.hasNextPage && c.pageInfo.endCursor && c.pageInfo.endCursor !== after;
        if (more && n < MAX_SPACE_PAGES) return next(c.pageInfo.endCursor, n + 1);
        return more;
      });
    }
    policy.loading = next(null, 1).then(function (cut) {
      if (gen !== policy.generation) return;
      policy.spaces = all;
      $('policy').dataset.spaces = 'listed';
      $('spaces-status').textContent = cut ? 'Only the first ' + all.length + ' spaces are listed; type other keys below.' :
        all.length ? '' : 'The service lists no space for this account.';
      renderSpaceList(policy.dirty ? checkedKeys() : (policy.stored ? policy.stored.allowedSpaces : []));
    }, function (err) {
      if (gen !== policy.generation) return;
      $('policy').dataset.spaces = 'failed';
      $('spaces-status').textContent = 'The spaces could not be listed: ' + (err instanceof RequestError ? err.message : err) +
        ' Type space keys below instead.';
    }).then(function () {
      if (gen === policy.generation) policy.loading = null;
    });
    return policy.loading;
  }

  $('policy').addEventListener('toggle', function () {
    if ($('policy').open) loadSpaces();
  });

  $('space-filter').addEventListener('input', applyFilter);
  $('space-filter').addEventListener('keydown', function (e) {
    if (e.key === 'Enter') e.preventDefault(); // filtering is not saving
  });

  $('policy-form').addEventListener('input', function (e) {
    if (e.target.id === 'space-filter') return;
    policy.dirty = true;
    if (e.target.id === 'excluded-labels') setInvalid('excluded-labels', false);
    else { setInvalid('policy-spaces', false); setInvalid('extra-spaces', false); }
    updateRule();
  });

  $('policy-form').addEventListener('submit', function (e) {
    e.preventDefault();
    clearPolicyProblems();
    var spaces = formSpaces();
    var labels = parseList($('excluded-labels').value);
    if (spaces.error || labels.error) {
      if (spaces.error) setInvalid('extra-spaces', true);
      if (labels.error) setInvalid('excluded-labels', true);
      showPolicyMessage('Not saved: ' + (spaces.error || labels.error) + '. The stored policy is unchanged.', true);
      return;
    }
    var input = { allowedSpaces: spaces.items, excludedLabels: labels.items };
    $('policy-save').disabled = true;
    showPolicyMessage('Saving…', false);
    gql(M_POLICY, { input: input }).then(function (data) {
      var p = data.setConfluenceReadPolicy;
      renderUserErrors(p.userErrors, $('policy-errors'));
      markInvalid(p.userErrors);
      if (p.userErrors.length) {
        showPolicyMessage('Not saved: fix the problems below. The stored policy is unchanged.', true);
        return;
      }
      if (p.integration) renderPolicy(p.integration.readPolicy, true);
      showPolicyMessage('Saved: the assistant reads ' + describePolicy(policy.stored) + '.', false);
    }).catch(function (err) {
      showPolicyMessage(err instanceof RequestError ? err.message : 'Unexpected error: ' + err, true);
    }).then(function () { $('policy-save').disabled = false; });
  });

  $('admin-key').value = memoryKey;
  $('admin-key-form').addEventListener('submit', function (e) {
    e.preventDefault();
    setAdminKey($('admin-key').value.trim());
    load();
  });

  // showDeployment shows the fields of the chosen deployment: the domain for Cloud, the base URL
  // for Data Center (whose email is optional).
  function showDeployment() {
    var dc = $('deployment').value === 'DATA_CENTER';
    document.querySelectorAll('.cloud-only').forEach(function (n) { n.hidden = dc; });
    document.querySelectorAll('.dc-only').forEach(function (n) { n.hidden = !dc; });
    $('email').placeholder = dc ? 'optional for Data Center' : 'you@example.com';
    $('api-token').placeholder = dc ? 'paste the personal access token' : 'paste the API token';
  }
  $('deployment').addEventListener('change', showDeployment);
  showDeployment();

  $('connect-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var input = { deployment: $('deployment').value, email: $('email').value.trim(), apiToken: $('api-token').value.trim() };
    if (input.deployment === 'DATA_CENTER') input.baseUrl = $('base-url').value.trim();
    else input.domain = $('domain').value.trim();
    run(function () {
      return gql(M_CONNECT, { input: input }).then(function (data) {
        var p = data.connectConfluence;
        if (p.integration) {
          $('api-token').value = '';
          reloadSpaces(); // a new account may see other spaces
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
