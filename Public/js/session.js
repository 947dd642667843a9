// Warns a signed-in patient before their session ends for inactivity, and lets them keep it with
// one button. The page works without this script; it only adds the warning (WCAG 2.2.1).
(function () {
  "use strict";
  var warning = document.getElementById("session-warning");
  var ended = document.getElementById("session-ended");
  var extend = document.getElementById("session-extend");
  if (!warning || !ended || !extend || !window.fetch) return;
  var idle = Number(warning.getAttribute("data-idle-seconds")) * 1000;
  var lead = Number(warning.getAttribute("data-warning-seconds")) * 1000;
  var timers = [];

  function schedule() {
    timers.forEach(clearTimeout);
    warning.hidden = true;
    ended.hidden = true;
    timers = [setTimeout(warn, idle - lead), setTimeout(end, idle)];
  }

  function warn() {
    warning.hidden = false;
    extend.focus();
  }

  function end() {
    timers.forEach(clearTimeout);
    warning.hidden = true;
    ended.hidden = false;
    var again = document.getElementById("session-again");
    // The server's link (identification, "session ended") leads back here.
    if (again) again.href = again.getAttribute("href") + "&next=" + encodeURIComponent(location.pathname + location.search);
  }

  extend.addEventListener("click", function () {
    fetch(extend.getAttribute("data-url"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { if (response.status === 204) { schedule(); } else { end(); } })
      .catch(function () { warning.querySelector("p").textContent = "Не удалось связаться с сервером. Проверьте подключение и нажмите ещё раз."; });
  });

  schedule();
})();
