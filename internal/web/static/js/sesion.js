// The idle-session warning (issue 4): two minutes before a signed-in
// session ends for inactivity, say so and offer to continue. Continuing
// asks the server to keep the session (POST /mi-cuenta/sesion); when time
// runs out the page goes to the sign-in page. Without JavaScript nothing
// changes: the next request after the limit asks to sign in again.
(function () {
  "use strict";
  var box = document.getElementById("aviso-sesion");
  if (!box || !window.fetch) { return; }
  var idle = parseInt(box.getAttribute("data-inactiva"), 10);
  var warn = parseInt(box.getAttribute("data-aviso"), 10);
  if (!(idle > warn && warn > 0)) { return; }
  var left = box.querySelector("[data-restante]");
  var keep = box.querySelector("[data-seguir]");
  var deadline, warnTimer, tick, lastFocus;

  function words(seconds) {
    var m = Math.ceil(seconds / 60);
    if (seconds > 60) { return m + " minutos"; }
    return seconds <= 1 ? "1 segundo" : seconds + " segundos";
  }

  function end() {
    var next = encodeURIComponent(location.pathname);
    location.assign("/ingresar?sesion=terminada&siguiente=" + next);
  }

  function show() {
    lastFocus = document.activeElement;
    box.hidden = false;
    keep.focus();
    update();
    tick = setInterval(update, 1000);
  }

  function update() {
    var s = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    // Rewrite the text only when it changes, so screen readers are not
    // flooded with a second-by-second count.
    var text = words(s);
    if (left.textContent !== text && (s <= 60 ? s % 15 === 0 || s <= 5 : true)) { left.textContent = text; }
    if (s === 0) { clearInterval(tick); end(); }
  }

  function start() {
    clearTimeout(warnTimer);
    clearInterval(tick);
    deadline = Date.now() + idle * 1000;
    warnTimer = setTimeout(show, (idle - warn) * 1000);
  }

  keep.addEventListener("click", function () {
    keep.disabled = true;
    fetch("/mi-cuenta/sesion", { method: "POST", credentials: "same-origin", redirect: "manual" })
      .then(function (resp) {
        keep.disabled = false;
        if (resp.status !== 204) { end(); return; }
        box.hidden = true;
        if (lastFocus && lastFocus.focus) { lastFocus.focus(); }
        start();
      })
      .catch(function () { keep.disabled = false; });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !box.hidden) { keep.click(); }
  });
  start();
})();
