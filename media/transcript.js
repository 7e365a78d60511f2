// Renders the run view from the messages the extension posts: the run's header (status, cost, each
// subtask's model and review), then the transcript entries as pages arrive — the plan, each call with
// its prompt in short, attempts and answer, each gate with the end of its log, the summary — and the
// text workers are streaming now. A long answer is collapsed and built only when expanded; the next
// page is asked for when the end of the list scrolls into view. DOM calls only (no innerHTML), so no
// model text is ever parsed as markup. Every toggle is a button, reachable by keyboard.
(function () {
  const vscode = acquireVsCodeApi();
  const header = document.getElementById('run');
  const list = document.getElementById('entries');
  const live = document.getElementById('live');
  const notice = document.getElementById('notice');
  const sentinel = document.getElementById('sentinel');
  /** An answer longer than this is collapsed, with its first lines shown. */
  const COLLAPSE_CHARS = 1500;
  const PREVIEW_CHARS = 400;
  /** The streamed text kept on screen per subtask: its end. */
  const STREAM_TAIL_CHARS = 4000;
  let run;
  let more = false;
  let asked = false;
  let entries = 0;
  let calls = 0;
  let revealed = '';
  let pendingReveal;
  const streams = new Map();

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) if (value !== undefined) node.setAttribute(key, value);
    for (const child of children) if (child !== undefined && child !== null) node.append(child);
    return node;
  }

  const usd = (value) => (value === null ? 'unpriced' : value < 0.01 ? '$' + value.toFixed(4) : '$' + value.toFixed(2));
  const seconds = (ms) => (ms / 1000).toFixed(1) + ' s';
  /** Unpriced calls are counted, never shown as $0. */
  const cost = (value, unpriced, requests) => (requests > 0 && unpriced === requests ? 'unpriced' : unpriced > 0 ? usd(value) + ' + ' + unpriced + ' unpriced' : usd(value));
  const count = (value) => value.toLocaleString('en-US');

  function report() {
    const streaming = {};
    for (const [subtask, stream] of streams) streaming[subtask] = stream.text.length;
    vscode.postMessage({ type: 'rendered', state: { status: run ? run.status : '', entries, calls, streaming, notice: notice.hidden ? '' : notice.textContent, more, revealed } });
  }

  function renderHeader() {
    header.replaceChildren();
    const spend = run.spend;
    header.append(
      el('h1', {}, run.task.split('\n')[0]),
      el('p', { class: 'meta' }, el('span', { class: 'status status-' + run.status }, run.status.replace('_', ' ')), ' · ' + cost(spend.usd, spend.unpricedAttempts, spend.requests) + ' · ' + count(spend.tokens.input + spend.tokens.output) + ' tokens · ' + spend.requests + (spend.requests === 1 ? ' request' : ' requests') + ' · run ' + run.runId),
    );
    if (run.error) header.append(el('p', { class: 'error' }, run.error));
    if (run.subtasks.length > 0) {
      const rows = run.subtasks.map((subtask) =>
        el(
          'tr',
          {},
          el('td', {}, el('a', { href: '#subtask-' + subtask.index, 'data-subtask': String(subtask.index) }, String(subtask.index))),
          el('td', {}, subtask.text.split('\n')[0]),
          el('td', { class: 'status-' + subtask.status }, subtask.status),
          el('td', {}, subtask.model || ''),
          el('td', {}, subtask.review ? (subtask.review.score === undefined ? '—' : subtask.review.score.toFixed(1)) + (subtask.revisions ? ' (' + subtask.revisions + ' rev.)' : '') : ''),
        ),
      );
      header.append(el('table', { class: 'subtasks' }, el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'Subtask'), el('th', {}, 'Status'), el('th', {}, 'Model'), el('th', {}, 'Review'))), el('tbody', {}, ...rows)));
    }
  }

  /** A long text: its start, and a button that builds the rest only when pressed. */
  function longText(text, className) {
    const pre = el('pre', { class: className });
    if (text.length <= COLLAPSE_CHARS) {
      pre.textContent = text;
      return pre;
    }
    pre.textContent = text.slice(0, PREVIEW_CHARS) + '…';
    const button = el('button', { class: 'link', 'aria-expanded': 'false' }, 'Show all ' + count(text.length) + ' characters');
    button.addEventListener('click', () => {
      const open = button.getAttribute('aria-expanded') === 'true';
      pre.textContent = open ? text.slice(0, PREVIEW_CHARS) + '…' : text;
      button.setAttribute('aria-expanded', String(!open));
      button.textContent = open ? 'Show all ' + count(text.length) + ' characters' : 'Show less';
    });
    return el('div', {}, pre, button);
  }

  /** A section whose body the heading's button shows and hides. */
  function section(id, headingText, detail, className, body, expanded) {
    const bodyId = id + '-body';
    const button = el('button', { class: 'toggle', 'aria-expanded': String(expanded), 'aria-controls': bodyId }, headingText);
    const content = el('div', { id: bodyId, class: 'body' }, ...body);
    content.hidden = !expanded;
    button.addEventListener('click', () => {
      const open = button.getAttribute('aria-expanded') === 'true';
      button.setAttribute('aria-expanded', String(!open));
      content.hidden = open;
    });
    return el('section', { id, class: 'entry ' + className, tabindex: '-1' }, el('h2', {}, button, detail ? el('span', { class: 'detail' }, detail) : undefined), content);
  }

  const why = (attempt) => (attempt.errorClass ? attempt.errorClass + (attempt.message ? ': ' + attempt.message : '') : '');

  /** The call's attempts; the "Why" column only when one of them failed. */
  function attemptsTable(attempts) {
    const reasons = attempts.some((attempt) => why(attempt) !== '');
    const heads = ['Model', 'Outcome', ...(reasons ? ['Why'] : []), 'In', 'Out', 'USD', 'Time'];
    const rows = attempts.map((attempt) => el('tr', { class: 'outcome-' + attempt.outcome }, el('td', {}, attempt.reference), el('td', {}, attempt.outcome), reasons ? el('td', {}, why(attempt)) : undefined, el('td', { class: 'number' }, count(attempt.tokens.input)), el('td', { class: 'number' }, count(attempt.tokens.output)), el('td', { class: 'number' }, usd(attempt.usd)), el('td', { class: 'number' }, seconds(attempt.durationMs))));
    return el('table', { class: 'attempts' }, el('thead', {}, el('tr', {}, ...heads.map((head) => el('th', {}, head)))), el('tbody', {}, ...rows));
  }

  function renderCall(entry) {
    const who = entry.role + (entry.subtask === undefined ? '' : ' · subtask ' + entry.subtask) + ' · ' + entry.purpose;
    const sent = entry.attempts.filter((attempt) => attempt.outcome !== 'skipped');
    const spent = cost(sent.reduce((sum, attempt) => sum + (attempt.usd || 0), 0), sent.filter((attempt) => attempt.usd === null).length, sent.length);
    const score = entry.review ? 'score ' + (entry.review.score === undefined ? '—' : entry.review.score.toFixed(1)) : '';
    const detail = [score, entry.model || 'no answer', seconds(entry.durationMs), spent, entry.attempts.length > 1 ? entry.attempts.length + ' attempts' : ''].filter(Boolean).join(' · ');
    const body = [];
    if (entry.prompt.messages > 0) body.push(el('p', { class: 'prompt' }, el('span', { class: 'muted' }, 'Asked (' + entry.prompt.messages + ' messages, ' + count(entry.prompt.chars) + ' chars): '), entry.prompt.text));
    if (entry.review) body.push(el('p', { class: 'review' }, el('strong', {}, 'Score ' + (entry.review.score === undefined ? '—' : entry.review.score.toFixed(1)) + ': '), entry.review.reason));
    if (entry.attempts.length > 0) body.push(attemptsTable(entry.attempts));
    if (entry.error) body.push(el('p', { class: 'error' }, entry.error));
    if (entry.text !== undefined) body.push(longText(entry.text, 'answer'));
    const id = 'call-' + entry.seq + (entry.seq === 0 ? '-' + entries : '');
    const node = section(id, who, detail, 'call role-' + entry.role, body, true);
    if (entry.subtask !== undefined) node.dataset.subtask = String(entry.subtask);
    return node;
  }

  function renderEntry(entry) {
    entries++;
    switch (entry.kind) {
      case 'plan': {
        const items = entry.subtasks.map((subtask) =>
          el('li', { id: 'subtask-' + subtask.index, tabindex: '-1' }, subtask.text, el('div', { class: 'muted' }, [subtask.files.length ? 'files: ' + subtask.files.join(', ') : '', subtask.dependsOn.length ? 'depends on ' + subtask.dependsOn.join(', ') : '', subtask.specialist ? 'specialist: ' + subtask.specialist : ''].filter(Boolean).join(' · '))),
        );
        return section('plan-' + entries, 'Plan', entry.subtasks.length + (entry.subtasks.length === 1 ? ' subtask' : ' subtasks'), 'plan', [el('ol', {}, ...items)], true);
      }
      case 'call':
        calls++;
        if (entry.subtask !== undefined && (entry.purpose === 'work' || entry.purpose === 'continue' || entry.purpose === 'revise' || entry.purpose === 'fix')) dropStream(entry.subtask);
        return renderCall(entry);
      case 'build': {
        const name = (entry.gate || 'build') + (entry.iteration > 0 ? ' · round ' + entry.iteration : ' · setup');
        const body = [el('pre', { class: 'command' }, '$ ' + entry.command)];
        if (entry.output && !entry.passed) body.push(longText(entry.output, 'log'));
        return section('build-' + entries, 'Gate ' + name, entry.status + (entry.errors ? ' · ' + entry.errors + ' errors' : '') + ' · ' + seconds(entry.durationMs), 'build ' + (entry.passed ? 'passed' : 'failed'), body, !entry.passed);
      }
      case 'summary':
        return section('summary-' + entries, 'Summary', '', 'summary', [longText(entry.text, 'answer')], true);
      default:
        entries--;
        return undefined;
    }
  }

  function dropStream(subtask) {
    const stream = streams.get(subtask);
    if (!stream) return;
    stream.node.remove();
    streams.delete(subtask);
  }

  function stream(deltas, restarts, ended) {
    for (const subtask of ended === 'all' ? [...streams.keys()] : ended || []) dropStream(subtask);
    const changed = new Set();
    for (const subtask of restarts) {
      const known = streams.get(subtask);
      if (known) {
        known.text = '';
        known.cut = false;
        changed.add(known);
      }
    }
    for (const { subtask, text, cut } of deltas) {
      let known = streams.get(subtask);
      if (!known) {
        const pre = el('pre', { class: 'answer streaming', 'aria-live': 'off' });
        const node = el('section', { class: 'entry live', id: 'live-' + subtask }, el('h2', {}, el('span', { class: 'toggle' }, 'polecat · subtask ' + subtask + ' · answering'), el('span', { class: 'detail' }, 'streaming')), pre);
        live.append(node);
        known = { text: '', cut: false, node, pre };
        streams.set(subtask, known);
      }
      // A cut delta is the stream's end, the rest dropped on the way: it replaces what was here.
      if (cut) known.text = text;
      else known.text += text;
      known.cut = known.cut || cut === true;
      if (known.text.length > STREAM_TAIL_CHARS * 2) known.text = known.text.slice(-STREAM_TAIL_CHARS);
      changed.add(known);
    }
    // One write per changed stream per message: the tail.
    for (const known of changed) known.pre.textContent = known.cut || known.text.length > STREAM_TAIL_CHARS ? '…' + known.text.slice(-STREAM_TAIL_CHARS) : known.text;
  }

  function page(message) {
    run = message.page.run;
    renderHeader();
    const fragment = document.createDocumentFragment();
    for (const entry of message.page.entries) {
      const node = renderEntry(entry);
      if (node) fragment.append(node);
    }
    list.append(fragment);
    more = message.page.more;
    asked = false;
    sentinel.textContent = more ? 'Loading more…' : entries === 0 ? (run.status === 'running' ? 'Waiting for the first answer…' : 'Nothing was kept for this run.') : '';
    if (pendingReveal !== undefined) reveal(pendingReveal);
    // The list still ends on screen: the next page now.
    else if (more) askIfVisible();
  }

  function askIfVisible() {
    if (!more || asked) return;
    if (sentinel.getBoundingClientRect().top < window.innerHeight + 400) {
      asked = true;
      vscode.postMessage({ type: 'more' });
    }
  }

  /** Scrolls to the subtask's first answer (or its line in the plan); asks for pages until it is there. */
  function reveal(subtask) {
    pendingReveal = undefined;
    if (subtask === undefined) {
      window.scrollTo(0, 0);
      revealed = 'run';
      return;
    }
    const target = list.querySelector('section.call[data-subtask="' + subtask + '"]') || document.getElementById('subtask-' + subtask) || document.getElementById('live-' + subtask);
    const answered = list.querySelector('section.call[data-subtask="' + subtask + '"]');
    if (!answered && more) {
      pendingReveal = subtask;
      if (!asked) {
        asked = true;
        vscode.postMessage({ type: 'more' });
      }
    }
    if (target) {
      target.scrollIntoView({ block: 'start' });
      const focusable = target.querySelector('button') || target;
      focusable.focus({ preventScroll: true });
      revealed = target.id;
    }
  }

  header.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[data-subtask]');
    if (!link) return;
    event.preventDefault();
    reveal(Number(link.dataset.subtask));
    report();
  });

  window.addEventListener('scroll', askIfVisible, { passive: true });
  function handle(message) {
    if (message.type === 'page') page(message);
    else if (message.type === 'stream') stream(message.deltas, message.restarts, message.ended);
    else if (message.type === 'reveal') reveal(message.subtask);
    else if (message.type === 'notice') {
      notice.textContent = message.text;
      notice.hidden = message.text === '';
    }
    report();
  }

  // Benchmarks only (the extension sets data-measure): each message's time here — its handler plus the
  // style and layout it caused, forced at its end — per message type, sent back when asked; and one
  // message once the first page is on screen (the frame after it was rendered). Otherwise none of it.
  const measuring = document.body.hasAttribute('data-measure');
  const samples = {};
  let painted = false;
  function measured(message) {
    if (message.type === 'timings') return vscode.postMessage({ type: 'timings', samples });
    if (message.type === 'ping') return vscode.postMessage({ type: 'pong' });
    const started = performance.now();
    try {
      handle(message);
      document.body.getBoundingClientRect();
    } finally {
      (samples[message.type] = samples[message.type] || []).push(performance.now() - started);
      if (message.type === 'page' && !painted) {
        painted = true;
        requestAnimationFrame(() => setTimeout(() => vscode.postMessage({ type: 'painted' }), 0));
      }
    }
  }

  window.addEventListener('message', (event) => (measuring ? measured(event.data) : handle(event.data)));
  vscode.postMessage({ type: 'ready' });
})();
