// Show only the recurrence fields that apply to the chosen repetition and to the chosen end of
// the series. Without JavaScript every field stays visible and the server ignores the ones that
// do not apply.
(function () {
  var form = document.getElementById("series-form");
  var select = document.getElementById("id_frequency");
  if (!form || !select) return;
  function chosenEnd() {
    var checked = form.querySelector("input[name=ends]:checked");
    return checked ? checked.value : "never";
  }
  function update() {
    form.querySelectorAll("[data-frequency]").forEach(function (block) {
      block.hidden = block.dataset.frequency !== select.value;
    });
    var ends = chosenEnd();
    form.querySelectorAll("[data-ends]").forEach(function (block) {
      block.hidden = block.dataset.ends !== ends;
    });
  }
  select.addEventListener("change", update);
  form.querySelectorAll("input[name=ends]").forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
