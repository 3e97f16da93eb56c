// Reconciliation page (counting/reconcile.html).
// Typing in "Theo phiếu gốc" chooses it.
document.querySelectorAll("form.resolve").forEach(function (form) {
  form.querySelector(".manual").addEventListener("input", function () {
    form.querySelector("input[name=choice][value=manual]").checked = true;
  });
});
