// Check-in page (conferences/checkin.html): search by name with or without
// diacritics, attendance without reloading, live counts.
(function () {
  // Translated texts: data-* attributes of #checkin-text (no inline script: CSP).
  const text = document.getElementById("checkin-text").dataset;
  const T = {
    present: text.present,
    left: text.left,
    not_arrived: text.notArrived,
    met: text.met,
    notMet: text.notMet,
    offline: text.offline
  };
  const search = document.getElementById("search");
  const error = document.getElementById("checkin-error");
  const noMatch = document.getElementById("no-match");
  const quorumState = document.getElementById("quorum-state");
  const issued = document.getElementById("id_ballots_issued");
  let issuedEdited = false;
  if (issued) issued.addEventListener("input", function () { issuedEdited = true; });
  // Names are found with or without diacritics: "nguyen van" finds "Nguyễn Văn".
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
  }
  const rows = Array.from(document.querySelectorAll("#voters tbody tr[data-voter]"));
  rows.forEach(function (tr) { tr.dataset.key = fold(tr.dataset.name); });
  function visible() { return rows.filter(function (tr) { return !tr.classList.contains("hidden"); }); }
  function filter() {
    // Every word typed must occur in the name: "ha ngoc" finds "Hà Thị Bích Ngọc".
    const words = fold(search.value).split(" ").filter(Boolean);
    rows.forEach(function (tr) {
      tr.classList.toggle("hidden", !words.every(function (w) { return tr.dataset.key.includes(w); }));
    });
    noMatch.classList.toggle("hidden", visible().length > 0);
  }
  search.addEventListener("input", filter);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { search.value = ""; filter(); return; }
    if (ev.key !== "Enter") return;
    ev.preventDefault();
    const match = visible();
    if (search.value.trim() !== "" && match.length === 1) {
      const button = match[0].querySelector("button[value=present]");
      if (button) button.click();
    }
  });
  function show(data) {
    document.querySelectorAll("#counts b[data-k]").forEach(function (b) {
      if (data[b.dataset.k] !== undefined) b.textContent = data[b.dataset.k];
    });
    if (data.present_at_voting === undefined) return;
    const met = data.present_at_voting >= data.quorum_required;
    quorumState.textContent = met ? T.met : T.notMet.replace("%(n)s", data.quorum_required);
    quorumState.classList.toggle("success", met);
    quorumState.classList.toggle("warning", !met);
    if (issued && !issuedEdited) issued.value = data.present_at_voting;
  }
  function fail(text) { error.textContent = text; error.classList.remove("hidden"); }
  document.querySelectorAll("form.att").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      const body = new FormData(form);
      body.append("attendance", ev.submitter.value);
      fetch(form.action, {method: "POST", body: body, headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.error) { fail(data.error); return; }
          error.classList.add("hidden");
          const tr = form.closest("tr");
          tr.querySelector(".state").textContent = T[data.attendance];
          tr.className = "att-" + data.attendance;
          show(data);
          search.value = ""; filter(); search.focus();
        })
        .catch(function () { fail(T.offline); });
    });
  });
  const counts = document.getElementById("counts");
  setInterval(function () {
    fetch(counts.dataset.url, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(show)
      .catch(function () {});
  }, 5000);
})();
