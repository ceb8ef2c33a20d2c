// On a phone the main menu folds behind a "Menu" button, so the page starts near the top of
// the screen instead of below a dozen links. Without script, or on a wider screen, the menu
// is simply shown.
(function () {
  "use strict";
  var nav = document.querySelector("nav.main-nav");
  var button = nav && nav.querySelector(".nav-toggle");
  if (!button) {
    return;
  }
  var narrow = window.matchMedia("(max-width: 767.98px)");
  function fold(folded) {
    nav.classList.toggle("folded", folded);
    button.setAttribute("aria-expanded", folded ? "false" : "true");
  }
  function follow() {
    button.hidden = !narrow.matches;
    fold(narrow.matches);
  }
  button.addEventListener("click", function () {
    fold(button.getAttribute("aria-expanded") === "true");
  });
  if (narrow.addEventListener) {
    narrow.addEventListener("change", follow);
  } else {
    narrow.addListener(follow);
  }
  follow();
})();
