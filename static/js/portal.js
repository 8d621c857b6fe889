/* The portal's few behaviours, as data attributes rather than inline handlers, so the
 * Content-Security-Policy can refuse every inline script:
 *   <select data-autosubmit>      submits its form when changed (language switch);
 *   <button data-print>           prints the page;
 *   <form data-confirm="Text">    asks before submitting;
 *   <div class="table-responsive"> that scrolls (a wide table on a phone) takes the
 *                                 keyboard focus, so arrow keys scroll it too, and is
 *                                 named by the heading before it or its caption. */
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
  function scrollableTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth) {
        if (box.dataset.scrollable) {
          box.removeAttribute("tabindex");
          box.removeAttribute("role");
          box.removeAttribute("aria-label");
          delete box.dataset.scrollable;
        }
        return;
      }
      if (box.dataset.scrollable || box.hasAttribute("tabindex")) {
        return;
      }
      box.dataset.scrollable = "1";
      box.tabIndex = 0;
      var caption = box.querySelector("caption");
      var heading = box.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) {
        heading = heading.previousElementSibling;
      }
      var name = (heading || caption || {}).textContent;
      if (name && name.trim()) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", name.trim().replace(/\s+/g, " "));
      }
    });
  }
  scrollableTables();
  window.addEventListener("resize", scrollableTables);
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
})();
