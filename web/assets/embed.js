// One script tag puts the callback page on a company's site:
//   <script src="https://callbacks.example.com/callback/embed.js" data-queue="support" data-schedule="advice" data-lang="sv"></script>
// It inserts an iframe of /callback right after itself. Which sites may frame it is the API's
// CORS_ORIGINS (the page's Content-Security-Policy frame-ancestors).
'use strict';

(() => {
  const script = document.currentScript;
  if (!script) return;
  const page = new URL('/callback', script.src);
  for (const name of ['queue', 'schedule', 'lang']) {
    const value = script.dataset[name];
    if (value) page.searchParams.set(name, value);
  }
  const frame = document.createElement('iframe');
  frame.src = page.href;
  frame.title = script.dataset.title || (script.dataset.lang === 'sv' ? 'Ring mig' : 'Call me back');
  frame.style.cssText = 'width:100%;max-width:40rem;height:' + (script.dataset.height || '52rem') + ';border:0';
  script.after(frame);
})();
