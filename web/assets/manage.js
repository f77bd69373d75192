// The customer's self-service page: their callback from the personal link, moved or cancelled.
'use strict';

(() => {
  const { text, call, explain, when, weekView, instantOf, show } = window.Callback;
  const problem = document.getElementById('problem');
  const notice = document.getElementById('notice');
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const headers = { 'callback-token': token ?? '' };
  let week = null;
  let current = null;

  async function statusText(record) {
    if (record.status === 'Closed' || record.status === 'Closing') {
      return text(record.closeReason === 'cancelled' ? 'manage.cancelled' : 'manage.closed');
    }
    return text(record.status === 'Active' ? 'manage.active' : 'manage.waiting');
  }

  async function render(record) {
    current = record;
    document.getElementById('loading').hidden = true;
    document.getElementById('status').textContent = await statusText(record);
    const at = record.booking?.slotStart ?? record.requestedAt;
    document.getElementById('when').textContent = at ? when(at) : await text('manage.asap');
    document.getElementById('details').hidden = false;
    const open = record.status === 'Open' || record.status === 'Paused';
    document.getElementById('actions').hidden = !open;
    if (!open) return;
    if (record.booking) {
      document.getElementById('slots').hidden = false;
      week ??= weekView({
        container: document.getElementById('week'),
        previous: document.getElementById('previous-week'),
        next: document.getElementById('next-week'),
        scheduleId: record.booking.scheduleId,
        exclude: record.booking.slotStart,
      });
      await week.start();
    } else {
      document.getElementById('move-time').hidden = false;
    }
  }

  async function act(work) {
    show(problem, '');
    show(notice, '');
    try {
      await work();
    } catch (err) {
      show(problem, await explain(err));
    }
  }

  document.getElementById('move-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void act(async () => {
      let body;
      if (current.booking) {
        const slotStart = week.selected();
        if (!slotStart) return show(problem, await text('error.choose-slot'));
        body = { slotStart };
      } else {
        const requestedAt = instantOf(document.getElementById('move-at').value);
        if (!requestedAt || Date.parse(requestedAt) <= Date.now()) return show(problem, await text('error.invalid-time'));
        body = { requestedAt };
      }
      const moved = await call('/self-service/callback/move', { method: 'POST', body, headers });
      await render(moved);
      show(notice, await text('manage.moved', { time: when(moved.booking?.slotStart ?? moved.requestedAt) }));
    });
  });

  document.getElementById('cancel').addEventListener('click', () =>
    act(async () => {
      await render(await call('/self-service/callback/cancel', { method: 'POST', headers }));
      show(notice, await text('manage.cancelledNow'));
    }),
  );

  void act(async () => {
    if (!token) {
      document.getElementById('loading').hidden = true;
      return show(problem, await text('manage.noToken'));
    }
    try {
      await render(await call('/self-service/callback', { headers }));
    } catch (err) {
      document.getElementById('loading').hidden = true;
      throw err;
    }
  });
})();
