/**
 * The console's only script, served from /console/assets/console.js. Every page works without it.
 * While a plan or seat change waits for the publisher, it re-reads the page every 1.5 s (for at most
 * a minute) and swaps in the subscription's details, announcing the outcome in a polite live region
 * (the forms are swapped too once the change is done, unless the visitor is in one); without it, the
 * page offers a Refresh link.
 */
export const script = `"use strict";
(function () {
  var region = document.querySelector("[data-refresh-while-pending]");
  if (!region || !window.fetch || !window.DOMParser) return;
  var live = document.getElementById("live-status");
  var tries = 0;
  function update() {
    tries += 1;
    fetch(window.location.href, { credentials: "same-origin", headers: { accept: "text/html" } })
      .then(function (answer) {
        if (!answer.ok) throw new Error("status " + answer.status);
        return answer.text();
      })
      .then(function (text) {
        var page = new DOMParser().parseFromString(text, "text/html");
        var fresh = page.querySelector("[data-refresh-while-pending]");
        var done = page.getElementById("subscription-summary");
        var current = document.getElementById("subscription-summary");
        if (done && current) current.replaceWith(document.importNode(done, true));
        if (fresh) {
          if (tries < 40) window.setTimeout(update, 1500);
          return;
        }
        region.remove();
        var forms = page.getElementById("manage");
        var shown = document.getElementById("manage");
        if (forms && shown && !shown.contains(document.activeElement)) {
          shown.replaceWith(document.importNode(forms, true));
        }
        if (live) live.textContent = "The change is complete. The details above are up to date.";
      })
      .catch(function () {
        if (tries < 40) window.setTimeout(update, 3000);
      });
  }
  window.setTimeout(update, 1500);
})();
`;
