// The credit simulator updates as the person types or chooses: the same
// GET the form sends, fetched in the background, and its result (or its
// errors, at each field) put in place without moving the focus. The
// fields of the other person show only for the products that take two.
// Without JavaScript the "Calcular" button does the same and every field
// is always shown.
(function () {
  "use strict";
  var form = document.querySelector("form[data-simulador]");
  if (!form) { return; }
  var others = document.getElementById("coacreditado");

  function toggleOthers() {
    if (!others) { return; }
    var chosen = form.querySelector("input[name=producto]:checked");
    others.hidden = !(chosen && chosen.hasAttribute("data-conjunto"));
  }
  toggleOthers();
  if (!window.fetch || !window.DOMParser) { return; }
  var timer, seq = 0;

  // followFields copies the server's verdict to each field: the group's
  // class, its error message and the controls' class and description.
  function followFields(doc) {
    var groups = form.querySelectorAll(".form-group");
    var fresh = doc.querySelectorAll("form[data-simulador] .form-group");
    if (groups.length !== fresh.length) { return; }
    groups.forEach(function (group, i) {
      var next = fresh[i];
      group.className = next.className;
      var oldMsg = group.querySelector(".error-message");
      if (oldMsg) { oldMsg.remove(); }
      var newMsg = next.querySelector(".error-message");
      if (newMsg) {
        var after = newMsg.nextElementSibling;
        var here = after && after.id ? group.querySelector("#" + CSS.escape(after.id)) : null;
        if (!here && after) { here = group.querySelector("." + after.classList[0]); }
        var copy = document.importNode(newMsg, true);
        if (here) { here.before(copy); } else { group.prepend(copy); }
      }
      var controls = group.querySelectorAll("input, select, fieldset");
      var freshControls = next.querySelectorAll("input, select, fieldset");
      if (controls.length !== freshControls.length) { return; }
      controls.forEach(function (c, j) {
        var f = freshControls[j];
        if (c.tagName !== "FIELDSET") { c.className = f.className; }
        if (f.hasAttribute("aria-describedby")) {
          c.setAttribute("aria-describedby", f.getAttribute("aria-describedby"));
        } else {
          c.removeAttribute("aria-describedby");
        }
      });
    });
  }

  function update() {
    var params = new URLSearchParams(new FormData(form));
    var url = form.getAttribute("action") + "?" + params.toString();
    var mine = ++seq;
    fetch(url, { credentials: "same-origin" })
      .then(function (resp) { return resp.text(); })
      .then(function (html) {
        if (mine !== seq) { return; } // a newer request is on its way
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["resultado", "simulador-errores"].forEach(function (id) {
          var fresh = doc.getElementById(id), here = document.getElementById(id);
          if (fresh && here) { here.innerHTML = fresh.innerHTML; }
        });
        followFields(doc);
        document.title = doc.title;
        history.replaceState(null, "", url);
      })
      .catch(function () { /* offline: the button still works */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", function (e) {
    if (e.target.name === "producto") { toggleOthers(); }
    later();
  });
})();
