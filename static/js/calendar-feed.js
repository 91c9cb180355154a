// The "copy the address" button: the clipboard where the browser offers it, otherwise the address
// is selected so that Ctrl+C (or the phone's menu) copies it.
(function () {
  var button = document.querySelector("[data-copy]");
  if (!button) return;
  var source = document.getElementById(button.dataset.copy);
  var status = document.getElementById("copy-status");
  function select() {
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  button.addEventListener("click", function () {
    select();
    if (navigator.clipboard) {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) status.textContent = button.dataset.copied;
      });
    }
  });
})();
