// Progress of a background document (delivery/job.html): polls the job's JSON
// status, moves the <progress> bar, shows the download link or the error.
// No inline script (CSP): texts come from data-* attributes of #job.
(function () {
  const box = document.getElementById("job");
  if (!box) return;
  const T = box.dataset;
  const bar = document.getElementById("job-progress");
  const percent = document.getElementById("job-percent");
  const count = document.getElementById("job-count");
  const state = document.getElementById("job-state");
  const step = document.getElementById("job-step");
  const error = document.getElementById("job-error");
  const ready = document.getElementById("job-ready");
  const file = document.getElementById("job-file");
  const number = new Intl.NumberFormat("vi-VN");
  let delay = 700;

  function show(s) {
    bar.value = s.percent;
    bar.textContent = s.percent + "%";
    percent.textContent = s.percent + "%";
    count.textContent = "(" + number.format(s.done) + "/" + number.format(s.total) + ")";
    state.textContent = s.state_label;
    state.classList.toggle("ok", s.state === "done");
    state.classList.toggle("bad", s.state === "failed");
    step.textContent = s.state === "done" ? T.textDone : (s.step || "");
    if (s.state === "failed") {
      error.textContent = s.error || T.textFailed;
      error.hidden = false;
    }
    if (s.download) {
      file.textContent = s.filename;
      ready.hidden = false;
    }
  }

  function poll() {
    fetch(T.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      })
      .then(function (s) {
        show(s);
        delay = 700;
        if (s.state === "queued" || s.state === "running") setTimeout(poll, delay);
      })
      .catch(function () {
        step.textContent = T.textOffline;
        delay = Math.min(delay * 2, 10000);
        setTimeout(poll, delay);
      });
  }
  poll();
})();
