/* Tín Nhiệm — the casting page (no login: the card's credential is the authority).
 *
 * Steps: the card (typed, scanned by a hand scanner that types, or read from
 * the QR code with the camera when the browser has BarcodeDetector) → one
 * level per person → encryption on this device (ballot.js) and the tracker →
 * "Bỏ phiếu" (cast: the signed ballot goes to the server) or "Kiểm tra mã hóa"
 * (Benaloh audit: the unsigned body and its opening are published, the
 * voter sees the opening and must encrypt again). The credential never
 * leaves this page; "Xong" reloads it for the next voter.
 */
(function () {
  "use strict";
  var root = document.getElementById("cast");
  if (!root || !window.TinNhiemBallot) return;
  var T = document.getElementById("cast-text").dataset;
  var api = window.TinNhiemBallot;
  var state = { election: null, levels: [], credential: null, pending: null };

  function $(id) { return document.getElementById(id); }
  function show(id) {
    ["step-card", "step-ballot", "step-confirm", "step-audit", "step-done"].forEach(function (s) {
      $(s).classList.toggle("hidden", s !== id);
    });
  }
  function error(id, text) {
    var el = $(id);
    el.textContent = text || "";
    el.classList.toggle("hidden", !text);
  }

  function normalize(text) {
    var t = (text || "").trim();
    if (t.indexOf("TNC1:") === 0) {
      var parts = t.split(":");
      if (parts.length !== 3) return { error: T.badCard };
      if (parts[1] !== root.dataset.uuid) return { error: T.otherElection };
      t = parts[2];
    }
    t = t.replace(/[\s-]/g, "");
    return api.checkCredential(t) ? { credential: t } : { error: T.badCard };
  }

  function takeCard() {
    var r = normalize($("credential").value);
    if (r.error) { error("card-error", r.error); return; }
    error("card-error", "");
    state.credential = r.credential;
    $("credential").value = "";
    show("step-ballot");
  }

  function buildBallot() {
    var box = $("persons");
    var positions = state.positions || {};
    state.election.persons.forEach(function (person, p) {
      var fs = document.createElement("fieldset");
      fs.className = "person";
      fs.dataset.person = person.id;
      var legend = document.createElement("legend");
      legend.textContent = (p + 1) + ". " + person.name;
      fs.appendChild(legend);
      if (positions[person.id]) {
        var pos = document.createElement("div");
        pos.className = "muted";
        pos.textContent = positions[person.id];
        fs.appendChild(pos);
      }
      state.levels.forEach(function (level) {
        var label = document.createElement("label");
        label.className = "choice";
        var input = document.createElement("input");
        input.type = "radio";
        input.name = "p-" + p;
        input.value = level.code;
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + level.label));
        fs.appendChild(label);
      });
      box.appendChild(fs);
    });
  }

  function choices() {
    var out = [], missing = [];
    state.election.persons.forEach(function (person, p) {
      var picked = root.querySelector('input[name="p-' + p + '"]:checked');
      if (picked) out.push(picked.value); else missing.push((p + 1) + ". " + person.name);
    });
    return { choices: out, missing: missing };
  }

  function encrypt() {
    var c = choices();
    if (c.missing.length) {
      error("ballot-error", T.missing.replace("%(names)s", c.missing.join(", ")));
      return;
    }
    error("ballot-error", "");
    var button = $("encrypt");
    button.disabled = true;
    button.dataset.label = button.dataset.label || button.textContent;
    button.textContent = T.encrypting;
    api.encryptBallot(state.election, state.credential, c.choices).then(function (result) {
      state.pending = result;
      $("tracker").textContent = result.tracker;
      error("confirm-error", "");
      show("step-confirm");
      prepare(result);
    }).catch(function (e) {
      error("ballot-error", String(e && e.message || e));
    }).then(function () {
      button.disabled = false;
      button.textContent = button.dataset.label;
    });
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "omit",
      cache: "no-store",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    });
  }

  // While the voter reads the tracker, the server checks the body's proofs, so
  // that casting then takes only the signature check (decision 0019). Nothing
  // waits for the answer: a refused body is refused again, with its message,
  // when cast.
  function unsignedBody(ballot) {
    var body = {};
    Object.keys(ballot).forEach(function (k) {
      if (k !== "signature") body[k] = ballot[k];
    });
    return body;
  }

  function prepare(pending) {
    post(root.dataset.prepareUrl, unsignedBody(pending.ballot)).catch(function () {});
  }

  function setBusy(busy) {
    $("cast-button").disabled = busy;
    $("audit-button").disabled = busy;
    $("back-button").disabled = busy;
  }

  function cast() {
    var pending = state.pending;
    if (!pending) return;
    setBusy(true);
    post(root.dataset.castUrl, pending.ballot).then(function (r) {
      if (!r.data.ok) { error("confirm-error", r.data.message); return; }
      state.pending = null;
      state.credential = null;
      $("receipt-tracker").textContent = r.data.tracker;
      $("receipt-height").textContent = r.data.height;
      $("receipt-head").textContent = r.data.head;
      show("step-done");
    }).catch(function () {
      error("confirm-error", T.offline);
    }).then(function () { setBusy(false); });
  }

  function auditBallot() {
    var pending = state.pending;
    if (!pending) return;
    var body = unsignedBody(pending.ballot);
    setBusy(true);
    post(root.dataset.auditUrl, { ballot: body, secrets: pending.opening }).then(function (r) {
      if (!r.data.ok) { error("confirm-error", r.data.message); return; }
      state.pending = null;
      $("audit-tracker").textContent = pending.tracker;
      var lines = state.election.persons.map(function (person, p) {
        var code = pending.opening.choices[p];
        var level = state.levels.filter(function (l) { return l.code === code; })[0];
        return (p + 1) + ". " + person.name + ": " + (level ? level.label : code) +
          " (" + code + ")" +
          "\n   r = " + pending.opening.nonces[p];
      });
      $("opening").textContent = lines.join("\n");
      show("step-audit");
    }).catch(function () {
      error("confirm-error", T.offline);
    }).then(function () { setBusy(false); });
  }

  function scan() {
    var video = $("scan-video");
    if (!navigator.mediaDevices || !window.BarcodeDetector) { error("card-error", T.noCamera); return; }
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.classList.remove("hidden");
      return video.play().then(function () {
        var stop = function () {
          stream.getTracks().forEach(function (t) { t.stop(); });
          video.classList.add("hidden");
          video.srcObject = null;
        };
        var tick = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) { stop(); $("credential").value = codes[0].rawValue; takeCard(); }
            else window.setTimeout(tick, 250);
          }).catch(function () { stop(); error("card-error", T.noCamera); });
        };
        tick();
      });
    }).catch(function () { error("card-error", T.noCamera); });
  }

  $("card-next").addEventListener("click", takeCard);
  $("credential").addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); takeCard(); }
  });
  $("encrypt").addEventListener("click", encrypt);
  $("cast-button").addEventListener("click", cast);
  $("audit-button").addEventListener("click", auditBallot);
  $("reencrypt").addEventListener("click", function () { show("step-ballot"); });
  $("back-button").addEventListener("click", function () {
    state.pending = null;  // never sent: nothing of it leaves this page
    show("step-ballot");
  });
  $("done").addEventListener("click", function () { window.location.reload(); });
  $("tracker-button").addEventListener("click", function () {
    var url = root.dataset.trackerUrl + "?t=" + encodeURIComponent($("tracker-input").value);
    fetch(url, { credentials: "omit", cache: "no-store" }).then(function (r) {
      return r.json();
    }).then(function (data) {
      $("tracker-result").textContent = data.message;
    }).catch(function () { $("tracker-result").textContent = T.offline; });
  });
  if (window.BarcodeDetector && navigator.mediaDevices) {
    $("scan").classList.remove("hidden");
    $("scan").addEventListener("click", scan);
  }

  fetch(root.dataset.electionUrl, { credentials: "omit", cache: "no-store" }).then(function (r) {
    return r.json();
  }).then(function (data) {
    if (!data.ok) { error("load-error", data.message || T.load); show(null); return; }
    state.election = data.election;
    state.levels = data.levels;
    state.positions = data.positions;
    $("fingerprint").textContent = data.fingerprint;
    buildBallot();
    if (!data.open) error("load-error", T.closed);
    $("credential").focus();
  }).catch(function () { error("load-error", T.load); });
})();
