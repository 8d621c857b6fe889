/* A live counter under each long text box (<textarea data-maxchars="20000"
 * data-counter-text="%(n)s of %(max)s characters" data-counter-over="…%(over)s…">,
 * casework.forms.CountedTextField). The box has no maxlength, so a long paste is
 * never cut off silently: the counter says how much is over, and the server refuses
 * it with the same message. The count is the server's: characters, not UTF-16 units,
 * and a line break counts two (browsers send it as CR LF).
 * Screen readers hear the counter when the box is focused (aria-describedby) and,
 * through a polite live region, only when the text crosses 90 % or the limit. */
(function () {
  "use strict";
  var grouping = new Intl.NumberFormat(document.documentElement.lang || "vi");
  function length(text) {
    return Array.from(text).length + (text.match(/\n/g) || []).length;
  }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }
  document.querySelectorAll("textarea[data-maxchars]").forEach(function (box) {
    var max = parseInt(box.dataset.maxchars, 10);
    var counter = document.createElement("div");
    counter.id = box.id + "_counter";
    counter.className = "form-text";
    var live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", live);
    var described = (box.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(counter.id);
    box.setAttribute("aria-describedby", described.join(" "));
    var state = "";
    function update() {
      var n = length(box.value);
      var text = fill(box.dataset.counterText || "%(n)s / %(max)s", {
        n: grouping.format(n), max: grouping.format(max)
      });
      var over = n - max;
      if (over > 0) {
        text += " — " + fill(box.dataset.counterOver || "%(over)s", { over: grouping.format(over) });
      }
      counter.textContent = text;
      counter.classList.toggle("text-danger", over > 0);
      counter.classList.toggle("fw-semibold", over > 0);
      var now = over > 0 ? "over" : n >= max * 0.9 ? "near" : "ok";
      if (now !== state && (now !== "ok" || state !== "")) {
        live.textContent = text;
      }
      state = now;
    }
    box.addEventListener("input", update);
    update();
  });
})();
