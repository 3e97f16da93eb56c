// Ballot entry page (counting/entry.html): keyboard-first entry of one pass,
// saved in the background; the ballots entered so far.
(function () {
  const form = document.getElementById("entry-form");
  const rows = new Map(JSON.parse(document.getElementById("rows").textContent).map(function (r) { return [r.number, r]; }));
  const levels = JSON.parse(document.getElementById("levels").textContent);
  const tbody = document.querySelector("#entered tbody");
  // Translated texts: data-* attributes of #entry-text (no inline script: CSP).
  const T = document.getElementById("entry-text").dataset;
  function note(r) {
    const parts = [];
    if (!r.issued) parts.push(T.notIssued);
    if (r.crossed_out.length) parts.push(T.crossed + " " + r.crossed_out.join(", "));
    if (r.added_names) parts.push(r.added_names + " " + T.added);
    if (r.other_writing) parts.push(T.other);
    if (r.signed) parts.push(T.signed);
    return parts.join("; ");
  }
  function render() {
    tbody.innerHTML = "";
    Array.from(rows.values()).sort(function (a, b) { return b.number - a.number; }).forEach(function (r) {
      const tr = document.createElement("tr");
      tr.dataset.number = r.number;
      tr.innerHTML = "<td class='num'></td><td class='mono'></td><td></td><td class='num'></td>";
      tr.children[0].textContent = r.number; tr.children[1].textContent = r.digits;
      tr.children[2].textContent = note(r); tr.children[3].textContent = r.version;
      if (form) { tr.classList.add("clickable"); tr.addEventListener("click", function () { edit(r.number); }); }
      tbody.appendChild(tr);
    });
    document.getElementById("count").textContent = rows.size;
  }
  render();
  if (!form) return;
  const n = parseInt(form.dataset.n, 10);
  const number = document.getElementById("number"), digits = document.getElementById("digits"), crossed = document.getElementById("crossed");
  const error = document.getElementById("entry-error");
  const picks = Array.from(document.querySelectorAll("#picks .pick"));
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const pending = new Map();
  let state = {issued: true, signed: false, other_writing: false, added_names: 0, version: null};
  function showFlags() {
    document.getElementById("f-issued").textContent = state.issued ? "" : "⚠ " + T.notIssued;
    document.getElementById("f-signed").textContent = state.signed ? "✎ " + T.signed : "";
    document.getElementById("f-other").textContent = state.other_writing ? "✎ " + T.other : "";
    document.getElementById("f-added").textContent = state.added_names ? "+" + state.added_names + " " + T.added : "";
    document.getElementById("f-editing").textContent = state.version ? T.editing + " " + number.value : "";
    document.getElementById("len").textContent = digits.value.length;
    picks.forEach(function (p, i) {
      const d = digits.value.charAt(i);
      p.textContent = d ? d + " · " + (levels[d] || "") : "";
      p.className = "pick" + (d ? " d" + d : "");
    });
  }
  function hideError() { error.classList.add("hidden"); error.textContent = ""; }
  function fail(text) { error.textContent = text; error.classList.remove("hidden"); digits.focus(); }
  function reset(next) {
    state = {issued: true, signed: false, other_writing: false, added_names: 0, version: null};
    digits.value = ""; crossed.value = ""; hideError();
    number.value = next; showFlags(); digits.focus();
  }
  function nextNumber() {
    let m = 0;
    rows.forEach(function (_, k) { m = Math.max(m, k); });
    pending.forEach(function (_, k) { m = Math.max(m, k); });
    return m + 1;
  }
  function edit(num) {
    const r = rows.get(num); if (!r) return;
    state = {issued: r.issued, signed: r.signed, other_writing: r.other_writing, added_names: r.added_names, version: r.version};
    number.value = r.number; digits.value = r.digits; crossed.value = r.crossed_out.join(" ");
    hideError(); showFlags(); digits.focus();
  }
  digits.addEventListener("keydown", function (ev) {
    const k = ev.key;
    if (k === "Enter" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (k === "k" || k === "K") { state.issued = !state.issued; ev.preventDefault(); }
    else if (k === "s" || k === "S") { state.signed = !state.signed; ev.preventDefault(); }
    else if (k === "v" || k === "V") { state.other_writing = !state.other_writing; ev.preventDefault(); }
    else if (k === "+") { state.added_names += 1; ev.preventDefault(); }
    else if (k === "-") { state.added_names = Math.max(0, state.added_names - 1); ev.preventDefault(); }
    else if (k === "ArrowUp") { edit(state.version ? parseInt(number.value, 10) - 1 : nextNumber() - 1); ev.preventDefault(); }
    else if (k === "ArrowDown" && state.version) { const next = parseInt(number.value, 10) + 1; if (rows.has(next)) edit(next); else reset(nextNumber()); ev.preventDefault(); }
    else if (k === "Escape") { reset(nextNumber()); ev.preventDefault(); }
    else if (k.length === 1 && !/[0-9]/.test(k)) { ev.preventDefault(); }
    showFlags();
  });
  digits.addEventListener("input", function () { digits.value = digits.value.replace(/[^0-9]/g, "").slice(0, n); showFlags(); });
  crossed.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { crossed.value = ""; digits.focus(); ev.preventDefault(); } });
  // Saving never blocks typing: the form is cleared for the next ballot at
  // once; a ballot the server refuses comes back into the form with the
  // reason (or, if the clerk is already typing the next one, the reason names it).
  function restore(body, message) {
    const untouched = digits.value === "" && crossed.value === "" && state.version === null &&
      state.issued && !state.signed && !state.other_writing && !state.added_names;
    if (!untouched) { fail(T.ballot + " " + body.number + ": " + message); return; }
    state = {issued: body.issued, signed: body.signed, other_writing: body.other_writing, added_names: body.added_names, version: body.version};
    number.value = body.number; digits.value = body.digits; crossed.value = body.crossed_out.join(" ");
    showFlags(); fail(message);
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    const body = {number: parseInt(number.value, 10), version: state.version, digits: digits.value,
      issued: state.issued, signed: state.signed, other_writing: state.other_writing, added_names: state.added_names,
      crossed_out: crossed.value.split(/[\s,;]+/).filter(Boolean)};
    if (!(body.number >= 1) || pending.has(body.number)) { number.focus(); number.select(); return; }
    pending.set(body.number, body);
    reset(nextNumber());
    fetch(form.dataset.url, {method: "POST", body: JSON.stringify(body), headers: {"Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json"}})
      .then(function (r) { return r.json().catch(function () { return {error: T.server}; }); })
      .catch(function () { return {error: T.offline}; })
      .then(function (data) {
        pending.delete(body.number);
        if (data.error) { restore(body, data.error); return; }
        rows.set(data.number, data); render();
      });
  });
  showFlags();
})();
