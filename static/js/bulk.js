/* Bulk selection on a case list, for the lists whose rows carry checkboxes that
 * belong to a bulk form by its id (<input type="checkbox" name="ids" form="bulk-form">):
 *   <input type="checkbox" data-bulk-all="bulk-form" hidden>  ticks every row of the
 *       page; shown only when this script runs (without it the form's "all that match
 *       the filter" choice does the same for the whole filter);
 *   <span data-bulk-count="bulk-form" data-text="({n} ticked)" aria-live="polite">
 *       says how many rows are ticked, read out by screen readers as it changes.
 * Ticking a row also chooses "the petitions ticked" over "all that match". */
(function () {
  "use strict";
  function boxesOf(formId) {
    return Array.prototype.slice.call(
      document.querySelectorAll('input[type="checkbox"][name][form="' + formId + '"]')
    );
  }
  function refresh(formId) {
    var boxes = boxesOf(formId);
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    document.querySelectorAll('[data-bulk-all="' + formId + '"]').forEach(function (all) {
      all.checked = boxes.length > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    });
    document.querySelectorAll('[data-bulk-count="' + formId + '"]').forEach(function (count) {
      count.textContent = ticked ? (count.dataset.text || "{n}").replace("{n}", ticked) : "";
    });
    if (ticked) {
      var form = document.getElementById(formId);
      var rows = form && form.querySelector('input[type="radio"][value="rows"]');
      if (rows) { rows.checked = true; }
    }
  }
  document.querySelectorAll("[data-bulk-all]").forEach(function (all) {
    var formId = all.dataset.bulkAll;
    all.hidden = false;
    all.addEventListener("change", function () {
      boxesOf(formId).forEach(function (box) { box.checked = all.checked; });
      refresh(formId);
    });
    boxesOf(formId).forEach(function (box) {
      box.addEventListener("change", function () { refresh(formId); });
    });
    refresh(formId);
  });
})();
