// What the configuration screens' scripts share: numbers read from a form as the API takes them.
'use strict';

window.AdminConfig = (() => {
  /**
   * A whole number from a text field: null when empty (no limit, or the parameter's value), the
   * number when it is one, else the text as typed, so that the API refuses it and says why.
   */
  function intOrNull(input) {
    const text = input.value.trim();
    if (text === '') return null;
    return /^-?\d+$/.test(text) ? Number(text) : text;
  }

  /** A whole number from a text field that has no empty meaning: an empty field is sent as typed. */
  function int(input) {
    const text = input.value.trim();
    return /^-?\d+$/.test(text) ? Number(text) : text;
  }

  /** A limit as people read it: the number, or "no limit". */
  const limit = (n) => (n === null || n === undefined ? window.Admin.t('config.noLimit') : window.Admin.number(n));

  /** Says what the page itself refuses before asking the API (a field left empty). */
  function say(message) {
    document.getElementById('admin-answer').hidden = true;
    const problem = document.getElementById('admin-problem');
    problem.textContent = message;
    problem.hidden = false;
  }

  return { intOrNull, int, limit, say };
})();
