// The sandbox dashboard's controls and refresh. Plain JavaScript, no build step.
// Controls send JSON to the admin endpoints, as any client must (they refuse other bodies).
'use strict';
(function () {
  const statusLine = document.getElementById('control-status');
  const autoRefresh = document.getElementById('auto-refresh');
  let refreshing = false;

  function say(text, failed) {
    statusLine.textContent = text;
    statusLine.className = failed ? 'error' : 'ok';
  }

  // The form's fields as a JSON object: numbers for data-type="number", booleans for
  // checkboxes, empty fields left out.
  function fields(form) {
    const body = {};
    for (const el of form.elements) {
      if (!el.name || el.disabled) continue;
      if (el.type === 'checkbox') {
        body[el.name] = el.checked;
      } else if (el.value !== '') {
        body[el.name] = el.dataset.type === 'number' ? Number(el.value) : el.value;
      }
    }
    return body;
  }

  async function admin(method, path, body) {
    const response = await fetch(path, {
      method: method,
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const text = await response.text();
    let envelope = null;
    try { envelope = JSON.parse(text); } catch (e) { /* not JSON */ }
    const ok = response.ok && envelope !== null && envelope.code === 0;
    const message = envelope !== null
      ? (envelope.message || JSON.stringify(envelope.response))
      : text.slice(0, 200);
    return { ok: ok, status: response.status, message: message };
  }

  // Replaces every [data-live] element by its fresh copy, keeping keyboard focus where it was.
  async function refresh() {
    if (refreshing) return;
    refreshing = true;
    try {
      const response = await fetch(location.href, { headers: { 'Accept': 'text/html' }, cache: 'no-store' });
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
      // What has the keyboard focus: by id, else by link target within its section.
      const focused = document.activeElement;
      const focusId = focused && focused.id;
      const focusHref = focused && focused.getAttribute && focused.getAttribute('href');
      const section = focused && focused.closest && focused.closest('section[id]');
      const sectionId = section && section.id;
      for (const old of document.querySelectorAll('[data-live]')) {
        const replacement = fresh.getElementById(old.id);
        if (replacement && old.innerHTML !== replacement.innerHTML) old.innerHTML = replacement.innerHTML;
      }
      if (focused && focused !== document.body && !document.body.contains(focused)) {
        let again = focusId ? document.getElementById(focusId) : null;
        if (!again && focusHref) {
          const scope = (sectionId && document.getElementById(sectionId)) || document;
          again = Array.from(scope.querySelectorAll('a[href]'))
            .find(a => a.getAttribute('href') === focusHref);
        }
        if (again) again.focus();
      }
      document.body.dataset.refreshed = String(Date.now());
    } catch (e) {
      // The sandbox stopped or restarted: keep the page as it is.
    } finally {
      refreshing = false;
    }
  }

  for (const form of document.querySelectorAll('form[data-admin-path]')) {
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
      const body = fields(form);
      const submitter = event.submitter;
      if (submitter && submitter.dataset.seconds) body.seconds = Number(submitter.dataset.seconds);
      const buttons = form.querySelectorAll('button');
      buttons.forEach(b => { b.disabled = true; });
      try {
        const result = await admin(form.dataset.adminMethod, form.dataset.adminPath, body);
        const legend = form.querySelector('legend');
        const what = legend ? legend.textContent : form.id;
        say(result.ok ? what + ': done. ' + (result.message || '')
                      : what + ': HTTP ' + result.status + ': ' + result.message, !result.ok);
      } catch (e) {
        say('The sandbox did not answer: ' + e, true);
      } finally {
        buttons.forEach(b => { b.disabled = false; });
      }
      await refresh();
    });
  }

  window.setInterval(function () {
    if (!document.hidden && autoRefresh && autoRefresh.checked) refresh();
  }, 2000);
})();
