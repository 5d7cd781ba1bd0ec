// The time left of a quiz attempt, counted down on the page; the server decides.
(() => {
  const box = document.querySelector("[data-countdown]");
  if (!box) return;
  const clock = box.querySelector("[data-countdown-clock]");
  const end = Date.now() + Number(box.dataset.countdown) * 1000;
  function tick() {
    const left = Math.max(0, Math.round((end - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    clock.textContent = `${minutes}:${seconds}`;
    if (left === 0) {
      box.classList.replace("alert-info", "alert-danger");
      box.textContent = box.dataset.wordOver;
      return;
    }
    setTimeout(tick, 1000);
  }
  tick();
})();
