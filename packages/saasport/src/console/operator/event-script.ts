/**
 * The events page's script, served from /console/operator/events.js. The page works without it
 * (a Refresh link); with it, new events arrive from the console's own event stream and are added at
 * the top of the table, and a polite live region says how many arrived.
 */
export const eventScript = `"use strict";
(function () {
  var body = document.getElementById("events-body");
  if (!body || !window.EventSource) return;
  var state = document.getElementById("events-state");
  var live = document.getElementById("events-live");
  var keep = Number(body.getAttribute("data-keep")) || 100;
  var arrived = 0;
  var source = new EventSource(body.getAttribute("data-stream"));
  function cell(label, text, className) {
    var td = document.createElement("td");
    td.setAttribute("data-label", label);
    if (className) td.className = className;
    if (text !== undefined) td.textContent = text;
    return td;
  }
  source.onopen = function () {
    if (state) state.textContent = "Live: new events appear at the top as they happen.";
    body.setAttribute("data-live", "on");
  };
  source.onerror = function () {
    if (state) state.textContent = "Live updates paused; reconnecting.";
    body.setAttribute("data-live", "off");
  };
  source.onmessage = function (message) {
    var event;
    try { event = JSON.parse(message.data); } catch (error) { return; }
    if (body.querySelector('tr[data-position="' + String(event.position) + '"]')) return;
    var row = document.createElement("tr");
    row.setAttribute("data-position", String(event.position));
    row.className = "fresh";
    row.appendChild(cell("Position", String(event.position), "number"));
    row.appendChild(cell("Occurred", event.occurredAt));
    row.appendChild(cell("Type", event.type));
    var subscription = cell("Subscription");
    var link = document.createElement("a");
    link.href = event.subscriptionHref;
    var code = document.createElement("code");
    code.textContent = event.subscriptionId;
    link.appendChild(code);
    subscription.appendChild(link);
    row.appendChild(subscription);
    row.appendChild(cell("Publisher", event.publisherId));
    row.appendChild(cell("Actor", event.actor));
    body.insertBefore(row, body.firstChild);
    while (body.rows.length > keep) body.deleteRow(body.rows.length - 1);
    var empty = document.getElementById("events-empty");
    if (empty) empty.remove();
    arrived += 1;
    if (live) live.textContent = arrived === 1 ? "1 new event" : arrived + " new events";
  };
})();
`;
