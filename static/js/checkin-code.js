// The check-in page shown in the room: its QR code lasts a few minutes, so the page draws
// a new one (a reload) every data-redraw seconds while check-in is open. Without
// JavaScript the page has a link to draw a new code.
(function () {
  "use strict";
  var root = document.getElementById("checkin-code");
  if (!root) {
    return;
  }
  var seconds = parseInt(root.getAttribute("data-redraw"), 10) || 120;
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
}());
