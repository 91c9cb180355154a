// Behaviour that would otherwise be inline (the Content-Security-Policy forbids inline handlers):
// a form with data-confirm asks before it is sent; a button with data-print prints the page.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (button) {
    window.print();
  }
});
// The site menu folds under one button on a phone only: on a wide screen it stays open (and its
// button is hidden by the style sheet), whatever the width the page was opened at.
const siteMenu = document.getElementById("site-menu");
if (siteMenu) {
  const wide = window.matchMedia("(min-width: 48rem)");
  const fit = () => {
    siteMenu.open = wide.matches;
  };
  fit();
  wide.addEventListener("change", fit);
  // Escape folds the open menu on a phone and gives the focus back to its button.
  siteMenu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && siteMenu.open && !wide.matches) {
      siteMenu.open = false;
      siteMenu.querySelector("summary").focus();
    }
  });
}
