// Show only the recurrence fields that apply to the chosen repetition. Without JavaScript every
// field stays visible and the server ignores the ones that do not apply.
(function () {
  var select = document.getElementById("id_frequency");
  if (!select) return;
  function update() {
    document.querySelectorAll("[data-frequency]").forEach(function (block) {
      block.hidden = block.dataset.frequency !== select.value;
    });
  }
  select.addEventListener("change", update);
  update();
})();
