// The customer's callback page: choose when, give the number, and get the answer in words.
'use strict';

(() => {
  const { lang, text, call, explain, when, proofOfWork, weekView, instantOf, show } = window.Callback;
  const form = document.getElementById('callback-form');
  if (!form) return;
  const problem = document.getElementById('problem');
  const submit = document.getElementById('submit');
  const { queue, schedule, opens } = form.dataset;

  // The proof of work runs while the customer fills the form in; each request spends one.
  let work = proofOfWork();
  const freshWork = () => {
    work = proofOfWork();
  };

  const week =
    schedule &&
    weekView({
      container: document.getElementById('week'),
      previous: document.getElementById('previous-week'),
      next: document.getElementById('next-week'),
      scheduleId: schedule,
    });
  const whenChosen = () => form.querySelector('input[name="when"]:checked')?.value ?? 'now';
  const showWhen = () => {
    const chosen = whenChosen();
    document.getElementById('later').hidden = chosen !== 'later';
    const slots = document.getElementById('slots');
    if (slots) slots.hidden = chosen !== 'appointment';
  };
  for (const radio of form.querySelectorAll('input[name="when"]')) radio.addEventListener('change', showWhen);
  showWhen();
  if (week) week.start().catch(async (err) => show(problem, await explain(err)));

  async function done(answer) {
    form.hidden = true;
    const doneText = document.getElementById('done-text');
    if (answer.duplicate) {
      doneText.textContent = await text('done.duplicate');
    } else if (answer.booking) {
      doneText.textContent = await text('done.booked', { time: when(answer.booking.slotStart) });
    } else if (answer.requestedAt) {
      doneText.textContent = await text('done.at', { time: when(answer.requestedAt) });
    } else if (answer.expectedWaitSeconds !== null && answer.expectedWaitSeconds !== undefined) {
      doneText.textContent = await text('done.asapWait', { minutes: Math.max(1, Math.round(answer.expectedWaitSeconds / 60)) });
    } else {
      doneText.textContent = await text('done.asap');
    }
    if (answer.selfServiceUrl) {
      const link = document.getElementById('self-service-link');
      const url = new URL(answer.selfServiceUrl);
      url.searchParams.set('lang', lang);
      link.href = url.href;
      link.textContent = await text('done.link');
      document.getElementById('done-link').hidden = false;
    }
    document.getElementById('done').hidden = false;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    show(problem, '');
    const chosen = whenChosen();
    const fields = {
      phone: form.elements.phone.value.trim(),
      country: form.elements.country.value,
      name: form.elements.name.value.trim() || undefined,
      message: form.elements.message.value.trim() || undefined,
      // For the agent's desk: the customer's times in the customer's zone.
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || undefined,
      language: lang,
      consent: form.elements.consent.checked,
    };
    if (!fields.phone) return show(problem, await text('error.invalid-phone'));
    if (!fields.consent) return show(problem, await text('error.consent'));
    let path = '/callbacks';
    let body = { queue, ...fields };
    if (chosen === 'later') {
      const requestedAt = instantOf(form.elements.requestedAt.value);
      if (!requestedAt || Date.parse(requestedAt) <= Date.now()) return show(problem, await text('error.invalid-time'));
      body.requestedAt = requestedAt;
    } else if (chosen === 'appointment') {
      const slotStart = week.selected();
      if (!slotStart) return show(problem, await text('error.choose-slot'));
      path = `/schedules/${encodeURIComponent(schedule)}/bookings`;
      body = { slotStart, ...fields };
    }

    submit.disabled = true;
    const label = submit.textContent;
    submit.textContent = await text('form.working');
    let spent = false;
    try {
      const { challenge, nonce } = await work;
      spent = true;
      freshWork();
      await done(await call(path, { method: 'POST', body: { ...body, challenge, nonce } }));
    } catch (err) {
      if (err instanceof window.Callback.Problem && err.body.type === 'slot-full') {
        // Offer the next free time at once.
        const free = await week.reload(body.slotStart);
        const next = week.selected();
        show(problem, next && free.length ? await text('error.slot-full', { time: when(next) }) : await text('error.slot-full-none'));
      } else {
        show(problem, await explain(err, { opens }));
      }
      if (!spent) freshWork();
    } finally {
      submit.disabled = false;
      submit.textContent = label;
    }
  });
})();
