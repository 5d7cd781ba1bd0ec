// Fills the hidden latitude/longitude of the sign-in form from the phone's location, and tells
// the student, in the page's language, what is happening.
(function () {
  "use strict";
  function ready() {
    var form = document.getElementById("sign-in-form");
    if (!form || form.dataset.location !== "required") {
      return;
    }
    var status = document.getElementById("location-status");
    function say(text) {
      if (status && text) {
        status.textContent = text;
      }
    }
    if (!navigator.geolocation) {
      say(form.dataset.unlocated);
      return;
    }
    say(form.dataset.locating);
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.querySelector("[name=latitude]").value = position.coords.latitude;
        form.querySelector("[name=longitude]").value = position.coords.longitude;
        say(form.dataset.located);
      },
      function () {
        say(form.dataset.unlocated);
      },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 30000 }
    );
  }
  document.addEventListener("DOMContentLoaded", ready);
})();
