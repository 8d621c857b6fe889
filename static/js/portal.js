/* The portal's few behaviours, as data attributes rather than inline handlers, so the
 * Content-Security-Policy can refuse every inline script:
 *   <select data-autosubmit>      submits its form when changed (language switch);
 *   <button data-print>           prints the page;
 *   <form data-confirm="Text">    asks before submitting. */
(function () {
  "use strict";
  document.querySelectorAll("[data-autosubmit]").forEach(function (field) {
    field.addEventListener("change", function () {
      if (field.form) {
        field.form.submit();
      }
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
})();
