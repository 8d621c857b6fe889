/* The schedule's one behaviour, as a data attribute (the Content-Security-Policy refuses
 * inline scripts): <select data-navigate> opens the address of the option chosen. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-navigate]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.value) {
        window.location.href = select.value;
      }
    });
  });
})();
