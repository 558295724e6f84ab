// The registration's human check: while the person types, find a counter
// whose SHA-256 with the server's challenge starts with the required zero
// bits, and put it in the form. Without JavaScript the form still works
// (the server then checks the form's age instead).
(function () {
  "use strict";
  var form = document.querySelector("form[data-dato-seguridad]");
  if (!form || !window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
  var challenge = form.querySelector("input[name=dato]").value;
  var counterInput = form.querySelector("input[name=trabajo]");
  var bits = parseInt(form.getAttribute("data-dato-seguridad"), 10) || 14;
  var encoder = new TextEncoder();

  function zeroBits(buf) {
    var bytes = new Uint8Array(buf), n = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { n += 8; continue; }
      var b = bytes[i];
      while ((b & 0x80) === 0) { n++; b <<= 1; }
      break;
    }
    return n;
  }

  function search(start) {
    var batch = [];
    for (var i = start; i < start + 256; i++) {
      batch.push(crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + i)));
    }
    Promise.all(batch).then(function (sums) {
      for (var j = 0; j < sums.length; j++) {
        if (zeroBits(sums[j]) >= bits) { counterInput.value = String(start + j); return; }
      }
      setTimeout(function () { search(start + 256); }, 0);
    });
  }
  search(0);

  form.addEventListener("submit", function (e) {
    if (counterInput.value) { return; }
    // Not found yet: wait for it rather than fall back to the slower path.
    e.preventDefault();
    var wait = setInterval(function () {
      if (counterInput.value) { clearInterval(wait); form.submit(); }
    }, 100);
  });
})();
