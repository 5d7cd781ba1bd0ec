// Daily check-in: read the phone's position into the form before it is sent.
// No inline scripts: the Content-Security-Policy forbids them.
function deviceKey() {
  let key = window.localStorage.getItem("openvet-device");
  if (!key) {
    key = (window.crypto && window.crypto.randomUUID) ? window.crypto.randomUUID() : String(Date.now());
    window.localStorage.setItem("openvet-device", key);
  }
  return key;
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.id !== "checkin-form") return;
  if (form.dataset.located) return;
  event.preventDefault();
  const status = form.querySelector("[data-locate-status]");
  const button = form.querySelector("[data-locate]");
  button.disabled = true;
  status.textContent = button.dataset.locating || "…";
  navigator.geolocation.getCurrentPosition(
    (position) => {
      form.querySelector("[name=latitude]").value = position.coords.latitude.toFixed(6);
      form.querySelector("[name=longitude]").value = position.coords.longitude.toFixed(6);
      form.querySelector("[name=device]").value = deviceKey();
      form.dataset.located = "1";
      form.submit();
    },
    () => {
      // Sent without a position: the page explains that location access is needed.
      form.dataset.located = "1";
      form.submit();
    },
    { enableHighAccuracy: true, timeout: 10000 },
  );
});
