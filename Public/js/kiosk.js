// The kiosk's touch helpers; every page works without them. Adds: the on-screen keypad for number
// fields, the policy barcode scanner (a keyboard wedge: digits, then Enter), the announced
// countdown that returns the kiosk to its start after inactivity, and printing the ticket at once.
(function () {
  "use strict";
  var body = document.body;
  var home = body.getAttribute("data-home");
  var aliveURL = body.getAttribute("data-alive");
  var signedIn = body.hasAttribute("data-signed-in");
  var endForm = document.querySelector("[data-end-form]");

  // A page brought back from the browser's memory (the back button) is asked for again: after a
  // reset the server shows the start screen, never the last patient's page.
  window.addEventListener("pageshow", function (event) { if (event.persisted) location.reload(); });

  function returnToStart() {
    if (signedIn && endForm) { endForm.submit(); } else { location.replace(home); }
  }

  // ---- Number fields: the keypad, and birth dates written as ДД.ММ.ГГГГ ----
  var fields = Array.prototype.slice.call(document.querySelectorAll("input[data-number]"));
  var keypad = document.querySelector("[data-keypad]");
  var current = fields[0] || null;

  function formatDate(digits) {
    digits = digits.replace(/\D/g, "").slice(0, 8);
    if (digits.length > 4) return digits.slice(0, 2) + "." + digits.slice(2, 4) + "." + digits.slice(4);
    if (digits.length > 2) return digits.slice(0, 2) + "." + digits.slice(2);
    return digits;
  }

  function setValue(field, value) {
    field.value = field.hasAttribute("data-date") ? formatDate(value) : value.slice(0, Number(field.getAttribute("maxlength")) || 32);
  }

  // The hyphen key is offered only to a field that takes one (a referral's number).
  var dashKey = keypad ? keypad.querySelector("[data-dash-key]") : null;
  function showDash(field) {
    if (dashKey) dashKey.hidden = !field.hasAttribute("data-dash");
  }
  if (current) showDash(current);

  function moveOn(field) {
    var index = fields.indexOf(field);
    if (index >= 0 && index < fields.length - 1) {
      fields[index + 1].focus();
    } else if (field.form) {
      if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
    }
  }

  fields.forEach(function (field) {
    // The keypad on the screen replaces the system's keyboard.
    if (keypad) field.setAttribute("inputmode", "none");
    field.addEventListener("focus", function () { current = field; showDash(field); });
    if (field.hasAttribute("data-date")) {
      field.addEventListener("input", function () {
        var typed = field.value.replace(/\D/g, "");
        if (/^\d*$/.test(field.value.replace(/\./g, ""))) field.value = formatDate(typed);
      });
    }
  });

  if (keypad && fields.length) {
    keypad.hidden = false;
    // A touch on the keypad leaves the focus in the field.
    keypad.addEventListener("mousedown", function (event) { event.preventDefault(); });
    keypad.addEventListener("click", function (event) {
      var key = event.target.closest("[data-key]");
      if (!key || !current) return;
      var name = key.getAttribute("data-key");
      if (name === "back") {
        var digits = current.hasAttribute("data-date") ? current.value.replace(/\D/g, "") : current.value;
        setValue(current, digits.slice(0, -1));
      } else if (name === "next") {
        moveOn(current);
        return;
      } else {
        setValue(current, (current.hasAttribute("data-date") ? current.value.replace(/\D/g, "") : current.value) + name);
      }
      current.focus();
    });
  }

  // ---- The scanner: digits typed fast, then Enter ----
  var scanField = document.querySelector("input[data-scanner]");
  if (scanField) {
    scanField.addEventListener("keydown", function (event) {
      // Enter after the policy moves on to the birth date rather than sending half a form.
      if (event.key === "Enter" && scanField.value.trim() !== "" && fields.indexOf(scanField) < fields.length - 1) {
        event.preventDefault();
        moveOn(scanField);
      }
    });
    // A scan while no field has the focus still lands in the policy field.
    var burst = "";
    var last = 0;
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) return;
      var now = Date.now();
      if (now - last > 100) burst = "";
      last = now;
      if (/^\d$/.test(event.key)) {
        burst += event.key;
      } else if (event.key === "Enter" && burst.length >= 6) {
        event.preventDefault();
        scanField.value = burst;
        burst = "";
        moveOn(scanField);
      }
    });
  }

  // ---- Printing ----
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // ---- Inactivity: the countdown, then the start screen ----
  var idle = Number(body.getAttribute("data-idle-seconds")) * 1000;
  var lead = Number(body.getAttribute("data-countdown-seconds")) * 1000;
  var dialog = document.querySelector("[data-countdown]");
  if (!idle || !dialog) return;
  var left = dialog.querySelector("[data-countdown-left]");
  var announce = document.querySelector("[data-countdown-announce]");
  var cancel = dialog.querySelector("[data-countdown-cancel]");
  var lastActivity = Date.now();
  var lastPing = Date.now();
  var shown = false;

  function somethingToWipe() {
    return signedIn || fields.some(function (field) { return field.value !== ""; }) ||
      Array.prototype.some.call(document.querySelectorAll(".kiosk-main input:not([type=hidden])"), function (input) { return input.value !== ""; });
  }

  function say(text) { if (announce) announce.textContent = text; }

  function activity() {
    lastActivity = Date.now();
    if (shown) return;
    // The server keeps the session as long as someone is using the kiosk, not only while pages load.
    if (signedIn && aliveURL && Date.now() - lastPing > 15000 && window.fetch) {
      lastPing = Date.now();
      fetch(aliveURL, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
        if (response.status === 401) location.replace(home);
      }).catch(function () {});
    }
  }

  function hide() {
    shown = false;
    dialog.hidden = true;
    lastActivity = Date.now();
    say("");
  }

  ["pointerdown", "keydown", "touchstart", "input"].forEach(function (name) {
    document.addEventListener(name, activity, { passive: true, capture: true });
  });
  cancel.addEventListener("click", function () {
    hide();
    lastPing = 0;
    activity();
  });

  // A ticket just booked prints at once; the kiosk then returns to its start after the countdown's
  // time, said on the page (a touch anywhere stops it: the patient may book more).
  var autoPrint = document.querySelector("[data-auto-print]");
  var finishAt = null;
  var finishLeft = document.querySelector("[data-finish-left]");
  if (autoPrint) {
    var status = autoPrint.querySelector("[data-print-status]");
    if (status) status.hidden = false;
    window.setTimeout(function () {
      window.print();
      finishAt = Date.now() + lead;
      lastActivity = Date.now();
    }, 300);
  }

  window.setInterval(function () {
    if (finishAt !== null) {
      if (lastActivity > finishAt - lead + 500) {
        finishAt = null;
        if (finishLeft) finishLeft.parentNode.hidden = true;
      } else {
        if (Date.now() >= finishAt) { returnToStart(); return; }
        if (finishLeft) finishLeft.textContent = String(Math.ceil((finishAt - Date.now()) / 1000));
        return;
      }
    }
    var quiet = Date.now() - lastActivity;
    if (!somethingToWipe()) { lastActivity = Date.now(); return; }
    if (quiet >= idle) { returnToStart(); return; }
    if (quiet >= idle - lead) {
      var seconds = Math.ceil((idle - quiet) / 1000);
      left.textContent = String(seconds);
      if (!shown) {
        shown = true;
        dialog.hidden = false;
        cancel.focus();
        say("Вы ещё здесь? Через " + seconds + " секунд экран вернётся к началу. Нажмите «Я здесь, продолжить».");
      } else if (seconds === 5) {
        say("Осталось 5 секунд.");
      }
    }
  }, 250);
})();
