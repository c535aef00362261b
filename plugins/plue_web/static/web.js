// Plue's few lines of JavaScript (every page works without them): the copy button, the branch
// selector, and highlighting a range of lines (#L10-L20) in the file view.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      field.select();
      var done = function () { button.textContent = "Copied"; };
      var fallback = function () { document.execCommand("copy"); done(); };
      if (navigator.clipboard) { navigator.clipboard.writeText(field.value).then(done, fallback); }
      else { fallback(); }
    });
  });
  document.querySelectorAll("[data-branch-select] select").forEach(function (select) {
    select.addEventListener("change", function () { window.location.href = select.value; });
  });
  var table = document.querySelector("[data-lines]");
  if (!table) { return; }
  function mark() {
    table.querySelectorAll("tr.selected").forEach(function (row) { row.classList.remove("selected"); });
    var match = /^#L(\d+)(?:-L(\d+))?$/.exec(window.location.hash);
    if (!match) { return; }
    var first = parseInt(match[1], 10), last = parseInt(match[2] || match[1], 10);
    for (var n = Math.min(first, last); n <= Math.max(first, last); n++) {
      var row = document.getElementById("L" + n);
      if (row) { row.classList.add("selected"); }
    }
    var start = document.getElementById("L" + Math.min(first, last));
    if (start) { start.scrollIntoView({block: "center"}); }
  }
  var anchor = null;
  table.addEventListener("click", function (event) {
    var link = event.target.closest(".num a");
    if (!link) { return; }
    var n = parseInt(link.textContent, 10);
    if (event.shiftKey && anchor !== null) {
      event.preventDefault();
      history.replaceState(null, "", "#L" + Math.min(anchor, n) + "-L" + Math.max(anchor, n));
      mark();
    } else { anchor = n; }
  });
  window.addEventListener("hashchange", mark);
  mark();
});

// A running job's log: new lines are fetched every data-log-interval ms until the job is done.
document.addEventListener("DOMContentLoaded", function () {
  var log = document.querySelector("[data-log-url]");
  if (!log) { return; }
  var next = parseInt(log.getAttribute("data-log-next"), 10) || 0;
  var interval = parseInt(log.getAttribute("data-log-interval"), 10) || 1000;
  function poll() {
    fetch(log.getAttribute("data-log-url") + "?start=" + next, {headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if (body.lines.length) {
          log.textContent += (log.textContent ? "\n" : "") + body.lines.join("\n");
          next = body.next;
        }
        var badge = document.querySelector("[data-job-status]");
        if (badge) { badge.textContent = body.status; badge.className = "status " + body.status; }
        if (body.done) {
          var note = document.querySelector("[data-live-note]");
          if (note) { note.textContent = "This job is " + body.status + "."; }
        } else { setTimeout(poll, interval); }
      }, function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, interval);
});
