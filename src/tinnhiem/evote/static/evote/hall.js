/* Tín Nhiệm — the hall screen: turnout, board height and head hash every 5 seconds. */
(function () {
  "use strict";
  var root = document.getElementById("hall");
  if (!root) return;
  function set(id, value) {
    var el = document.getElementById(id);
    if (el) el.textContent = value === null || value === undefined || value === "" ? "—" : value;
  }
  function refresh() {
    fetch(root.dataset.url, { credentials: "omit", cache: "no-store" }).then(function (r) {
      return r.json();
    }).then(function (s) {
      set("phase", s.phase_label);
      set("voters", s.voters);
      set("active", s.active_cards);
      set("height", s.height);
      set("head", s.head);
      set("election-hash", s.election_hash);
      document.getElementById("stale").hidden = true;
    }).catch(function () {
      document.getElementById("stale").hidden = false;
    });
  }
  window.setInterval(refresh, 5000);
})();
