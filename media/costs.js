// Draws the Costs view from the snapshot the extension posts: a period switch, the total, what the
// providers' prompt caches served and saved (the server's figures), and a bar per role, provider and
// model. Unpriced calls are flagged, never drawn as $0. Built with DOM calls only (no innerHTML), so
// nothing from the ledger is ever parsed as markup.
(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('costs');
  let snapshot;
  let period = (vscode.getState() || {}).period || 'today';

  // The empty states: where every workspace starts, said as a welcome with the next step.
  const EMPTY = {
    'no-config': { text: 'No electrictown.yaml in this workspace yet.', hint: 'What each run spends appears here, by role, provider and model, once it makes model calls.', action: 'Create Config', command: 'electrictown.createConfig' },
    'no-calls': { text: 'No model calls yet.', hint: 'What each run spends appears here, by role, provider and model, as its calls land.', action: 'Run Task', command: 'electrictown.runTask' },
  };

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    for (const child of children) node.append(child);
    return node;
  }

  function usd(row) {
    const priced = row.usd === 0 ? '$0' : row.usd < 0.01 ? '$' + row.usd.toFixed(4) : '$' + row.usd.toFixed(2);
    if (row.unpricedAttempts === 0) return priced;
    return row.usd === 0 ? 'unpriced' : priced + ' + unpriced';
  }

  function calls(count) {
    return count + (count === 1 ? ' call' : ' calls');
  }

    function tokens(row) {
    const count = row.inputTokens + row.outputTokens;
    return count >= 1000 ? (count / 1000).toFixed(1) + 'k tok' : count + ' tok';
  }

  function money(value) {
    return value < 0.01 ? '$' + value.toFixed(4) : '$' + value.toFixed(2);
  }

  /** The share of input read from the prompt cache, and the saving; undefined when no cache was used. */
  function cache(row) {
    if (!row.cachedInputTokens && !row.cacheWriteTokens) return undefined;
    const share = row.cachedShare > 0 && row.cachedShare < 0.01 ? 'under 1%' : Math.round(row.cachedShare * 100) + '%';
    const saved = row.cacheSavedUsd > 0 ? ' · saved ' + money(row.cacheSavedUsd) + ' (' + money(row.usd + row.cacheSavedUsd) + ' without it)' : row.cacheSavedUsd < 0 ? ' · ' + money(-row.cacheSavedUsd) + ' more, for writes not read back yet' : '';
    return share + ' of input from the prompt cache' + saved;
  }

  function chart(title, rows) {
    const section = el('section', { 'aria-label': title }, el('h3', {}, title));
    if (rows.length === 0) return section;
    const most = Math.max(...rows.map((row) => row.usd));
    for (const row of rows) {
      const unpriced = row.unpricedAttempts > 0 && row.usd === 0;
      const width = unpriced || most === 0 ? 100 : Math.max(1, (row.usd / most) * 100);
      const bar = el('div', { class: 'bar' + (unpriced ? ' unpriced' : '') });
      // Through the CSSOM: the CSP allows no inline style attributes.
      bar.style.width = width + '%';
      const label = row.unpricedAttempts > 0 ? row.key + ' — ' + row.unpricedAttempts + ' unpriced call(s)' : row.key;
      section.append(el('div', { class: 'bar-row', title: label + ': ' + calls(row.attempts) + ', ' + tokens(row) + (cache(row) ? '; ' + cache(row) : '') }, el('span', { class: 'name' }, row.key), el('span', {}, bar), el('span', { class: 'value' + (row.unpricedAttempts > 0 ? ' warn' : '') }, usd(row))));
    }
    return section;
  }

  function render() {
    root.replaceChildren();
    if (!snapshot) return;
    if (snapshot.error) {
      root.append(el('p', { class: 'muted' }, snapshot.error));
      return;
    }
    if (snapshot.empty) {
      const empty = EMPTY[snapshot.empty];
      const button = el('button', { class: 'action' }, empty.action);
      button.addEventListener('click', () => vscode.postMessage({ type: 'command', command: empty.command }));
      root.append(el('p', {}, empty.text), el('p', { class: 'muted' }, empty.hint), button);
      return;
    }
    const tabs = el('div', { class: 'tabs', role: 'group', 'aria-label': 'Period' });
    for (const candidate of snapshot.periods) {
      const button = el('button', { 'aria-pressed': String(candidate.key === period) }, candidate.label);
      button.addEventListener('click', () => {
        period = candidate.key;
        vscode.setState({ period });
        render();
      });
      tabs.append(button);
    }
    const current = snapshot.periods.find((candidate) => candidate.key === period) || snapshot.periods[0];
    const total = current.total;
    root.append(tabs, el('div', { class: 'total' + (total.unpricedAttempts > 0 ? ' warn' : '') }, usd(total)));
    root.append(el('div', { class: 'muted' }, calls(total.attempts) + ' · ' + tokens(total) + (total.unpricedAttempts > 0 ? ' · ' + total.unpricedAttempts + ' unpriced (not in the total)' : '')));
    if (cache(total)) root.append(el('div', { class: 'muted cache' }, cache(total)));
    if (total.attempts === 0) root.append(el('p', { class: 'muted' }, 'No model calls in this period.'));
    root.append(chart('By role', current.by.role), chart('By provider', current.by.provider), chart('By model', current.by.model));
    const refresh = el('button', {}, 'Refresh');
    refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
    root.append(el('footer', { class: 'muted' }, 'Ledger: ' + snapshot.ledger + ' · ', refresh));
  }

  window.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'costs') {
      snapshot = event.data.data;
      render();
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
