// Filters a list as the operator types: every entry whose text does not hold what was typed is
// hidden. Without the script the same field filters on Enter (the server answers the query).
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-filters]"), function (field) {
    var list = document.getElementById(field.getAttribute("data-filters"));
    if (!list) { return; }
    field.addEventListener("input", function () {
      var typed = field.value.trim().toLowerCase();
      Array.prototype.forEach.call(list.querySelectorAll("li[data-search]"), function (item) {
        item.hidden = typed !== "" && item.getAttribute("data-search").indexOf(typed) === -1;
      });
    });
  });
})();
