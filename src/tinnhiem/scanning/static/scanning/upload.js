/* Quét phiếu: upload with a progress bar (XHR upload events), then the
   server's processing progress polled from tien-do.json. No inline script
   (CSP); every text set with textContent. */
(function () {
  "use strict";
  var jobsBox = document.getElementById("scan-jobs");
  if (!jobsBox) { return; }
  var progressUrl = jobsBox.getAttribute("data-progress");
  var processBar = document.getElementById("process-bar");
  var processText = document.getElementById("process-text");
  var jobRows = document.getElementById("job-rows");
  var polling = false;

  function msg(el, key, values) {
    var text = el.getAttribute("data-msg-" + key) || "";
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(values[k])); });
    return text;
  }

  function setCounts(summary) {
    var cells = document.querySelectorAll("#scan-summary [data-count]");
    for (var i = 0; i < cells.length; i++) {
      var key = cells[i].getAttribute("data-count");
      if (summary[key] !== undefined) { cells[i].textContent = String(summary[key]); }
    }
  }

  function jobRow(job) {
    var row = jobRows.querySelector('tr[data-job="' + job.id + '"]');
    if (!row) {
      var empty = jobRows.querySelector("tr.empty");
      if (empty) { empty.remove(); }
      row = document.createElement("tr");
      row.setAttribute("data-job", String(job.id));
      ["", "job-state", "job-files", "job-sheets", "job-error"].forEach(function (cls) {
        var td = document.createElement("td");
        if (cls) { td.className = cls; }
        row.appendChild(td);
      });
      row.firstChild.textContent = String(job.id);
      jobRows.insertBefore(row, jobRows.firstChild);
    }
    row.setAttribute("data-state", job.state);
    row.querySelector(".job-state").textContent = job.state_label;
    row.querySelector(".job-files").textContent = job.files_done + "/" + job.files_total;
    row.querySelector(".job-sheets").textContent = String(job.sheets_done);
    var err = row.querySelector(".job-error");
    if (job.error && !err.querySelector("span")) {
      var span = document.createElement("span");
      span.className = job.state === "failed" ? "bad" : "warn";
      span.textContent = job.error;
      err.insertBefore(span, err.firstChild);
    }
  }

  function update(data) {
    var total = 0, done = 0, sheets = 0;
    data.jobs.forEach(function (job) {
      jobRow(job);
      if (job.state === "queued" || job.state === "running") {
        total += job.files_total; done += job.files_done; sheets += job.sheets_done;
      }
    });
    setCounts(data.summary);
    var body = document.getElementById("scan-entries");
    if (body && data.entries && data.entries.length) {
      body.textContent = "";
      data.entries.forEach(function (e) {
        var tr = document.createElement("tr");
        [[String(e.number), ""], [e.serial, "mono"], [e.digits, "mono digits"]].forEach(function (c) {
          var td = document.createElement("td");
          td.textContent = c[0];
          if (c[1]) { td.className = c[1]; }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
    }
    if (data.busy) {
      processBar.max = Math.max(total, 1);
      processBar.value = done;
      processText.textContent = msg(jobsBox, "progress", { done: done, total: total, sheets: sheets });
    } else {
      processBar.max = 1;
      processBar.value = 1;
      processText.textContent = msg(jobsBox, "done");
    }
    jobsBox.setAttribute("data-busy", data.busy ? "1" : "0");
  }

  function poll() {
    if (polling) { return; }
    polling = true;
    var tick = function () {
      fetch(progressUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          update(data);
          if (data.busy) { window.setTimeout(tick, 700); } else { polling = false; }
        })
        .catch(function () { polling = false; processText.textContent = msg(jobsBox, "lost"); });
    };
    tick();
  }

  if (jobRows.querySelector('tr[data-state="queued"], tr[data-state="running"]')) { poll(); }

  var form = document.getElementById("scan-upload");
  if (!form) { return; }
  var input = document.getElementById("scan-files");
  var bar = document.getElementById("upload-bar");
  var barText = document.getElementById("upload-text");
  var box = document.getElementById("scan-upload-progress");
  var list = document.getElementById("scan-file-messages");
  var button = document.getElementById("scan-submit");
  var maxFiles = parseInt(form.getAttribute("data-max-files"), 10) || 100;
  var maxBytes = 100 * 1024 * 1024;
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function say(text, cls) {
    var li = document.createElement("li");
    li.className = cls;
    li.textContent = text;
    list.appendChild(li);
  }

  function groups(files) {
    var out = [], cur = [], size = 0;
    for (var i = 0; i < files.length; i++) {
      if (cur.length && (cur.length >= maxFiles || size + files[i].size > maxBytes)) {
        out.push(cur); cur = []; size = 0;
      }
      cur.push(files[i]); size += files[i].size;
    }
    if (cur.length) { out.push(cur); }
    return out;
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) { say(msg(form, "none"), "refused"); return; }
    var all = files.reduce(function (s, f) { return s + f.size; }, 0) || 1;
    var sent = 0;
    var parts = groups(files);
    list.textContent = "";
    box.hidden = false;
    button.disabled = true;
    bar.value = 0;
    var next = function (k) {
      if (k >= parts.length) {
        bar.value = 100;
        barText.textContent = msg(form, "uploaded", { n: files.length });
        button.disabled = false;
        input.value = "";
        return;
      }
      var data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      var bytes = 0;
      parts[k].forEach(function (f) { data.append("files", f, f.name); bytes += f.size; });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", token);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var pct = Math.round(100 * (sent + bytes * e.loaded / e.total) / all);
          bar.value = Math.min(pct, 100);
          barText.textContent = pct + "%";
        }
      });
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (!body) {
          say(msg(form, "server", { code: xhr.status }), "refused");
        } else if (!body.ok) {
          say(body.error, "refused");
        } else {
          body.files.forEach(function (f) { say(f.message, f.status); });
          poll();
        }
        sent += bytes;
        next(k + 1);
      });
      xhr.addEventListener("error", function () {
        say(msg(form, "offline"), "refused");
        button.disabled = false;
      });
      xhr.send(data);
    };
    next(0);
  });
}());
