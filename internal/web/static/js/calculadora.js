// The savings calculator updates as the person types: the same GET the
// form sends, fetched in the background, and its result (or its errors)
// put in place. Without JavaScript the "Calcular" button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-calculadora]");
  if (!form || !window.fetch || !window.DOMParser) { return; }
  var timer, seq = 0;

  function update() {
    var params = new URLSearchParams(new FormData(form));
    var url = form.getAttribute("action") + "?" + params.toString();
    var mine = ++seq;
    fetch(url, { credentials: "same-origin" })
      .then(function (resp) { return resp.text(); })
      .then(function (html) {
        if (mine !== seq) { return; } // a newer request is on its way
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["resultado", "calculadora-errores"].forEach(function (id) {
          var fresh = doc.getElementById(id), here = document.getElementById(id);
          if (fresh && here) { here.innerHTML = fresh.innerHTML; }
        });
        // Field messages follow the server's verdict, without moving focus.
        form.querySelectorAll(".form-group").forEach(function (group) {
          var input = group.querySelector("input");
          var fresh = input && doc.getElementById(input.id);
          var freshGroup = fresh && fresh.closest(".form-group");
          if (!freshGroup) { return; }
          group.className = freshGroup.className;
          var oldMsg = group.querySelector(".error-message"), newMsg = freshGroup.querySelector(".error-message");
          if (oldMsg) { oldMsg.remove(); }
          if (newMsg) { input.before(newMsg); }
          input.className = fresh.className;
          if (fresh.hasAttribute("aria-describedby")) {
            input.setAttribute("aria-describedby", fresh.getAttribute("aria-describedby"));
          } else {
            input.removeAttribute("aria-describedby");
          }
        });
        document.title = doc.title;
        history.replaceState(null, "", url);
      })
      .catch(function () { /* offline: the button still works */ });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  });
})();
