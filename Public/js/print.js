// Shows the "print" buttons (without a script they could do nothing, so they stay hidden) and
// prints the page when one is pressed. The print style sheet leaves only the ticket on paper.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
