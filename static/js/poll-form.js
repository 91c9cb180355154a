// The new poll form shows only the candidates of the mode chosen: the slots of one meeting, or
// the patterns of a series. Without JavaScript both stay visible and the server ignores the
// ones that do not apply (meetings/polls/forms.py).
(function () {
  var form = document.getElementById("poll-form");
  if (!form) return;
  var blocks = { meeting: document.getElementById("meeting-candidates"), series: document.getElementById("series-candidates") };
  function update() {
    var checked = form.querySelector("input[name=mode]:checked");
    var mode = checked ? checked.value : "meeting";
    Object.keys(blocks).forEach(function (name) {
      if (blocks[name]) blocks[name].hidden = name !== mode;
    });
  }
  form.querySelectorAll("input[name=mode]").forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
