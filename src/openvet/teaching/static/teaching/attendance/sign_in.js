// Fills the hidden latitude/longitude of the sign-in form from the phone's location.
(function () {
  "use strict";
  function ready() {
    var form = document.getElementById("sign-in-form");
    if (!form || form.dataset.location !== "required" || !navigator.geolocation) {
      return;
    }
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.querySelector("[name=latitude]").value = position.coords.latitude;
        form.querySelector("[name=longitude]").value = position.coords.longitude;
      },
      function () {},
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 30000 }
    );
  }
  document.addEventListener("DOMContentLoaded", ready);
})();
