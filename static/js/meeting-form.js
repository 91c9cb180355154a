// Offer the usual length of the kind chosen, as long as the person has not typed one.
(function () {
  var kind = document.getElementById("id_kind");
  var duration = document.getElementById("id_duration");
  var data = document.getElementById("kind-durations");
  if (!kind || !duration || !data) return;
  var minutes = JSON.parse(data.textContent);
  var typed = false;
  duration.addEventListener("input", function () { typed = true; });
  kind.addEventListener("change", function () {
    if (!typed && minutes[kind.value]) duration.value = minutes[kind.value];
  });
})();
