// "Tick all": a button with data-check-all="<form id"> ticks every checkbox of that form.
// Without script the button stays hidden and each box is ticked by hand.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-check-all]"), function (button) {
    var form = document.getElementById(button.dataset.checkAll);
    if (!form) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"), function (box) {
        box.checked = true;
      });
    });
  });
})();
